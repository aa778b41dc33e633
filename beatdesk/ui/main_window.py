"""The main window: the beat map in the centre, the force tree and map key on the left, the selected
beat's team and wards on the right, the demo banner on top and the status line below.

It wires views together and calls services; what it shows comes from ``beatdesk.services.force_view``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from beatdesk.database import session_scope
from beatdesk.services.actor import Actor
from beatdesk.services.force_view import ForceMap, banner_text, load_force_map, overview_lines, status_text
from beatdesk.ui import palette
from beatdesk.ui.demo_banner import DemoBanner
from beatdesk.ui.elided_label import ElidedLabel
from beatdesk.ui.force_tree import ForceTree
from beatdesk.ui.legend import Legend
from beatdesk.ui.map_view import MapView
from beatdesk.ui.selection import BeatSelection
from beatdesk.ui.workers import JobRunner

if TYPE_CHECKING:  # the panel and the menus are imported when built, after the first paint
    from beatdesk.ui.beat_panel import BeatPanel

WARD_FILE_FILTER = "Ward boundaries (*.geojson *.json *.gpkg *.shp);;All files (*)"
SETTINGS_GEOMETRY = "main_window/geometry"
SETTINGS_STATE = "main_window/state"
SETTINGS_SPLITTER = "main_window/force_splitter"
SETTINGS_LAST_DIR = "main_window/last_ward_dir"
SETTINGS_PLACES = "map/places_visible"
LAYOUT_VERSION = 1
DEFAULT_SIZE = (1400, 900)
FINISH_AT_THE_LATEST_MS = 500  # a progressive window not painted by then is built anyway


class MainWindow(QMainWindow):
    """The desk's window. With ``progressive`` (the desk's own start) the first paint shows the map,
    the force tree and map key, the demo banner, the status line and the beat panel's (empty) dock;
    the panel, menus, toolbars, places and scores follow straight after it (:meth:`finish_building`).
    Otherwise, as for screenshots and tests, the window is complete on return."""

    completed = Signal()  # finish_building has run: menus, panel and scores are there

    def __init__(
        self,
        engine: Engine,
        actor: Actor,
        settings: QSettings | None = None,
        pool: QThreadPool | None = None,
        parent: QWidget | None = None,
        *,
        progressive: bool = False,
    ):
        super().__init__(parent)
        self.engine = engine
        self.actor = actor
        self.settings = settings if settings is not None else QSettings()
        self.force_map: ForceMap | None = None
        self.built = False
        self.selection = BeatSelection(self)
        self.jobs = JobRunner(self, pool)
        self.setWindowTitle("BeatDesk — neighbourhood policing")
        self.setObjectName("mainWindow")
        self.setMinimumSize(900, 600)

        self.banner = DemoBanner()
        self.map_view = MapView()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.map_view, 1)
        self.setCentralWidget(central)

        self.tree = ForceTree(self.selection)
        self.legend = Legend()
        self.force_splitter = QSplitter(Qt.Orientation.Vertical)
        self.force_splitter.setObjectName("forceSplitter")
        self.force_splitter.addWidget(self.tree)
        self.force_splitter.addWidget(self.legend)
        self.force_splitter.setStretchFactor(0, 3)
        self.force_splitter.setStretchFactor(1, 2)
        self.force_splitter.setChildrenCollapsible(False)
        self.force_dock = self._dock("Force", "forceDock", self.force_splitter, Qt.DockWidgetArea.LeftDockWidgetArea)

        # the beat panel's dock holds its place from the first paint; the panel comes with finish_building
        self.panel: BeatPanel | None = None
        self.panel_dock = self._dock("Beat", "beatDock", QWidget(), Qt.DockWidgetArea.RightDockWidgetArea)
        self.activity_form = None  # the activity form and its dock are made when first opened
        self.tasking_board = None  # likewise the tasking board and its window
        self.tasking_window: QMainWindow | None = None
        self.my_day = None  # and My day
        self.my_day_window: QMainWindow | None = None
        self.activity_dock: QDockWidget | None = None

        self.status_label = ElidedLabel()
        self.status_label.setObjectName("mapStatus")
        self.statusBar().addPermanentWidget(self.status_label, 1)

        self.reload()
        self.apply_default_layout()
        self._restore_geometry()
        # the docks as they were left (again once the toolbars exist); else shared out once shown, when
        # the window's layout is real and the shares take
        self._share_when_shown = not self._restore_docks()
        if progressive:
            # on a timer: the paint that fired it reaches the screen before the rest is built; and if
            # the window is not painted at all (hidden, on another desktop) it is built all the same
            self._finish_timer = QTimer(self)
            self._finish_timer.setSingleShot(True)
            self._finish_timer.timeout.connect(self.finish_building)
            self._finish_timer.start(FINISH_AT_THE_LATEST_MS)
            self.map_view.firstPainted.connect(lambda: self._finish_timer.start(0))
        else:
            self.finish_building()

    def finish_building(self) -> None:
        """Build what the first paint does without: the beat panel, menus, toolbars, the places
        layer with its key, and scores; then the saved dock and toolbar layout. Idempotent."""
        if self.built:
            return
        self.built = True
        from beatdesk.ui.beat_panel import BeatPanel

        self.panel = BeatPanel()
        self.panel_dock.setWidget(self.panel)
        self._build_actions()
        self.map_view.beatClicked.connect(self.selection.select)
        self.map_view.beatHovered.connect(self._show_hover)
        self.map_view.beatDoubleClicked.connect(self.zoom_to_beat)
        self.tree.beatActivated.connect(self.zoom_to_beat)
        self.selection.changed.connect(self._selection_changed)
        self._show_panel()
        self.reload_places()
        self.legend.show_places_key()
        self._restore_docks()
        self.completed.emit()

    # ---- building -----------------------------------------------------------------------------

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        features = QDockWidget.DockWidgetFeature
        dock.setFeatures(features.DockWidgetMovable | features.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        from beatdesk.ui.security_menu import add_security_actions

        self.import_action = self._action(
            "Import ward boundaries…", self.choose_ward_file, "Ctrl+I",
            "Load official ONS ward boundaries (GeoJSON, GeoPackage or Shapefile) and draw the real beats",
        )
        self.import_action.setObjectName("importWardsAction")
        quit_action = self._action("Quit", self.close, QKeySequence.StandardKey.Quit)
        self.zoom_in_action = self._action("Zoom in", self.map_view.zoom_in, "Ctrl++", "Zoom in on the map")
        self.zoom_in_action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.zoom_out_action = self._action("Zoom out", self.map_view.zoom_out, "Ctrl+-", "Zoom out")
        self.fit_action = self._action("Fit to window", self.map_view.fit, "Ctrl+0", "Show the whole force")
        clear_action = self._action("Clear selection", lambda: self.selection.select(None), "Esc")
        self.zoom_beat_action = self._action(
            "Zoom to selected beat", self._zoom_to_selected, "Ctrl+B", "Fill the map with the selected beat"
        )

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.import_action)
        add_security_actions(self, file_menu)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            view_menu.addAction(action)
        view_menu.addAction(self.zoom_beat_action)
        view_menu.addSeparator()
        view_menu.addAction(clear_action)
        view_menu.addSeparator()
        view_menu.addAction(self.force_dock.toggleViewAction())
        view_menu.addAction(self.panel_dock.toggleViewAction())
        view_menu.addSeparator()
        self.places_action = self._action(
            "Show places", self.map_view.set_places_visible, "Ctrl+P",
            "Hotspots, high-risk and vulnerable locations on the map (with ward boundaries loaded)",
        )
        self.places_action.setObjectName("placesAction")
        self.places_action.setCheckable(True)
        self.places_action.setChecked(self.map_view.places_visible)
        self.map_view.placesVisibleChanged.connect(self.places_action.setChecked)
        view_menu.addAction(self.places_action)
        self._build_places_menu()

        self.log_activity_action = self._action(
            "Log activity…", self.open_activity_form, "Ctrl+L",
            "Record arrests, stop-searches, engagement and the other Blueprint measures",
        )
        self.log_activity_action.setObjectName("logActivityAction")
        # Edit holds the activity form's undo and redo once the form exists (see open_activity_form)
        self.edit_menu = self.menuBar().addMenu("&Edit")
        self.edit_menu.menuAction().setVisible(False)
        activity_menu = self.menuBar().addMenu("&Activity")
        activity_menu.addAction(self.log_activity_action)
        self.my_day_action = self._action(
            "My day…", self.open_my_day, "Ctrl+Shift+D",
            "An officer's tasks for today with their places, progress and activity logged against them",
        )
        self.my_day_action.setObjectName("myDayAction")
        activity_menu.addAction(self.my_day_action)
        self.tasking_action = self._action(
            "Tasking board…", self.open_tasking_board, "Ctrl+T",
            "Who is on duty, their tasks for the day, and the briefing sheet",
        )
        self.tasking_action.setObjectName("taskingAction")
        tasking_menu = self.menuBar().addMenu("&Tasking")
        tasking_menu.addAction(self.tasking_action)

        toolbar = self.addToolBar("Map")
        toolbar.setObjectName("mapToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.import_action)
        toolbar.addSeparator()
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.tasking_action)
        toolbar.addAction(self.log_activity_action)
        self._build_scores_menu()

    def _build_scores_menu(self) -> None:
        """The Scores menu and toolbar: colour the beats by overall score or one criterion, for a
        period; ``score_map`` computes off the GUI thread and recolours (see ``score_view``)."""
        from beatdesk.ui.score_view import ScoreMap

        self.score_map = ScoreMap(self)
        scores_menu = self.score_map.menu(self)
        self.dashboard_action = self._action(
            "Review &dashboard…", self.open_dashboard, "Ctrl+Shift+R",
            "League tables of beats and officers with RAG status, 12-month trends and CSV export",
        )
        self.dashboard_action.setObjectName("dashboardAction")
        scores_menu.addSeparator()
        scores_menu.addAction(self.dashboard_action)
        from beatdesk.ui.reports.menu import add_report_actions

        self.report_actions = add_report_actions(scores_menu, self)
        self.menuBar().addMenu(scores_menu)
        self.addToolBar(self.score_map.toolbar())
        self.dashboard = None  # built when first opened

    def open_dashboard(self) -> None:
        """The inspector's review dashboard, a window of its own kept by this one."""
        if self.dashboard is None:
            from beatdesk.ui.dashboard import Dashboard

            self.dashboard = Dashboard(self.engine, self.actor)
        self.dashboard.show()
        self.dashboard.raise_()

    def _build_places_menu(self) -> None:
        """The Places menu: new places typed or drawn on the map. A place's own symbol opens it for
        editing (double-click) or retiring (context menu); ``place_editor`` does the work."""
        from beatdesk.ui.place_dialog import PlaceEditor

        self.place_editor = PlaceEditor(self.engine, self.actor, self.map_view, self, lambda: self.selection.current)
        self.place_editor.changed.connect(self.reload_places)
        self.new_place_action = self._action(
            "New place…", self.place_editor.new_place, "Ctrl+Shift+N",
            "Add a hotspot, high-risk or vulnerable location by typing its coordinates",
        )
        self.draw_point_action = self._action(
            "Draw point on map", self.place_editor.draw_point, "Ctrl+Shift+P",
            "Click a place on the map to add it (with ward boundaries loaded)",
        )
        self.draw_area_action = self._action(
            "Draw area on map", self.place_editor.draw_area, "Ctrl+Shift+A",
            "Click the corners of an area on the map to add it; double-click or Enter finishes",
        )
        menu = self.menuBar().addMenu("&Places")
        for name, action in (("newPlaceAction", self.new_place_action), ("drawPointAction", self.draw_point_action),
                             ("drawAreaAction", self.draw_area_action)):
            action.setObjectName(name)
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.places_action)

    def reload_places(self, message: str = "") -> None:
        """Redraw only the places layer after a place is saved or retired: the map keeps its zoom."""
        with session_scope(self.engine) as session:
            places = self._read_places(session)
        self.map_view.show_places(places)
        if message:
            self.statusBar().showMessage(message, 8000)

    def open_activity_form(self) -> None:
        """Show the activity form beside the beat panel; built on first use, off the start-up path."""
        if self.activity_dock is None:
            from beatdesk.ui.activity_form import ActivityForm

            self.activity_form = ActivityForm(self.engine, self.actor)
            self.activity_form.changed.connect(self._activity_changed)
            self.activity_dock = self._dock(
                "Log activity", "activityDock", self.activity_form, Qt.DockWidgetArea.RightDockWidgetArea
            )
            self.tabifyDockWidget(self.panel_dock, self.activity_dock)
            self.edit_menu.addAction(self.activity_form.undo_action)  # "Undo Delete entry #12" and so on
            self.edit_menu.addAction(self.activity_form.redo_action)
            self.edit_menu.menuAction().setVisible(True)
        self.activity_dock.show()
        self.activity_dock.raise_()
        self.activity_form.setFocus()

    def open_tasking_board(self) -> None:
        """The sergeant's board in a window of its own (it needs the width); built on first use."""
        if self.tasking_window is None:
            from PySide6.QtWidgets import QMainWindow as Window

            from beatdesk.ui.tasking_board import TaskingBoard

            self.tasking_board = TaskingBoard(self.engine, self.actor)
            self.tasking_window = Window(self)
            self.tasking_window.setObjectName("taskingWindow")
            self.tasking_window.setWindowTitle("Tasking board — BeatDesk")
            self.tasking_window.setCentralWidget(self.tasking_board)
            self.tasking_window.resize(1150, 720)
        self.tasking_window.show()
        self.tasking_window.raise_()
        self.tasking_window.activateWindow()

    def open_my_day(self, officer_id: int | None = None) -> bool:
        """Show an officer's day: the actor's own, else the officer chosen (until sign-in, the desk asks)."""
        from datetime import datetime
        from zoneinfo import ZoneInfo

        officer_id = officer_id or self.actor.officer_id or self._choose_officer()
        if officer_id is None:
            return False
        if self.my_day_window is None:
            from PySide6.QtWidgets import QMainWindow as Window

            from beatdesk.ui.my_day import MyDayView

            self.my_day = MyDayView(self.engine, self.actor)
            self.my_day_window = Window(self)
            self.my_day_window.setObjectName("myDayWindow")
            self.my_day_window.setWindowTitle("My day — BeatDesk")
            self.my_day_window.setCentralWidget(self.my_day)
            self.my_day_window.resize(1150, 720)
        shown = self.my_day.show_for(officer_id, datetime.now(ZoneInfo("Europe/London")).date())
        if shown:
            self.my_day_window.show()
            self.my_day_window.raise_()
        return shown

    def _choose_officer(self) -> int | None:
        from PySide6.QtWidgets import QInputDialog

        from beatdesk.services.activity_view import officers_for

        with session_scope(self.engine) as session:
            choices = officers_for(session, self.actor)
        if not choices:
            QMessageBox.information(self, "My day", "No officers are in service today.")
            return None
        labels = [c.label for c in choices]
        label, ok = QInputDialog.getItem(self, "My day", "Whose day?", labels, 0, True)
        return choices[labels.index(label)].id if ok and label in labels else None

    def _activity_changed(self) -> None:
        self.statusBar().showMessage("Activity saved.", 4000)

    # ---- data ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the force again and redraw everything, keeping the selected beat when it still exists."""
        with session_scope(self.engine) as session:
            self.force_map = load_force_map(session, self.actor)
            places = self._read_places(session) if self.built else []  # the first paint goes without
        self.banner.set_label(banner_text(self.engine, self.force_map.demo_seed))
        self.map_view.show_force(self.force_map)
        self.map_view.show_places(places)
        self.tree.load(self.force_map)
        self.legend.load(self.force_map, places=self.built)
        self.status_label.setText(status_text(self.force_map))
        if self.built:
            self._show_panel()

    def _read_places(self, session) -> list:
        """The places layer: drawn on real outlines only (``MapView.show_places``)."""
        if self.force_map is None or not self.force_map.has_boundaries:
            return []
        from beatdesk.services.places import places_for_map

        return places_for_map(session, self.actor)

    def _show_panel(self) -> None:
        """The beat panel for the force just read (it comes after the first paint)."""
        self.panel.set_overview(overview_lines(self.force_map))
        current = self.selection.current
        if current is not None and not self.force_map.has_beat(current):
            self.selection.select(None)
        else:
            self._selection_changed(current)

    def select_beat(self, code: str | None) -> None:
        self.selection.select(code)

    def zoom_to_beat(self, code: str) -> None:
        """Select beat ``code`` and fill the map with it (double-click on the map or in the tree)."""
        self.selection.select(code)
        self.map_view.zoom_to_beat(code)

    def sector_colour(self, sector_code: str) -> str:
        return palette.colour_in(self.force_map, sector_code) if self.force_map else palette.sector_colour(sector_code)

    def _selection_changed(self, code: str | None) -> None:
        self.map_view.set_selected(code)
        beat = self.force_map.beat(code) if code and self.force_map and self.force_map.has_beat(code) else None
        self.panel.show_beat(beat, self.sector_colour(beat.sector_code) if beat else "#888888")

    def _zoom_to_selected(self) -> None:
        if self.selection.current:
            self.map_view.zoom_to_beat(self.selection.current)

    def _show_hover(self, code: str | None) -> None:
        if code and self.force_map and self.force_map.has_beat(code):
            beat = self.force_map.beat(code)
            self.statusBar().showMessage(f"{beat.title} — {beat.sector_name} sector, {beat.lpa_name} LPA")
        else:
            self.statusBar().clearMessage()

    # ---- ward import --------------------------------------------------------------------------

    def choose_ward_file(self) -> None:
        start = str(self.settings.value(SETTINGS_LAST_DIR, "") or Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Import ward boundaries", start, WARD_FILE_FILTER)
        if path:
            self.settings.setValue(SETTINGS_LAST_DIR, str(Path(path).parent))
            self.import_ward_file(path)

    def import_ward_file(self, path: str | Path) -> None:
        """Import ``path`` off the GUI thread; the map redraws with real boundaries when it is done."""
        if self.jobs.busy:
            QMessageBox.information(self, "Please wait", "Another job is still running.")
            return
        from beatdesk.services.wards import import_wards  # reads files with geopandas: never at start-up

        self.import_action.setEnabled(False)
        self.statusBar().showMessage(f"Importing ward boundaries from {Path(path).name}…")
        self.jobs.start(
            "Importing ward boundaries",
            import_wards,
            self.engine,
            self.actor,
            str(path),
            on_finished=self._wards_imported,
            on_failed=self._wards_failed,
            on_cancelled=self._wards_cancelled,
        )

    def _wards_imported(self, report) -> None:
        """``report`` is the service's WardImportReport: its counts and warnings are shown as they are."""
        self.import_action.setEnabled(True)
        self.reload()
        message = f"Imported {report.wards_updated} wards into {report.beats_built} beats from {report.source}"
        warnings = list(report.warnings)
        self.statusBar().showMessage(message + (f" ({len(warnings)} warnings)" if warnings else ""), 15000)
        if warnings:
            QMessageBox.information(self, "Ward boundaries imported", message + ".\n\n" + "\n".join(warnings[:20]))

    def _wards_failed(self, message: str) -> None:
        self.import_action.setEnabled(True)
        self.statusBar().clearMessage()
        QMessageBox.warning(self, "Ward boundaries not imported", message)

    def _wards_cancelled(self) -> None:
        self.import_action.setEnabled(True)
        self.statusBar().showMessage("Ward import cancelled: nothing was changed", 8000)

    # ---- demo force ---------------------------------------------------------------------------

    def generate_demo_force(self) -> None:
        """Fill an empty force with the demo force off the GUI thread, then show it."""
        from beatdesk.services.demo import generate_demo

        self.statusBar().showMessage("Generating the demo force…")
        self.jobs.start(
            "Generating the demo force",
            generate_demo,
            self.engine,
            self.actor,
            pass_cancelled=True,
            on_finished=self._demo_done,
            on_failed=self._demo_failed,
            on_cancelled=self._demo_cancelled,
        )

    def _demo_done(self, report) -> None:
        """``report`` is the demo service's DemoReport; its first line says what was made."""
        self.reload()
        lines = report.lines() if hasattr(report, "lines") else ["Demo force generated."]
        self.statusBar().showMessage(" ".join(lines), 15000)

    def _demo_failed(self, message: str) -> None:
        self.statusBar().clearMessage()
        QMessageBox.warning(self, "Demo force not generated", message)

    def _demo_cancelled(self) -> None:
        self.statusBar().showMessage("Demo force not generated: cancelled", 8000)

    # ---- layout memory ------------------------------------------------------------------------

    def apply_default_layout(self, width: int | None = None, height: int | None = None) -> None:
        """Size the window (by default to fit the screen, at most 1400x900) and share its width out:
        the map keeps most of it, the tree and the beat panel get what their text needs."""
        if width is None or height is None:
            screen = self.screen().availableGeometry() if self.screen() else None
            width = min(DEFAULT_SIZE[0], int(screen.width() * 0.92)) if screen else DEFAULT_SIZE[0]
            height = min(DEFAULT_SIZE[1], int(screen.height() * 0.92)) if screen else DEFAULT_SIZE[1]
        self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))
        self._share_width()

    def _share_width(self) -> None:
        left = min(320, max(240, round(self.width() * 0.21)))
        right = min(360, max(290, round(self.width() * 0.24)))
        self.resizeDocks([self.force_dock, self.panel_dock], [left, right], Qt.Orientation.Horizontal)

    def restore_layout(self) -> bool:
        """The window's size, docks, toolbars and splitter as they were left (see ``save_layout``)."""
        restored = self._restore_geometry()
        return self._restore_docks() or restored

    def _restore_geometry(self) -> bool:
        geometry = self.settings.value(SETTINGS_GEOMETRY)
        self.map_view.set_places_visible(self.settings.value(SETTINGS_PLACES, True, type=bool))
        if isinstance(geometry, QByteArray | bytes) and geometry:
            return self.restoreGeometry(QByteArray(geometry))
        return False

    def _restore_docks(self) -> bool:
        """Docks, toolbars and the force splitter; before ``finish_building`` only what exists is placed."""
        state = self.settings.value(SETTINGS_STATE)
        splitter = self.settings.value(SETTINGS_SPLITTER)
        restored = False
        if isinstance(state, QByteArray | bytes) and state:
            restored = self.restoreState(QByteArray(state), LAYOUT_VERSION)
        if isinstance(splitter, QByteArray | bytes) and splitter:
            self.force_splitter.restoreState(QByteArray(splitter))
        return restored

    def save_layout(self) -> None:
        self.settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        if self.built:  # closed before the rest was built: the saved docks and toolbars stay as they were
            self.settings.setValue(SETTINGS_STATE, self.saveState(LAYOUT_VERSION))
        self.settings.setValue(SETTINGS_SPLITTER, self.force_splitter.saveState())
        self.settings.setValue(SETTINGS_PLACES, self.map_view.places_visible)
        self.settings.sync()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._share_when_shown:
            self._share_when_shown = False
            self._share_width()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.jobs.busy and self.jobs.worker is not None:
            self.jobs.worker.cancel()
        self.save_layout()
        super().closeEvent(event)
