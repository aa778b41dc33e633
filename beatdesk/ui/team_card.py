"""One member of a beat team in the side panel: name, role and collar number, phone and email."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from beatdesk.services.force_view import TeamMember


ZERO_WIDTH_SPACE = "\u200b"


def breakable(address: str) -> str:
    """An e-mail address that may wrap after '@' and '.', so a long one never widens the panel."""
    return address.replace("@", "@" + ZERO_WIDTH_SPACE).replace(".", "." + ZERO_WIDTH_SPACE)


class TeamCard(QFrame):
    def __init__(self, member: TeamMember, parent=None):
        super().__init__(parent)
        self.member = member
        self.setObjectName("teamCard")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(1)

        name = QLabel(f"<b>{escape(member.name)}</b>")
        name.setObjectName("teamName")
        role = member.role_name + (" (sector)" if member.sector_supervisor else "")
        rank = QLabel(f"{escape(role)} · collar no. {escape(member.collar_number)}")
        rank.setObjectName("teamRole")
        layout.addWidget(name)
        layout.addWidget(rank)
        contacts = []
        if member.phone:
            contacts.append(f"Tel. {escape(member.phone)}")
        if member.email:
            email = escape(member.email)
            contacts.append(f"<a href='mailto:{email}'>{breakable(email)}</a>")
        if contacts:
            contact = QLabel("<br>".join(contacts))
            contact.setObjectName("teamContact")
            contact.setTextFormat(Qt.TextFormat.RichText)
            contact.setOpenExternalLinks(True)
            contact.setWordWrap(True)  # a long address breaks rather than running off the panel
            contact.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
            )
            layout.addWidget(contact)
        for label in (name, rank):  # wrap rather than widen the panel
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)

    def text(self) -> str:
        """Everything the card says, as plain text (for tests and copying)."""
        m = self.member
        return " ".join(filter(None, [m.name, m.role_name, m.collar_number, m.phone, m.email]))
