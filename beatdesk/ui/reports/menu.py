"""The Scores menu's report actions: "Beat profile (PDF)…" for the selected beat in the map's period,
and "Area performance report (PDF)…" for an LPA or sector and a period chosen in a dialog.

Offered to those who may export reports (inspectors, administrators), as the dashboard's CSV export.
Imports stay light: the reports' services and painting load when an action is first used.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

from beatdesk.services.errors import ServiceError
from beatdesk.services.permissions import Action, may


class ReportActions(QObject):
    """The two actions and what they do, for a main window (its engine, actor, selection, score map)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._runner = None
        self.profile_action = QAction("&Beat profile (PDF)…", window)
        self.profile_action.setObjectName("beatProfileAction")
        self.profile_action.setStatusTip("One page on the selected beat: wards, team, priorities, tasks, activity "
                                         "and performance, for the period on the map")
        self.profile_action.triggered.connect(self.beat_profile)
        self.area_action = QAction("&Area performance report (PDF)…", window)
        self.area_action.setObjectName("areaReportAction")
        self.area_action.setStatusTip("A sector's or an LPA's score, trend, criteria and league tables")
        self.area_action.triggered.connect(self.area_report)
        allowed = may(window.actor, Action.EXPORT_REPORTS)
        for action in (self.profile_action, self.area_action):
            action.setVisible(allowed)  # the services refuse the rest anyway

    @property
    def runner(self):
        if self._runner is None:
            from beatdesk.ui.reports.runner import ReportRunner

            self._runner = ReportRunner(self.window, self.window.engine, self.window.actor, self._say)
        return self._runner

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10000)

    def _period(self):
        """The period the map shows scores for (28 days to today if it has no score map)."""
        score_map = getattr(self.window, "score_map", None)
        if score_map is not None:
            return score_map.period()
        from beatdesk.services.scoring import Period, PeriodKind

        return Period.ending(PeriodKind.DAYS_28, date.today())

    def beat_profile(self) -> bool:
        from beatdesk.services.reports.profile import beat_id_of
        from beatdesk.ui.reports.runner import ask_pdf_path

        code = self.window.selection.current
        if not code:
            QMessageBox.information(self.window, "Beat profile (PDF)",
                                    "Select a beat on the map or in the force tree first.")
            return False
        try:
            period = self._period()
            beat_id = beat_id_of(self.window.engine, self.window.actor, code)
        except ServiceError as exc:
            QMessageBox.warning(self.window, "Beat profile (PDF)", str(exc))
            return False
        path = ask_pdf_path(self.window, f"Save the beat profile of {code}",
                            f"beat-profile-{code}-{period.end.isoformat()}.pdf")
        return bool(path) and self.runner.beat_profile(beat_id, code, period, path)

    def area_report(self) -> bool:
        from beatdesk.services.scoring.tables import areas
        from beatdesk.ui.reports.area_dialog import AreaReportDialog
        from beatdesk.ui.reports.runner import ask_pdf_path, slug

        try:
            lpas, sectors = areas(self.window.engine, self.window.actor)
            end = self._period().end
        except ServiceError as exc:
            QMessageBox.warning(self.window, "Area performance report (PDF)", str(exc))
            return False
        dialog = AreaReportDialog(lpas, sectors, end, parent=self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        level, area_id, name = dialog.choice()
        period = dialog.period()
        path = ask_pdf_path(self.window, f"Save the performance report of {name}",
                            f"performance-{slug(name)}-{slug(period.kind.value)}-to-{period.end.isoformat()}.pdf")
        return bool(path) and self.runner.area_report(level, area_id, name, period, path)


def add_report_actions(menu: QMenu, window) -> ReportActions:
    """Adds the report actions to ``menu`` (the Scores menu) for ``window``; returns them."""
    actions = ReportActions(window)
    menu.addSeparator()
    menu.addAction(actions.profile_action)
    menu.addAction(actions.area_action)
    return actions
