"""The force as a Qt item model: LPA > sector > beat, each sector with its colour swatch."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap, QStandardItem, QStandardItemModel

from beatdesk.services.force_view import ForceMap
from beatdesk.ui import palette

BEAT_CODE_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


def swatch(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class ForceTreeModel(QStandardItemModel):
    """Only beats can be selected; LPA and sector rows group them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._beat_rows: dict[str, QStandardItem] = {}

    def load(self, force_map: ForceMap) -> None:
        self.clear()
        self._beat_rows.clear()
        bold = QFont()
        bold.setBold(True)
        for lpa in force_map.lpas:
            beats = sum(len(force_map.sector(code).beat_codes) for code in lpa.sector_codes)
            lpa_item = QStandardItem(f"{lpa.name} LPA")
            lpa_item.setFont(bold)
            lpa_item.setData("lpa", KIND_ROLE)
            lpa_item.setToolTip(f"{lpa.name} Local Policing Area: {len(lpa.sector_codes)} sectors, {beats} beats")
            lpa_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for sector in force_map.sectors_of(lpa.code):
                colour = palette.colour_in(force_map, sector.code)
                sector_item = QStandardItem(swatch(colour), sector.name)
                sector_item.setData("sector", KIND_ROLE)
                sector_item.setToolTip(f"{sector.name} sector: {len(sector.beat_codes)} beats")
                sector_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                for beat in force_map.beats_of(sector.code):
                    beat_item = QStandardItem(f"{beat.code}  {beat.name}")
                    beat_item.setData(beat.code, BEAT_CODE_ROLE)
                    beat_item.setData("beat", KIND_ROLE)
                    beat_item.setToolTip(f"{beat.title}: {len(beat.wards)} wards, team of {len(beat.team)}")
                    beat_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    sector_item.appendRow(beat_item)
                    self._beat_rows[beat.code] = beat_item
                lpa_item.appendRow(sector_item)
            self.appendRow(lpa_item)

    def index_of_beat(self, code: str) -> QModelIndex:
        item = self._beat_rows.get(code)
        return item.index() if item is not None else QModelIndex()

    def beat_codes(self) -> list[str]:
        return list(self._beat_rows)
