"""Blueprint scores on the map: colour the beats by overall score or one criterion, for a period.

``compute_score_map`` runs off the GUI thread (through the main window's ``JobRunner``): it scores every
beat for the period, works out each beat's value and change for every colouring, and writes the hover
text. Recolouring then only looks values up and sets brushes and labels (``MapView.set_beat_fills``).
``ScoreBreakdown`` sits in the beat panel: score > criteria > totals, and one click on a criterion
lists the entries (or duties, or tasks) behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QLabel, QListWidget, QMenu, QToolBar, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from beatdesk.ui.map_view import tooltip_html
from beatdesk.ui.score_colours import DIVERGING, SCALE_LABELS, ColourScale, mark

SECTORS, OVERALL = "sectors", "overall"
TEAM = "team"  # modes "team/<measure>"; criteria are "<role>/<criterion>"
PERIOD_KINDS = (("week", "Week"), ("28 days", "28 days"), ("quarter", "Quarter"), ("12 months", "12 months"),
                ("custom", "Custom dates"))
MAX_ROWS = 500  # evidence rows listed at once in the panel
RAG_COLOURS = {"green": "#1A7F37", "amber": "#9A6700", "red": "#B42318"}  # as words' colour only


def london_today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


# ---- the data behind one colouring (made off the GUI thread) -----------------------------------------


@dataclass
class ScoreMapData:
    period: object  # scoring.Period
    scores: dict  # beat code: Score
    values: dict = field(default_factory=dict)  # mode: {beat code: (percent of target or None, change or None)}
    tooltips: dict = field(default_factory=dict)  # mode: {beat code: rich text}


def modes_of(criteria) -> list[tuple[str, str]]:
    """(mode key, label) for every colouring the criteria file allows, overall first."""
    modes = [(OVERALL, "Overall score")]
    modes += [(f"{r.key}/{c.key}", f"{r.key} · {c.label}") for r in criteria.roles for c in r.criteria]
    modes += [(f"{TEAM}/{m.key}", f"Team · {m.label}") for m in criteria.team]
    return modes


def compute_score_map(engine, actor, period, *, progress=None, now: datetime | None = None) -> ScoreMapData:
    """Score every beat for ``period`` and prepare each colouring's values and hover text."""
    from beatdesk.services.scoring import Level, explain_lines, score_all

    if progress:
        progress(0, 0, f"Scoring every beat, {period.label}")
    scores = {s.subject.code: s for s in score_all(engine, actor, Level.BEAT, period, now=now).values()}
    data = ScoreMapData(period, scores)
    for code, s in scores.items():
        lines = explain_lines(s)
        head, rest, by_mode = lines[0], iter(lines[1:]), {}
        _put(data, OVERALL, code, s.value, s.change)
        overview = [head]
        for role in s.roles:
            role_line = next(rest)
            overview.append(role_line)
            for c in role.criteria:
                line = next(rest)
                change = None if c.change is None or not c.target else c.change / c.target * 100
                _put(data, f"{c.role}/{c.key}", code, c.achievement, change)
                by_mode[f"{c.role}/{c.key}"] = [head, role_line, line]
        for t in s.team:
            line = next(rest)
            overview.append(line)
            change = None if t.value is None or t.previous_value is None else (
                (t.value - t.previous_value) / t.target * 100)
            _put(data, f"{TEAM}/{t.key}", code, t.achievement, change)
            by_mode[f"{TEAM}/{t.key}"] = [head, line]
        by_mode[OVERALL] = overview
        for mode, short in by_mode.items():
            data.tooltips.setdefault(mode, {})[code] = tooltip_html([*short, "Click the beat for its breakdown."])
    return data


def _put(data: ScoreMapData, mode: str, code: str, value, change) -> None:
    data.values.setdefault(mode, {})[code] = (value, change)


def value_text(value: float | None, change: float | None) -> str:
    """What a beat's label says after its code: "87% ▲", or "–" for no score."""
    if value is None:
        return "–"
    sign = mark(change)
    return f"{value:.0f}%" + (f" {sign}" if sign else "")


# ---- the breakdown in the beat panel ------------------------------------------------------------------


