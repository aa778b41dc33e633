"""The strip across the top of the window that says the force on screen is generated demo data."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from beatdesk.ui import palette


class DemoBanner(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("demoBanner")
        self.setWordWrap(True)
        self.setStyleSheet(
            f"background: {palette.DEMO_BANNER_BG}; color: {palette.DEMO_BANNER_TEXT};"
            f"border-bottom: 1px solid {palette.DEMO_BANNER_BORDER}; padding: 6px 12px; font-weight: 600;"
        )
        self.set_label(None)

    def set_label(self, text: str | None) -> None:
        """Show ``text`` (from the demo service), or hide the banner when the data is real."""
        self.setText(text or "")
        self.setVisible(bool(text))
