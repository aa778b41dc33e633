"""The place dialog (new or edit: beat, name, kind, typed coordinates read back live, peak days and hours,
note) and ``PlaceEditor``, which opens it from the menu, from a drawing on the map or from a place's
symbol, and retires places.

Saving calls ``create_place`` or ``update_place`` (against the version opened, with only the fields
changed); a refusal is shown in the dialog in the service's words and nothing typed is lost. When
someone else saved the place first the dialog says so and offers to reload it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTime, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
    QMessageBox, QPlainTextEdit, QPushButton, QTimeEdit, QToolButton, QVBoxLayout, QWidget,
)
from sqlalchemy import Engine
from sqlmodel import Session

from beatdesk.models import PlaceKind
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict, ServiceError
from beatdesk.services.places import (
    DAYS, PlaceInput, beat_choices, beat_for_geometry, coordinates_text, create_place, describe_coordinates,
    parse_coordinates, place_for_edit, retire_place, update_place,
)
from beatdesk.ui.place_items import symbol_pixmap

OK_COLOUR, BAD_COLOUR, QUIET_COLOUR = "#1B6E20", "#B00020", "#555555"
DAY_STYLE = (  # a chosen day must read as chosen at a glance, not as a faintly sunken button
    "QToolButton { padding: 3px 8px; border: 1px solid #9A9A9A; border-radius: 3px; background: #FAFAFA; }"
    " QToolButton:checked { background: #1F4E8C; color: white; border-color: #163A69; font-weight: bold; }"
    " QToolButton:focus { border: 2px solid #3D8EDB; }"
)
COORDINATES_HINT = (
    "A point: E 475601 N 260638, or 475601, 260638, or 52.2368, -0.8971 (latitude, longitude).\n"
    "An area: one corner per line, at least three."
)


def _label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose mnemonic focuses ``buddy`` (rows holding a layout get no buddy by themselves)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class PlaceDialog(QDialog):
    """Create a place (``place_id`` None; ``beat`` and ``geometry`` pre-fill it) or edit one.
    ``place_id`` is set once a new place is saved."""

    def __init__(self, engine: Engine, actor: Actor, place_id: int | None = None, beat: str | None = None,
                 geometry=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine, self.actor = engine, actor
        self.place_id, self.version = place_id, None
        self._opened: dict | None = None  # the fields as loaded, to send only what changed
        self.setObjectName("placeDialog")
        form = QFormLayout()
        self.beat_combo = QComboBox()
        self.beat_combo.addItem("Choose a beat…", "")
        with Session(engine) as session:
            for code, label in beat_choices(session, actor):
                self.beat_combo.addItem(label, code)
        form.addRow("&Beat", self.beat_combo)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Market Square")
        form.addRow("&Name", self.name_edit)
        self.kind_combo = QComboBox()
        for kind in PlaceKind:
            self.kind_combo.addItem(QIcon(symbol_pixmap(kind)), kind.label, kind.value)
        form.addRow("&Kind", self.kind_combo)
        self.coordinates_edit = QPlainTextEdit()
        self.coordinates_edit.setTabChangesFocus(True)
        self.coordinates_edit.setPlaceholderText(COORDINATES_HINT)
        self.coordinates_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.coordinates_status = QLabel()
        self.coordinates_status.setObjectName("coordinatesStatus")
        self.coordinates_status.setWordWrap(True)
        where = QVBoxLayout()
        where.setSpacing(3)
        where.addWidget(self.coordinates_edit)
        where.addWidget(self.coordinates_status)
        form.addRow(_label("&Coordinates", self.coordinates_edit), where)
        self.day_buttons: list[QToolButton] = []
        days = QHBoxLayout()
        days.setSpacing(2)
        for day in DAYS:
            button = QToolButton()
            button.setText(day)
            button.setCheckable(True)
            button.setMinimumWidth(44)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setAccessibleName(f"Peak on {day}")
            button.setStyleSheet(DAY_STYLE)
            days.addWidget(button)
            self.day_buttons.append(button)
        days.addStretch(1)
        form.addRow(_label("Peak &days", self.day_buttons[0]), days)
        self.hours_check = QCheckBox("from")
        self.start_edit, self.end_edit = QTimeEdit(QTime(22, 0)), QTimeEdit(QTime(3, 0))
        hours = QHBoxLayout()
        hours.addWidget(self.hours_check)
        for label, edit in (("", self.start_edit), ("to", self.end_edit)):
            edit.setDisplayFormat("HH:mm")
            edit.setEnabled(False)
            if label:
                hours.addWidget(QLabel(label))
            hours.addWidget(edit)
        hours.addStretch(1)
        self.hours_check.toggled.connect(self.start_edit.setEnabled)
        self.hours_check.toggled.connect(self.end_edit.setEnabled)
        form.addRow(_label("Peak &hours", self.hours_check), hours)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText("What officers should know, e.g. CCTV covers the west side")
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        form.addRow("N&ote", self.note_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("placeError")
        self.error_label.setStyleSheet(f"color:{BAD_COLOUR};")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.reload_button = QPushButton("&Reload")
        self.reload_button.setToolTip("Read the place as it is saved now (what you changed here is replaced)")
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.reload_button.hide()
        self.reload_button.clicked.connect(self.reload)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.coordinates_edit.textChanged.connect(self._check_coordinates)
        self.coordinates_edit.installEventFilter(self)
        self.beat_combo.currentIndexChanged.connect(self._check_coordinates)
        if place_id is not None:
            self.load()
        else:
            self.setWindowTitle("New place")
            self._set_beat(beat)
            if geometry is not None:
                text = geometry if isinstance(geometry, str) else coordinates_text(geometry, "\n")
                self.coordinates_edit.setPlainText(text)
        self._check_coordinates()
        self.resize(560, self.sizeHint().height())
        self.name_edit.setFocus()

    # ---- fields -------------------------------------------------------------------------------

    def load(self) -> None:
        """Fill the fields with the place as saved now (a ServiceError if it is retired or gone)."""
        with Session(self.engine) as session:
            form = place_for_edit(session, self.actor, self.place_id)
        self.version = form.version
        self.setWindowTitle(f"Edit place — {form.name}")
        self._set_beat(form.beat_code)
        self.name_edit.setText(form.name)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(form.kind.value))
        self.coordinates_edit.setPlainText(coordinates_text(form.geometry, "\n"))
        for i, button in enumerate(self.day_buttons):
            button.setChecked(i in form.peak_days)
        self.hours_check.setChecked(form.peak_start is not None)
        if form.peak_start is not None:
            self.start_edit.setTime(QTime.fromString(form.peak_start, "HH:mm"))
            self.end_edit.setTime(QTime.fromString(form.peak_end, "HH:mm"))
        self.note_edit.setPlainText(form.note)
        self._opened = self.values()

    def _set_beat(self, code: str | None) -> None:
        index = self.beat_combo.findData(code) if code else 0
        self.beat_combo.setCurrentIndex(max(index, 0))

    def coordinates(self) -> str:
        """The typed coordinates as one line for the service: lines and ';' both separate points."""
        lines = self.coordinates_edit.toPlainText().replace(";", "\n").splitlines()
        return "; ".join(line.strip() for line in lines if line.strip())

    def values(self) -> dict:
        """The fields as ``PlaceInput`` takes them."""
        hours = self.hours_check.isChecked()
        return {
            "beat": self.beat_combo.currentData() or "",
            "name": self.name_edit.text(),
            "kind": self.kind_combo.currentData(),
            "geometry": self.coordinates(),
            "peak_days": tuple(i for i, b in enumerate(self.day_buttons) if b.isChecked()),
            "peak_start": self.start_edit.time().toString("HH:mm") if hours else None,
            "peak_end": self.end_edit.time().toString("HH:mm") if hours else None,
            "note": self.note_edit.toPlainText(),
        }

    def changes(self) -> dict:
        """The fields that differ from the place as opened (all of them for a new place)."""
        values = self.values()
        if self._opened is None:
            return values
        return {key: value for key, value in values.items() if value != self._opened[key]}

    def _check_coordinates(self) -> None:
        """Read the coordinates back as the user types, checked against the chosen beat."""
        if not self.coordinates():
            self._status("Type a point, or an area's corners one per line.", QUIET_COLOUR)
            return
        try:
            with Session(self.engine) as session:
                text = describe_coordinates(session, self.actor, self.beat_combo.currentData() or None,
                                            self.coordinates())
        except ServiceError as error:
            self._status(f"✗ {error}", BAD_COLOUR)
            return
        self._status(f"✓ {text}", OK_COLOUR)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.coordinates_edit and event.type() == QEvent.Type.FocusOut:
            self._suggest_beat()  # on leaving the field: mid-typing, "52.2, -0" is a point elsewhere
        return super().eventFilter(watched, event)

    def _suggest_beat(self) -> bool:
        """No beat chosen yet: choose the one the typed place lies in, if any."""
        if self.beat_combo.currentData() or not self.coordinates():
            return False
        try:
            geometry = parse_coordinates(self.coordinates())
            with Session(self.engine) as session:
                code = beat_for_geometry(session, self.actor, geometry)
        except ServiceError:
            return False
        if code is None:
            return False
        self._set_beat(code)
        return True

    def _status(self, text: str, colour: str) -> None:
        self.coordinates_status.setText(text)
        self.coordinates_status.setStyleSheet(f"color:{colour};")
        self._fit()

    def _error(self, text: str) -> None:
        self.error_label.setText(text)
        self._fit()

    def _fit(self) -> None:
        """Grow to the height the wrapped messages need, so nothing is squeezed over a field."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        needed = max(needed, layout.totalMinimumSize().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    # ---- saving -------------------------------------------------------------------------------

    def save(self) -> None:
        self.reload_button.hide()
        try:
            if self.place_id is None:
                self.place_id = create_place(self.engine, self.actor, PlaceInput(**self.values()))
            elif self.changes():
                self.version = update_place(self.engine, self.actor, self.place_id, self.changes(), self.version)
        except Conflict as error:
            self._error(f"{error} Reload shows their version; your changes here will be replaced.")
            self.reload_button.show()
            return
        except ServiceError as error:
            self._error(str(error))
            self._focus_field(str(error))
            return
        self.accept()

    def reload(self) -> None:
        """After a conflict: show the place as it is saved now, at its new version."""
        try:
            self.load()
        except ServiceError as error:
            self._error(str(error))
            return
        self.reload_button.hide()
        self._error(f"Reloaded: this is the place as saved now (version {self.version}). "
                    "Make your change again and save.")

    def _focus_field(self, message: str) -> None:
        """Put the cursor where the refusal points ('name: …', 'coordinates: …')."""
        field = message.split(":", 1)[0].strip()
        widgets = {
            "beat": self.beat_combo, "name": self.name_edit, "kind": self.kind_combo,
            "coordinates": self.coordinates_edit, "geometry": self.coordinates_edit,
            "peak days": self.day_buttons[0], "peak hours": self.start_edit, "note": self.note_edit,
        }
        if field in widgets:
            widgets[field].setFocus()