class ScoreBreakdown(QWidget):
    """One beat's score: its roles' criteria and team measures; a click on one shows its totals and
    the entries behind it."""

    evidenceRequested = Signal(str, str)  # role (or "team"), key

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("scoreBreakdown")
        self.score = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(4)
        self.title = QLabel()
        self.title.setObjectName("scoreTitle")
        self.title.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("scoreTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Criterion", "% of target"])
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(12)
        self.tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setToolTip("Click a criterion for its totals and the entries behind it")
        self.tree.itemClicked.connect(self._clicked)
        self.details = QLabel()
        self.details.setObjectName("scoreDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setStyleSheet("background: #F5F6F8; border-radius: 4px; padding: 6px;")
        self.entries = QListWidget()
        self.entries.setObjectName("scoreEntries")
        self.entries.setWordWrap(True)
        self.entries.setMinimumHeight(240)
        for widget in (self.title, self.tree, self.details, self.entries):
            layout.addWidget(widget)
        self.details.hide()
        self.entries.hide()

    def show_score(self, score, focus: str | None = None) -> None:
        """Show ``score`` (None: nothing to show); ``focus`` a mode key selects that criterion."""
        self.score = score
        self.tree.clear()
        self.details.hide()
        self.entries.hide()
        if score is None:
            self.title.setText("No score for this beat in the period.")
            self.tree.hide()
            return
        self.title.setText(_title_html(score))
        self.tree.setVisible(score.duty_hours > 0)  # no duty hours: every criterion would say "not scored"
        chosen = None
        for role in score.roles:
            parent = QTreeWidgetItem([f"{role.role}s: {role.members}, {role.duty_hours:,.0f} h", _pct(role.score)])
            parent.setToolTip(0, f"{role.label}: {role.members} officer(s), {role.duty_hours:,.1f} duty hours")
            self.tree.addTopLevelItem(parent)
            for c in role.criteria:
                item = QTreeWidgetItem([c.label, _achievement(c.achievement, c.change and c.target
                                                              and c.change / c.target * 100)])
                _rag(item, c.rag)
                item.setData(0, Qt.ItemDataRole.UserRole, (c.role, c.key))
                item.setToolTip(0, c.label)
                parent.addChild(item)
                if focus == f"{c.role}/{c.key}":
                    chosen = item
        if score.team:
            parent = QTreeWidgetItem(["Team measures", ""])
            self.tree.addTopLevelItem(parent)
            for t in score.team:
                change = None if t.value is None or t.previous_value is None else t.value - t.previous_value
                item = QTreeWidgetItem([t.label, _achievement(t.achievement, change)])
                _rag(item, t.rag)
                item.setToolTip(0, t.label)
                item.setData(0, Qt.ItemDataRole.UserRole, (TEAM, t.key))
                parent.addChild(item)
                if focus == f"{TEAM}/{t.key}":
                    chosen = item
        self.tree.expandAll()
        self.tree.resizeColumnToContents(1)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        rows = sum(1 + self.tree.topLevelItem(i).childCount() for i in range(self.tree.topLevelItemCount()))
        row_height = self.tree.visualItemRect(self.tree.topLevelItem(0)).height() or 18
        self.tree.setFixedHeight(self.tree.header().sizeHint().height() + rows * row_height + 4)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
            self._clicked(chosen)

    def criterion_items(self) -> dict[tuple[str, str], QTreeWidgetItem]:
        found = {}
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                found[top.child(j).data(0, Qt.ItemDataRole.UserRole)] = top.child(j)
        return found

    def _clicked(self, item: QTreeWidgetItem, column: int = 0) -> None:
        key = item.data(0, Qt.ItemDataRole.UserRole)
        if not key or self.score is None:
            return
        role, measure = key
        if role == TEAM:
            t = self.score.team_measure(measure)
            value = "nothing to measure" if t.value is None else f"{t.value:.1f} %"
            achieved = "not scored" if t.achievement is None else f"{t.achievement:.0f} % of target, {t.rag}"
            text = (f"<b>{t.label}</b>: {achieved}.<br>{t.numerator:,.0f} of {t.denominator:,.0f} = {value} "
                    f"against a target of {t.target:g} %; weight {t.weight:g}.")
        else:
            c = self.score.criterion(role, measure)
            amount = f"{c.amount:,.0f} min" if "%" in c.unit else f"{c.amount:,.0f}"
            rate = "no rate (no duty hours)" if c.rate is None else f"{c.rate:.2f} {c.unit}"
            target = "no target" if c.target is None else f"target {c.target:.2f} ({c.target_source})"
            achieved = "not scored" if c.achievement is None else f"{c.achievement:.0f} % of target, {c.rag}"
            text = (f"<b>{c.label}</b> ({c.role}): {achieved}.<br>{amount} in {c.duty_hours:,.1f} duty hours by "
                    f"{c.members} officer(s) = {rate}; {target}; weight {c.weight:g}.")
            if c.previous_rate is not None:
                text += f" Previous period: {c.previous_rate:.2f}."
        self.details.setText(text)
        self.details.show()
        self.evidenceRequested.emit(role, measure)

    def show_evidence(self, rows: list, heading: str) -> None:
        self.entries.clear()
        self.entries.addItem(heading)
        for row in rows[:MAX_ROWS]:
            self.entries.addItem(row.text)
        if len(rows) > MAX_ROWS:
            self.entries.addItem(f"… and {len(rows) - MAX_ROWS:,} more")
        self.entries.show()


def _title_html(score) -> str:
    value = score.reason[:1].upper() + score.reason[1:] if score.value is None else f"Score {score.value:.0f} %"
    rag = f" <span style='color:{RAG_COLOURS.get(score.rag, '#444')}'>{score.rag}</span>" if score.rag else ""
    change = "" if score.change is None else (
        f" {mark(score.change) or '='} {score.change:+.0f} points on the previous period")
    return (f"<span style='font-size:13pt; font-weight:700'>{value}</span>{rag}{change}"
            f"<br><span style='color:#555'>{score.period.label}</span>")


def _pct(value: float | None) -> str:
    return "no score" if value is None else f"{value:.0f} %"


def _achievement(value: float | None, change: float | None) -> str:
    if value is None:
        return "not scored"
    sign = mark(change)
    return f"{value:.0f} %" + (f" {sign}" if sign else "")


def _rag(item: QTreeWidgetItem, rag: str | None) -> None:
    """RAG as the value's colour and, for every reader, as words in its tooltip and the details."""
    if rag:
        item.setForeground(1, QColor(RAG_COLOURS[rag]))
        item.setToolTip(1, f"{rag}: the RAG status of this achievement")


# ---- the controller: choices, computing, recolouring --------------------------------------------------


class ScoreMap(QObject):
    """What colours the map: the mode, the period and the scale; computes scores through ``jobs``."""

    computed = Signal()
    applied = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window, self.map_view, self.legend = window, window.map_view, window.legend
        self._criteria = None  # read once the window is up: scoring's imports stay off the start-up path
        self.modes = [(OVERALL, "Overall score")]
        self.mode, self.scale_kind = SECTORS, DIVERGING
        self.scale = ColourScale(DIVERGING)
        self.mode_actions: dict[str, QAction] = {}
        self._colour_by: QMenu | None = None
        self._sections: dict[str, QMenu] = {}
        self._mode_group = QActionGroup(self)
        self.period_kind, self.end, self.start = "28 days", london_today(), None
        self.data: ScoreMapData | None = None
        self.stale = True
        self.failure = ""
        self.breakdown = ScoreBreakdown()
        self.breakdown.evidenceRequested.connect(self.show_evidence)
        self.breakdown.hide()
        self._shown: tuple | None = None
        window.panel.set_score_section(self.breakdown)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(300)
        self._retry.timeout.connect(self.refresh)
        self._build_widgets()
        self.map_view.forceShown.connect(self.apply)
        window.selection.changed.connect(self._selected)
        QTimer.singleShot(0, self.load_criteria)

    @property
    def criteria(self):
        """The criteria file, read on first use; adds its criteria to the choices."""
        if self._criteria is None:
            from beatdesk.services.scoring import load_criteria

            self._criteria = load_criteria()
            self.scale = ColourScale(self.scale_kind, self._criteria.rag.cap)
            for key, label in modes_of(self._criteria)[1:]:
                self.modes.append((key, label))
                self.mode_combo.addItem(label, key)
                self._add_mode_action(key, label)
        return self._criteria

    def load_criteria(self) -> bool:
        """Read the criteria file now; a faulty one is reported (its line and problem), not raised."""
        from beatdesk.services.errors import ServiceError

        try:
            self.criteria  # noqa: B018 (read for its effect)
        except ServiceError as exc:
            self._failed(str(exc))
            return False
        return True

    # ---- choices ------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("colourByCombo")
        self.mode_combo.addItem("Sectors", SECTORS)
        for key, label in self.modes:
            self.mode_combo.addItem(label, key)
        self.mode_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.mode_combo.setMinimumContentsLength(22)  # the longest criteria still show in the open list
        self.mode_combo.setToolTip("Colour the beats by sector, overall score or one Blueprint criterion")
        self.mode_combo.currentIndexChanged.connect(lambda i: self.set_mode(self.mode_combo.itemData(i)))
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("periodCombo")
        for key, label in PERIOD_KINDS:
            self.period_combo.addItem(label, key)
        self.period_combo.setCurrentIndex(1)
        self.period_combo.currentIndexChanged.connect(
            lambda i: self.set_period(self.period_combo.itemData(i), self.end, self.start))
        self.start_edit, self.end_edit = QDateEdit(), QDateEdit()
        for name, edit in (("periodStart", self.start_edit), ("periodEnd", self.end_edit)):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
            edit.setDate(QDate(self.end.year, self.end.month, self.end.day))
        self.end_edit.setToolTip("The period ends on this day (included)")
        self.start_edit.setToolTip("A custom period starts on this day")
        self.end_edit.dateChanged.connect(lambda d: self.set_period(self.period_kind, d.toPython(), self.start))
        self.start_edit.dateChanged.connect(lambda d: self.set_period(self.period_kind, self.end, d.toPython()))

    def toolbar(self) -> QToolBar:
        bar = QToolBar("Scores")
        bar.setObjectName("scoresToolbar")
        bar.setMovable(False)
        bar.addWidget(QLabel(" Colour by "))
        bar.addWidget(self.mode_combo)
        bar.addWidget(QLabel("  Period "))
        bar.addWidget(self.period_combo)
        self.from_label = QLabel(" from ")
        self._from_actions = [bar.addWidget(self.from_label), bar.addWidget(self.start_edit)]
        bar.addWidget(QLabel(" to "))
        bar.addWidget(self.end_edit)
        self._show_custom()
        return bar

    def menu(self, parent) -> QMenu:
        menu = QMenu("&Scores", parent)
        self._colour_by = menu.addMenu("Colour by")
        for key, label in [(SECTORS, "Sectors"), *self.modes]:
            self._add_mode_action(key, label)
        scale_menu = menu.addMenu("Colour scale")
        scales = QActionGroup(self)
        for key, label in SCALE_LABELS.items():
            action = scale_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(key == self.scale_kind)
            action.triggered.connect(lambda _=False, k=key: self.set_scale(k))
            scales.addAction(action)
        menu.addSeparator()
        self.refresh_action = menu.addAction("Recompute scores", self.recompute)
        self.refresh_action.setShortcut("F5")
        self.refresh_action.setStatusTip("Score the beats again with the latest activity")
        return menu

    def _add_mode_action(self, key: str, label: str) -> None:
        if self._colour_by is None:
            return
        where = self._colour_by
        if "/" in key:
            role = key.split("/")[0]
            if role not in self._sections:
                self._sections[role] = where.addMenu("Team measures" if role == TEAM else f"{role} criteria")
            where, label = self._sections[role], label.split(" · ", 1)[1]
        action = where.addAction(label)
        action.setCheckable(True)
        action.setChecked(key == self.mode)
        action.triggered.connect(lambda _=False, k=key: self.set_mode(k))
        self._mode_group.addAction(action)
        self.mode_actions[key] = action

    def set_mode(self, mode: str) -> None:
        """Colour by ``mode`` (sectors, overall or a criterion); computes the scores first if needed."""
        if mode is None or mode == self.mode or not self.load_criteria():
            return
        if mode != SECTORS and mode not in dict(self.modes):
            self._failed(f"colour by: {mode!r} is not a criterion of the criteria file.")
            return
        self.mode = mode
        index = self.mode_combo.findData(mode)
        if index != self.mode_combo.currentIndex():
            self.mode_combo.blockSignals(True)
            self.mode_combo.setCurrentIndex(index)
            self.mode_combo.blockSignals(False)
        if mode in self.mode_actions:
            self.mode_actions[mode].setChecked(True)
        if mode != SECTORS and (self.stale or self.data is None):
            self.refresh()
        self.apply()

    def set_scale(self, kind: str) -> None:
        self.scale_kind = kind
        self.scale = ColourScale(kind, self._criteria.rag.cap if self._criteria else 150.0)
        self.apply()

    def set_period(self, kind: str, end: date, start: date | None = None) -> None:
        """A period of ``kind`` ending on ``end`` (custom: from ``start``); recomputes in score mode."""
        self.period_kind, self.end = kind, end
        self.start = start if kind == "custom" else None
        for combo, value in ((self.period_combo, kind),):
            if combo.currentData() != value:
                combo.blockSignals(True)
                combo.setCurrentIndex(combo.findData(value))
                combo.blockSignals(False)
        for edit, day in ((self.end_edit, end), (self.start_edit, start)):
            if day is not None and edit.date().toPython() != day:
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        if kind == "custom" and self.start is None:
            self.start = self.start_edit.date().toPython()
        self._show_custom()
        self.stale = True
        if self.mode != SECTORS:
            self.refresh()

    def _show_custom(self) -> None:
        for action in getattr(self, "_from_actions", []):
            action.setVisible(self.period_kind == "custom")

    def period(self):
        from beatdesk.services.scoring import Period

        if self.period_kind == "custom":
            return Period.custom(self.start or self.end, self.end)
        return Period.ending(self.period_kind, self.end)

    # ---- computing ----------------------------------------------------------------------------

    def recompute(self) -> None:
        from beatdesk.services.scoring import clear_cache

        clear_cache(self.window.engine)
        self.stale = True
        if self.mode != SECTORS:
            self.refresh()

    def refresh(self) -> None:
        """Score the beats for the chosen period off the GUI thread (once the runner is free)."""
        jobs = self.window.jobs
        if jobs.busy:
            self._retry.start()  # another job (an import, this one for an older period): try again soon
            return
        try:
            period = self.period()
        except Exception as exc:  # noqa: BLE001 (the period's own message: a custom end before its start)
            self._failed(str(exc))
            return
        self.window.statusBar().showMessage(f"Scoring the beats, {period.label}…")
        jobs.start("Scoring the beats", compute_score_map, self.window.engine, self.window.actor, period,
                   on_finished=lambda data, p=period: self._done(data, p), on_failed=self._failed)

    def _done(self, data: ScoreMapData, period) -> None:
        if period != self.period():  # the choice changed while it ran
            self.refresh()
            return
        self.data, self.stale, self.failure = data, False, ""
        self.window.statusBar().showMessage(f"Scores for {period.label}", 6000)
        self.apply()
        self._selected(self.window.selection.current)
        self.computed.emit()

    def _failed(self, message: str) -> None:
        self.failure = message
        self.window.statusBar().showMessage(f"Scores not computed: {message}", 15000)

    # ---- showing ------------------------------------------------------------------------------

    def apply(self) -> None:
        """Recolour: brushes, labels, tooltips and the key only; the scene is never rebuilt."""
        view, data = self.map_view, self.data
        if self.mode == SECTORS or data is None or self.mode not in data.values:
            view.set_beat_fills(None)
            view.set_beat_values(None)
            view.set_beat_tooltips(None)
            self.legend.show_sector_key()
            self.breakdown.hide()
            self.applied.emit()
            return
        values = data.values[self.mode]
        view.set_beat_fills({code: (self.scale.colour(v), v is None) for code, (v, _) in values.items()})
        view.set_beat_values({code: value_text(v, c) for code, (v, c) in values.items()})
        view.set_beat_tooltips(data.tooltips.get(self.mode, {}))
        self.legend.show_score_key(self.mode_label(), self.scale, self.criteria.rag, data.period.label)
        self._selected(self.window.selection.current)
        self.applied.emit()

    def mode_label(self) -> str:
        return dict([(SECTORS, "Sectors"), *self.modes]).get(self.mode, self.mode)

    def _selected(self, code: str | None) -> None:
        if self.mode == SECTORS or self.data is None or code is None:
            self.breakdown.hide()
            return
        score = self.data.scores.get(code)
        if self._shown != (id(score), self.mode):  # a new beat, period or colouring: show it afresh
            self._shown = (id(score), self.mode)
            self.breakdown.show_score(score, self.mode)
        self.breakdown.show()

    def show_evidence(self, role: str, key: str) -> None:
        """The second click: the entries (duties, tasks) behind one criterion of the selected beat."""
        from beatdesk.services.score_evidence import evidence_rows
        from beatdesk.services.scoring import Level

        score = self.breakdown.score
        if score is None:
            return
        try:
            rows = evidence_rows(self.window.engine, self.window.actor, Level.BEAT, score.subject.id, role, key,
                                 score.period)
        except Exception as exc:  # noqa: BLE001 (a refusal or fault is shown, not raised into Qt)
            self.breakdown.show_evidence([], f"Cannot list the entries: {exc}")
            return
        what = "tasks" if key == "tasks_on_time" else "duties" if key == "time_outside" else "entries"
        self.breakdown.show_evidence(rows, f"{len(rows):,} {what} behind it:")
