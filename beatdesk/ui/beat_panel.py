"""The side panel: the selected beat, its team (name, role, collar number, contact) and its wards."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from beatdesk.services.force_view import BeatView
from beatdesk.ui.team_card import TeamCard

PLACEHOLDER = "Select a beat on the map or in the force tree to see its team and wards."


def _section_title(text: str) -> QLabel:
    label = QLabel(text.upper())
    label.setObjectName("sectionTitle")
    label.setWordWrap(True)
    label.setStyleSheet("color: #555; font-weight: 600; letter-spacing: 1px; padding-top: 10px;")
    return label


class BeatPanel(QScrollArea):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("beatPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(280)
        self.beat: BeatView | None = None
        self._overview: list[str] = []
        self._shown: tuple | None = None  # what the panel shows now, so a repeat costs nothing
        self.score_section: QWidget | None = None  # the selected beat's score breakdown, when scores show
        self.show_beat(None)

    def set_overview(self, lines: list[str]) -> None:
        """The force summary shown while no beat is selected."""
        self._overview = list(lines)
        if self.beat is None:
            self.show_beat(None)

    def show_beat(self, beat: BeatView | None, colour: str = "#888888") -> None:
        shown = (colour, tuple(self._overview))
        self._colour = colour
        if self._shown is not None and self._shown[0] is beat and self._shown[1] == shown:
            return
        self._shown = (beat, shown)
        self.beat = beat
        if self.score_section is not None:
            self.score_section.setParent(None)  # kept: the old body goes with setWidget
        body = QWidget()
        body.setObjectName("beatPanelBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(4)
        if beat is None:
            if self._overview:
                layout.addWidget(_section_title("Force overview"))
                for line in self._overview:
                    label = QLabel(escape(line))
                    label.setObjectName("overviewLine")
                    label.setWordWrap(True)
                    layout.addWidget(label)
            hint = QLabel(PLACEHOLDER)
            hint.setObjectName("placeholder")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #666; padding: 18px 4px;")
            layout.addWidget(hint)
            layout.addStretch(1)
            self.setWidget(body)
            return

        header = QLabel(
            f"<span style='font-size:15pt; font-weight:700'>{escape(beat.code)}</span>"
            f"&nbsp;&nbsp;<span style='font-size:12pt; font-weight:600'>{escape(beat.name)}</span>"
        )
        header.setObjectName("beatTitle")
        header.setWordWrap(True)
        band = QFrame()
        band.setObjectName("sectorBand")
        band.setFixedHeight(5)
        band.setStyleSheet(f"background: {colour}; border-radius: 2px;")
        where = QLabel(f"{escape(beat.sector_name)} sector · {escape(beat.lpa_name)} LPA")
        where.setObjectName("beatWhere")
        where.setStyleSheet("color: #444;")
        where.setWordWrap(True)
        layout.addWidget(header)
        layout.addWidget(where)
        layout.addWidget(band)
        if self.score_section is not None:
            layout.addWidget(self.score_section)

        # the wards first: a short list, where a team of a dozen would push it out of sight
        self._add_wards(layout, beat)
        self._add_team(layout, beat)
        layout.addStretch(1)
        self.setWidget(body)

    @staticmethod
    def _add_wards(layout: QVBoxLayout, beat: BeatView) -> None:
        layout.addWidget(_section_title(f"Wards ({len(beat.wards)})"))
        for ward in beat.wards:
            detail = ward.council_name
            if ward.area_km2 is not None:
                detail += f" · {ward.area_km2:,.1f} km²"
            label = QLabel(
                f"<b>{escape(ward.name)}</b><br><span style='color:#555'>{escape(ward.code)} · {escape(detail)}</span>"
            )
            label.setObjectName("wardLine")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)

    @staticmethod
    def _add_team(layout: QVBoxLayout, beat: BeatView) -> None:
        layout.addWidget(_section_title(f"Team ({len(beat.team)})"))
        if beat.team:
            for member in beat.team:
                card = TeamCard(member)
                card.setStyleSheet("#teamCard { background: #F5F6F8; border-radius: 4px; }")
                layout.addWidget(card)
        else:
            none = QLabel("No officers are posted to this beat.")
            none.setObjectName("noTeam")
            none.setWordWrap(True)
            none.setStyleSheet("color: #666;")
            layout.addWidget(none)


    def set_score_section(self, widget: QWidget | None) -> None:
        """Show ``widget`` (the score breakdown) under the selected beat's title from now on."""
        self.score_section = widget
        beat, self._shown = self.beat, None
        self.show_beat(beat, self._colour)

    def team_cards(self) -> list[TeamCard]:
        return self.widget().findChildren(TeamCard)

    def text(self) -> str:
        """All the text on the panel, tags stripped (for tests and screen readers' sake)."""
        from PySide6.QtGui import QTextDocument

        parts = []
        for label in self.widget().findChildren(QLabel):
            doc = QTextDocument()
            doc.setHtml(label.text())
            parts.append(doc.toPlainText().replace("\u200b", ""))
        return "\n".join(parts)