class PlaceEditor(QObject):
    """Opens the place dialog from the Places menu, from a drawing on the map and from a place's symbol,
    and retires places. ``changed`` carries a line for the status bar after every write."""

    changed = Signal(str)

    def __init__(self, engine: Engine, actor: Actor, view, parent: QWidget,
                 current_beat: Callable[[], str | None] = lambda: None) -> None:
        super().__init__(parent)
        self.engine, self.actor, self.view, self.parent_widget = engine, actor, view, parent
        self.current_beat = current_beat
        view.placeDrawn.connect(self.new_from_geometry)
        view.placeEditRequested.connect(self.edit)
        view.placeRetireRequested.connect(self.retire)

    def new_place(self) -> bool:
        """A new place typed in the dialog, on the selected beat if there is one."""
        self.view.set_places_visible(True)
        return self._run(PlaceDialog(self.engine, self.actor, beat=self.current_beat(), parent=self.parent_widget))

    def draw_point(self) -> bool:
        return self._draw("point")

    def draw_area(self) -> bool:
        return self._draw("area")

    def _draw(self, kind: str) -> bool:
        if not self.view.start_drawing(kind):
            QMessageBox.information(
                self.parent_widget, "Draw a place",
                "Places are drawn on the real beat outlines: import ward boundaries first (File > Import ward "
                "boundaries…). Until then, Places > New place… takes typed coordinates.",
            )
            return False
        self.view.set_places_visible(True)
        return True

    def new_from_geometry(self, geometry) -> bool:
        """The dialog for a place just drawn: its coordinates, and the beat under it if any."""
        with Session(self.engine) as session:
            beat = beat_for_geometry(session, self.actor, geometry)
        dialog = PlaceDialog(self.engine, self.actor, beat=beat, geometry=geometry, parent=self.parent_widget)
        return self._run(dialog)

    def edit(self, place_id: int) -> bool:
        try:
            dialog = PlaceDialog(self.engine, self.actor, place_id=place_id, parent=self.parent_widget)
        except ServiceError as error:
            QMessageBox.warning(self.parent_widget, "Place not opened", str(error))
            self.changed.emit("")  # the map was out of date: redraw it
            return False
        return self._run(dialog)

    def retire(self, place_id: int) -> bool:
        """Ask why, then retire: the place leaves the map and tasking but stays on record."""
        try:
            with Session(self.engine) as session:
                name = place_for_edit(session, self.actor, place_id).name
        except ServiceError as error:
            QMessageBox.warning(self.parent_widget, "Place not retired", str(error))
            return False
        reason, ok = QInputDialog.getText(
            self.parent_widget, "Retire place",
            f"Why is “{name}” retired? It leaves the map and tasking but stays on record.",
        )
        if not ok:
            return False
        try:
            retire_place(self.engine, self.actor, place_id, reason)
        except ServiceError as error:
            QMessageBox.warning(self.parent_widget, "Place not retired", str(error))
            return False
        self.changed.emit(f"Place “{name}” retired.")
        return True

    def _run(self, dialog: PlaceDialog) -> bool:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.changed.emit(f"Place “{dialog.name_edit.text().strip()}” saved.")
        return True
