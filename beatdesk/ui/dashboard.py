"""The inspector's review dashboard: league tables of beats and officers for a period, narrowed by LPA
and sector, sortable by any column, with a 12-month trend of the selected one and CSV export.

Figures come from ``beatdesk.services.scoring.tables``; scoring runs on a worker thread (the first
trend of a level reads twelve months), and a result that a newer request overtook is dropped.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QRectF, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
    QPushButton, QSplitter, QStyle, QStyledItemDelegate, QTableView, QVBoxLayout, QWidget,
)
from sqlalchemy import Engine

from beatdesk.models import Role
from beatdesk.services.actor import Actor
from beatdesk.services.permissions import Action, may
from beatdesk.services.errors import ServiceError
from beatdesk.services.scoring import Level, Period, PeriodKind
from beatdesk.services.scoring.tables import (
    COLUMNS, LeagueRow, areas, league, league_table, trend, value_of, write_csv,
)
from beatdesk.ui.trend_chart import TrendChart
from beatdesk.ui.workers import Worker, job_pool

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PERIODS = (PeriodKind.WEEK, PeriodKind.DAYS_28, PeriodKind.QUARTER, PeriodKind.YEAR)
# RAG chips: the word and a symbol carry the status, the fill only repeats it
RAG_CHIPS = {"green": ("✓ Green", "#1B7A3D", "#FFFFFF"), "amber": ("! Amber", "#F2B134", "#000000"),
             "red": ("✗ Red", "#B3261E", "#FFFFFF")}
NO_RAG = ("no score", "#E4E6EA", "#444444")
TITLES = {Level.BEAT: "Beats", Level.OFFICER: "Officers"}


def _text(kind: str, value) -> str:
    if value is None:
        return "–"
    if kind == "score":
        return f"{value:.0f} %"
    if kind == "percent":
        return f"{value:.1f} %"
    if kind == "change":
        return "=" if abs(value) < 0.5 else f"{'▲' if value > 0 else '▼'} {abs(value):.0f}"
    if kind == "hours":
        return f"{value:,.1f}"
    if kind == "rag":
        return RAG_CHIPS[value][0]
    return str(value)


def _sort_key(kind: str, value):
    """Numbers sort as numbers, text without case, RAG red < amber < green; None where there is none."""
    if value is None:
        return None
    if kind == "rag":
        return {"red": 1, "amber": 2, "green": 3}[value]
    if kind == "text":
        return str(value).casefold()
    return float(value)


class LeagueProxy(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE``, with the rows that have no value last in either direction."""

    def lessThan(self, left, right) -> bool:  # noqa: N802 (Qt override)
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            return a is not b and (a is None) == descending
        return a < b


