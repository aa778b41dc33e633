"""The map key: sector colours grouped by LPA with beat counts, and what the lines and shapes mean."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from beatdesk.services.force_view import ForceMap, sector_legend
from beatdesk.ui import palette

HEX_NOTE = "Each hexagon is one beat, placed near its centre. Hexagons are equal in size, not in area."
BOUNDARY_NOTE = "White lines: beat boundaries. Faint thin lines: ward boundaries."


class Legend(QWidget):
    """Sector colours by LPA, the place symbols (on real boundaries), and what the lines mean."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("legend")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 8, 10, 8)
        self._layout.setSpacing(2)
        self.sector_names: list[str] = []
        self.lpa_names: list[str] = []

    def load(self, force_map: ForceMap) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.sector_names, self.lpa_names = [], []
        title = QLabel("Map key")
        title.setStyleSheet("font-weight: 700;")
        self._layout.addWidget(title)
        for lpa, sectors in sector_legend(force_map):
            self.lpa_names.append(lpa.name)
            grid = self._section(f"{escape(lpa.name)} LPA", "legendLpa")
            for row, (sector, beats) in enumerate(sectors):
                self.sector_names.append(sector.name)
                chip = QFrame()
                chip.setObjectName("legendSwatch")
                chip.setFixedSize(18, 12)
                colour = palette.colour_in(force_map, sector.code)
                chip.setStyleSheet(f"background: {colour}; border: 1px solid #999; border-radius: 2px;")
                name = QLabel(sector.name)
                name.setObjectName("legendSector")
                count = QLabel(f"{beats} beats")
                count.setStyleSheet("color: #666;")
                grid.addWidget(chip, row, 0)
                grid.addWidget(name, row, 1)
                grid.addWidget(count, row, 2)
            grid.setColumnStretch(1, 1)
            self._layout.addLayout(grid)
        if force_map.has_boundaries:
            self._add_place_kinds()
        note = QLabel(BOUNDARY_NOTE if force_map.has_boundaries else HEX_NOTE)
        note.setObjectName("legendNote")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555; padding-top: 6px;")
        self._layout.addWidget(note)
        self._layout.addStretch(1)

    def _section(self, title: str, name: str) -> QGridLayout:
        """A heading and the grid of key rows under it (the caller adds the grid once it is filled)."""
        heading = QLabel(title)
        heading.setObjectName(name)
        heading.setStyleSheet("color: #444; font-weight: 600; padding-top: 4px;")
        self._layout.addWidget(heading)
        grid = QGridLayout()
        grid.setContentsMargins(4, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        return grid

    def _add_place_kinds(self) -> None:
        from beatdesk.models.places import PlaceKind
        from beatdesk.ui.place_items import symbol_pixmap

        grid = self._section("Places", "legendPlaces")
        for row, kind in enumerate(PlaceKind):
            icon = QLabel()
            icon.setPixmap(symbol_pixmap(kind))
            icon.setFixedWidth(18)
            name = QLabel(kind.label)
            name.setObjectName("legendPlaceKind")
            grid.addWidget(icon, row, 0)
            grid.addWidget(name, row, 1)
        grid.setColumnStretch(1, 1)
        self._layout.addLayout(grid)
