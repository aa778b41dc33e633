"""Choosing what an area performance report covers: an LPA or a sector, and a period as the dashboard
offers them (a week, 28 days, a quarter or 12 months ending on a day)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel

from beatdesk.services.scoring import Period, PeriodKind
from beatdesk.services.scoring.tables import Area

PERIODS = (PeriodKind.WEEK, PeriodKind.DAYS_28, PeriodKind.QUARTER, PeriodKind.YEAR)


class AreaReportDialog(QDialog):
    def __init__(self, lpas: tuple[Area, ...], sectors: tuple[Area, ...], end: date,
                 kind: PeriodKind = PeriodKind.DAYS_28, parent=None):
        super().__init__(parent)
        self.setObjectName("areaReportDialog")
        self.setWindowTitle("Area performance report (PDF)")
        self.setMinimumWidth(440)
        self.area = QComboBox()
        self.area.setObjectName("areaChoice")
        for lpa in lpas:
            self.area.addItem(f"{lpa.name} LPA", ("lpa", lpa.id, f"{lpa.name} LPA"))
            for sector in (s for s in sectors if s.lpa_id == lpa.id):
                self.area.addItem(f"    {sector.name} sector", ("sector", sector.id, f"{sector.name} sector"))
        self.kind = QComboBox()
        for k in PERIODS:
            self.kind.addItem(k.value.capitalize(), k)
        self.kind.setCurrentIndex(PERIODS.index(kind) if kind in PERIODS else 1)
        self.end = QDateEdit(QDate(end.year, end.month, end.day))
        self.end.setCalendarPopup(True)
        self.end.setDisplayFormat("dd/MM/yyyy")
        self.period_label = QLabel()
        self.period_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Area", self.area)
        form.addRow("&Period", self.kind)
        form.addRow("&Ending", self.end)
        form.addRow("", self.period_label)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(self._show_period)
        self.end.dateChanged.connect(self._show_period)
        self._show_period()

    def period(self) -> Period:
        return Period.ending(self.kind.currentData(), self.end.date().toPython())

    def choice(self) -> tuple[str, int, str]:
        """(level, id, name) of the area chosen."""
        return self.area.currentData()

    def _show_period(self) -> None:
        self.period_label.setText(self.period().label)