class LeagueModel(QAbstractTableModel):
    def __init__(self, level: Level, parent=None):
        super().__init__(parent)
        self.level = level
        self.columns = COLUMNS[level]
        self.rows: list[LeagueRow] = []

    def set_rows(self, rows: list[LeagueRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.short or column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.header
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row, column = self.rows[index.row()], self.columns[index.column()]
        value = value_of(row, column.key)
        if role == Qt.ItemDataRole.DisplayRole:
            if column.kind == "score" and value is None:
                return "no score"
            if column.key == "role" and value in Role._value2member_map_:
                return Role(value).short  # "SC" for a special constable: the figures need the width
            return _text(column.kind, value)
        if role == SORT_ROLE:
            return _sort_key(column.kind, value)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.score is None:
                return row.reason
            if column.key == "role":
                return value
            if column.kind == "change" and value is not None:
                return f"{value:+.1f} points on the previous period of the same length"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind not in ("text", "rag"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RagDelegate(QStyledItemDelegate):
    """A rounded chip in the RAG colour with its word and symbol (readable without colour vision)."""

    def paint(self, painter: QPainter, option, index) -> None:
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        text, fill, ink = RAG_CHIPS.get(index.data(Qt.ItemDataRole.UserRole), NO_RAG)
        metrics = option.fontMetrics
        width = min(option.rect.width() - 8, metrics.horizontalAdvance(text) + 16)
        chip = QRectF(option.rect.left() + 4, option.rect.top() + 3, width, option.rect.height() - 6)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#00000033"), 1))
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
        painter.setPen(QColor(ink))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option, index):  # noqa: N802 (Qt override)
        size = super().sizeHint(option, index)
        size.setWidth(option.fontMetrics.horizontalAdvance("✓ Amber") + 28)
        return size


class LeaguePane(QWidget):
    """One league table with its title, row count and export button."""

    def __init__(self, level: Level, parent=None):
        super().__init__(parent)
        self.level = level
        self.model = LeagueModel(level, self)
        self.proxy = LeagueProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName(f"{level.value}League")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(self.column("score"), Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(self.column("rag"), RagDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.column("name"), QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        self.title = QLabel(TITLES[level])
        self.title.setStyleSheet("font-weight: bold;")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName(f"{level.value}Export")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def column(self, key: str) -> int:
        return next(i for i, c in enumerate(COLUMNS[self.level]) if c.key == key)

    def shown_rows(self) -> list[LeagueRow]:
        """The rows in the order the table shows them."""
        return [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
                for r in range(self.proxy.rowCount())]

    def set_rows(self, rows: list[LeagueRow], what: str) -> None:
        self.model.set_rows(rows)
        name = self.column("name")  # names wide enough to read, without crowding the figures out
        self.table.resizeColumnToContents(name)
        self.table.setColumnWidth(name, max(140, min(self.table.columnWidth(name), 230)))
        scored = sum(r.score is not None for r in rows)
        self.title.setText(f"{TITLES[self.level]} — {what}: {len(rows)} ({scored} scored)")

    def select(self, subject_id: int) -> bool:
        for r in range(self.proxy.rowCount()):
            if self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()].subject.id == subject_id:
                self.table.selectRow(r)
                return True
        return False


class Dashboard(QWidget):
    def __init__(self, engine: Engine, actor: Actor, parent=None, today: date | None = None):
        super().__init__(parent)
        self.engine, self.actor = engine, actor
        self.setObjectName("reviewDashboard")
        self.setWindowTitle("BeatDesk — Review dashboard")
        self.pool = job_pool(self)
        self._jobs: set[Worker] = set()
        self._generation = {"league": 0, "trend": 0}
        self.selected: tuple[Level, int] | None = None

        self.period_kind = QComboBox()
        for kind in PERIODS:
            self.period_kind.addItem(kind.value.capitalize(), kind)
        self.period_kind.setCurrentIndex(PERIODS.index(PeriodKind.DAYS_28))
        self.end = QDateEdit(QDate(today or date.today()))
        self.end.setCalendarPopup(True)
        self.end.setDisplayFormat("dd/MM/yyyy")
        self.lpa = QComboBox()
        self.sector = QComboBox()
        self.sector.setMinimumContentsLength(18)
        self.period_label = QLabel()
        self.period_label.setObjectName("periodLabel")
        filters = QHBoxLayout()
        for text, widget in (("&Period", self.period_kind), ("&ending", self.end), ("&LPA", self.lpa),
                             ("&Sector", self.sector)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addWidget(self.period_label, 1)
        self.report_button = QPushButton("Area report (PDF)…")
        self.report_button.setObjectName("areaReportButton")
        self.report_button.setToolTip("The chosen LPA's or sector's performance report for the period, as a PDF")
        self.report_button.setVisible(may(actor, Action.EXPORT_REPORTS))
        self.report_button.clicked.connect(self.export_area_report)
        filters.addWidget(self.report_button)
        self._reports = None  # the report runner, made when first used

        self.panes = {level: LeaguePane(level) for level in (Level.BEAT, Level.OFFICER)}
        tables = QSplitter(Qt.Orientation.Vertical)
        for pane in self.panes.values():
            tables.addWidget(pane)
            pane.table.selectionModel().currentRowChanged.connect(
                lambda current, _previous, p=pane: self._row_chosen(p, current))
            pane.export_button.clicked.connect(lambda _checked=False, p=pane: self.export(p.level))
            pane.export_button.setVisible(may(actor, Action.EXPORT_REPORTS))  # the service refuses the rest
        self.chart = TrendChart()
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(tables)
        body.addWidget(self.chart)
        body.setStretchFactor(0, 2)
        body.setStretchFactor(1, 1)
        body.setSizes([1000, 500])
        self.status = QLabel()
        self.status.setObjectName("dashboardStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(body, 1)
        layout.addWidget(self.status)
        self.resize(1500, 900)

        self._load_areas()
        self.period_kind.currentIndexChanged.connect(self.refresh)
        self.end.dateChanged.connect(self.refresh)
        self.lpa.currentIndexChanged.connect(self._lpa_changed)
        self.sector.currentIndexChanged.connect(self.refresh)
        self.sector.currentIndexChanged.connect(self._report_area_changed)
        self._report_area_changed()
        self.refresh()

    # ---- filters -----------------------------------------------------------------------------------------

    def _load_areas(self) -> None:
        try:
            self._lpas, self._sectors = areas(self.engine, self.actor)
        except ServiceError as exc:
            self._lpas, self._sectors = (), ()
            self._say(str(exc), error=True)
        self.lpa.blockSignals(True)
        self.lpa.addItem("All LPAs", None)
        for a in self._lpas:
            self.lpa.addItem(a.name, a.id)
        self.lpa.blockSignals(False)
        self._fill_sectors()

    def _fill_sectors(self) -> None:
        lpa = self.lpa.currentData()
        current = self.sector.currentData()
        self.sector.blockSignals(True)
        self.sector.clear()
        self.sector.addItem("All sectors", None)
        for s in self._sectors:
            if lpa is None or s.lpa_id == lpa:
                self.sector.addItem(s.name, s.id)
        self.sector.setCurrentIndex(max(0, self.sector.findData(current)))
        self.sector.blockSignals(False)

    def _lpa_changed(self) -> None:
        self._fill_sectors()
        self._report_area_changed()
        self.refresh()

    def _report_area_changed(self) -> None:
        self.report_button.setEnabled(self.lpa.currentData() is not None or self.sector.currentData() is not None)

    def period(self) -> Period:
        return Period.ending(self.period_kind.currentData(), self.end.date().toPython())

    def _filter_text(self) -> str:
        if self.sector.currentData() is not None:
            return self.sector.currentText()
        return "whole force" if self.lpa.currentData() is None else f"{self.lpa.currentText()} LPA"

    # ---- background work ---------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def _run(self, kind: str, fn, done) -> None:
        self._generation[kind] += 1
        generation = self._generation[kind]
        worker = Worker(lambda progress: fn())
        self._jobs.add(worker)

        def finish(result=None, error: str | None = None):
            self._jobs.discard(worker)
            if generation != self._generation[kind]:
                return  # a newer request overtook this one
            if error is not None:
                self._say(error, error=True)
                if kind == "trend":
                    self.chart.set_message(error)
                return
            done(result)

        worker.signals.finished.connect(lambda result: finish(result))
        worker.signals.failed.connect(lambda message: finish(error=message))
        self.pool.start(worker)

    def refresh(self) -> None:
        """Re-read both tables for the period and filters chosen (and the selected one's trend)."""
        try:
            period = self.period()
        except ServiceError as exc:
            self._say(str(exc), error=True)
            return
        lpa, sector = self.lpa.currentData(), self.sector.currentData()
        self.period_label.setText(period.label)
        self._say("Scoring…")

        def read():
            return {level: league(self.engine, self.actor, level, period, lpa_id=lpa, sector_id=sector)
                    for level in self.panes}

        self._run("league", read, lambda rows: self._show(rows, period))

    def _show(self, rows: dict, period: Period) -> None:
        what = self._filter_text()
        for level, pane in self.panes.items():
            pane.table.selectionModel().blockSignals(True)
            pane.set_rows(rows[level], what)
            pane.table.selectionModel().blockSignals(False)
        self._say(f"{period.label}, {what}. Click a column heading to sort; select a row for its 12-month trend.")
        if self.selected is not None:
            level, subject_id = self.selected
            self.panes[level].table.selectionModel().blockSignals(True)
            self.panes[level].select(subject_id)
            self.panes[level].table.selectionModel().blockSignals(False)
            self._load_trend(level, subject_id)

    # ---- selection and trend ---------------------------------------------------------------------------

    def _row_chosen(self, pane: LeaguePane, current: QModelIndex) -> None:
        if not current.isValid():
            return
        row = pane.model.rows[pane.proxy.mapToSource(current).row()]
        for other in self.panes.values():
            if other is not pane:
                other.table.selectionModel().blockSignals(True)
                other.table.clearSelection()
                other.table.selectionModel().blockSignals(False)
        self.selected = (pane.level, row.subject.id)
        self._load_trend(pane.level, row.subject.id)

    def _load_trend(self, level: Level, subject_id: int) -> None:
        end = self.end.date().toPython()
        if self.chart.trend is None or self.chart.trend.subject.id != subject_id or \
                self.chart.trend.subject.level is not level:
            self.chart.set_message("Reading 12 months…")
        else:
            self.chart.message = "Updating…"
            self.chart.update()
        self._run("trend", lambda: trend(self.engine, self.actor, level, subject_id, end), self.chart.set_trend)

    # ---- export ------------------------------------------------------------------------------------------

    def export(self, level: Level) -> None:
        pane = self.panes[level]
        period = self.period()
        suggested = f"{level.value}s-{period.kind.value.replace(' ', '-')}-to-{period.end.isoformat()}.csv"
        path, _ = QFileDialog.getSaveFileName(self, f"Export the {level.value}s table", suggested,
                                              "CSV files (*.csv);;All files (*)")
        if not path:
            return
        if not path.lower().endswith(".csv") and "." not in path.rsplit("/", 1)[-1]:
            path += ".csv"
        try:
            headers, rows = league_table(pane.shown_rows(), level)
            count = write_csv(self.actor, path, headers, rows)
        except ServiceError as exc:
            QMessageBox.warning(self, "Export CSV", str(exc))
            return
        self._say(f"Wrote {count} {level.value}s to {path}.")

    def export_area_report(self) -> bool:
        """The performance report (PDF) of the sector chosen, else the LPA, for the period shown."""
        from beatdesk.ui.reports.runner import ReportRunner, ask_pdf_path, slug

        sector, lpa = self.sector.currentData(), self.lpa.currentData()
        if sector is None and lpa is None:
            return False
        level, area_id = ("sector", sector) if sector is not None else ("lpa", lpa)
        name = f"{self.sector.currentText()} sector" if sector is not None else f"{self.lpa.currentText()} LPA"
        period = self.period()
        path = ask_pdf_path(self, f"Save the performance report of {name}",
                            f"performance-{slug(name)}-{slug(period.kind.value)}-to-{period.end.isoformat()}.pdf")
        if not path:
            return False
        self._reports = self._reports or ReportRunner(self, self.engine, self.actor, self._say)
        return self._reports.area_report(level, area_id, name, period, path)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._generation = {k: v + 1 for k, v in self._generation.items()}  # drop whatever is still running
        self.pool.waitForDone(10000)
        super().closeEvent(event)
