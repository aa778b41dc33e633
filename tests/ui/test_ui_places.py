"""The places layer of the map: drawn above the beats, hidden and shown, with tooltips."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from beatdesk.services.actor import Actor
from beatdesk.services.places import PlaceInput, create_place, places_for_map
from beatdesk.ui.map_items import LABEL_Z
from beatdesk.ui.place_items import PlaceAreaItem, PlacePointItem


@pytest.fixture
def places(boundary_engine):
    admin = Actor.administrator("ui-test")
    create_place(boundary_engine, admin, PlaceInput(
        beat="NT01", name="Market Square", kind="hotspot", geometry="52.2368, -0.8971",
        peak_days=("Fri", "Sat"), peak_start="22:00", peak_end="03:00",
    ))
    create_place(boundary_engine, admin, PlaceInput(
        beat="NT01", name="Bus Station", kind="high-risk location", geometry="52.2395, -0.8985",
    ))
    create_place(boundary_engine, admin, PlaceInput(
        beat="NT01", name="Sheltered housing court", kind="vulnerable location",
        geometry="52.2360, -0.8990; 52.2360, -0.8975; 52.2350, -0.8975; 52.2350, -0.8990",
    ))
    with Session(boundary_engine) as session:
        return places_for_map(session, admin)


def test_layer_draws_one_item_per_place_above_beats_below_labels(boundary_window, places):
    view = boundary_window.map_view
    view.show_places(places)
    items = view.place_items()
    assert len(items) == 3
    assert sum(isinstance(i, PlacePointItem) for i in items) == 2
    assert sum(isinstance(i, PlaceAreaItem) for i in items) == 1
    beat_z = max(item.zValue() for item in view.beat_items().values())
    assert all(beat_z < item.zValue() < LABEL_Z for item in items)
    assert all(item.scene() is view.scene() and item.isVisible() for item in items)


def test_layer_hides_and_shows(boundary_window, places, qtbot):
    view = boundary_window.map_view
    view.show_places(places)
    with qtbot.waitSignal(view.placesVisibleChanged) as signal:
        view.set_places_visible(False)
    assert signal.args == [False] and not view.places_visible
    assert not any(item.isVisible() for item in view.place_items())
    view.show_places(places)  # redrawn while hidden: stays hidden
    assert len(view.place_items()) == 3 and not any(item.isVisible() for item in view.place_items())
    view.set_places_visible(True)
    assert view.places_visible and all(item.isVisible() for item in view.place_items())


def test_tooltip_names_place_kind_beat_and_peak(boundary_window, places):
    view = boundary_window.map_view
    view.show_places(places)
    tip = next(i for i in view.place_items() if i.place.name == "Market Square").toolTip()
    for expected in ["Market Square", "Hotspot", "Beat NT01 Northampton Town Centre", "Peak: Fri–Sat 22:00–03:00"]:
        assert expected in tip


def test_places_survive_a_redraw_and_clicks_still_select_the_beat(boundary_window, places, qtbot):
    from PySide6.QtCore import Qt

    view = boundary_window.map_view
    view.show_places(places)
    view.show_force(boundary_window.force_map)
    assert len(view.place_items()) == 3
    view.zoom_to_beat("NT01")
    point = next(i for i in view.place_items() if isinstance(i, PlacePointItem))
    pos = view.mapFromScene(point.pos())
    with qtbot.waitSignal(view.beatClicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert clicked.args == ["NT01"]


def test_no_places_drawn_on_the_hexagon_map(window, engine):
    admin = Actor.administrator("ui-test")
    create_place(engine, admin, PlaceInput(beat="NT01", name="Market Square", kind="hotspot", geometry=CASTLE_TEXT))
    with Session(engine) as session:
        window.map_view.show_places(places_for_map(session, admin))
    assert window.map_view.place_items() == []


CASTLE_TEXT = "52.2368, -0.8971"


def test_main_window_loads_places_and_the_menu_toggles_them_remembered(boundary_window, places, qtbot, qsettings):
    from beatdesk.ui.main_window import SETTINGS_PLACES

    window = boundary_window
    window.reload()  # the places created after the window opened are read with the force
    assert len(window.map_view.place_items()) == 3
    action = window.places_action
    assert action.isCheckable() and action.isChecked() and window.map_view.places_visible
    action.trigger()
    assert not window.map_view.places_visible and not any(i.isVisible() for i in window.map_view.place_items())
    window.save_layout()
    assert qsettings.value(SETTINGS_PLACES, type=bool) is False
    window.map_view.set_places_visible(True)
    assert action.isChecked()  # the menu follows the map
    window.restore_layout()
    assert not window.map_view.places_visible and not action.isChecked()


def test_no_places_on_the_hexagon_map(window):
    assert window.map_view.place_items() == []
    assert window.places_action.isEnabled()


def test_map_key_explains_the_place_symbols_on_real_boundaries(boundary_window, window):
    from PySide6.QtWidgets import QLabel

    def kinds(w):
        return [label.text() for label in w.legend.findChildren(QLabel, "legendPlaceKind")]

    assert kinds(boundary_window) == ["Hotspot", "High-risk location", "Vulnerable location"]
    icons = [label.pixmap() for label in boundary_window.legend.findChildren(QLabel) if not label.pixmap().isNull()]
    assert len(icons) == 3
    image = icons[0].toImage()
    assert len({image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}) > 3  # drawn
    assert kinds(window) == []  # the hexagon map draws no places, so its key names none


# ---- creating, drawing, editing and retiring places from the map ----------------------------------


def _capture_dialogs(monkeypatch, name="Drawn place", save=True):
    """Replace the place dialog's exec: record each dialog, type a name, save. Returns the dialogs."""
    from PySide6.QtWidgets import QDialog

    from beatdesk.ui.place_dialog import PlaceDialog

    opened = []

    def fake_exec(dialog):
        opened.append(dialog)
        if save:
            if not dialog.name_edit.text():
                dialog.name_edit.setText(name)
            dialog.save()
        return dialog.result() if dialog.result() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(PlaceDialog, "exec", fake_exec)
    return opened


def _live_places(engine):
    with Session(engine) as session:
        return places_for_map(session, Actor.administrator("ui-test"))


def _click(qtbot, view, pos):
    from PySide6.QtCore import Qt

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_places_menu_offers_new_and_drawing(boundary_window):
    from PySide6.QtWidgets import QMenu

    [menu] = [m for m in boundary_window.menuBar().findChildren(QMenu) if m.title() == "&Places"]
    names = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert names == ["New place…", "Draw point on map", "Draw area on map", "Show places"]


def test_draw_a_point_with_one_click_opens_the_dialog_on_the_beat_below(boundary_window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QGraphicsView

    window, view = boundary_window, boundary_window.map_view
    opened = _capture_dialogs(monkeypatch, "Subway under the ring road")
    view.zoom_to_beat("NT01")
    zoom = view.zoom
    view.set_places_visible(False)
    window.draw_point_action.trigger()
    assert view.drawing.active and view.places_visible  # drawing turns the places on
    assert view.viewport().cursor().shape().name == "CrossCursor"
    pos = view.beat_view_position("NT01")
    where = view.mapToScene(pos)
    _click(qtbot, view, pos)
    [dialog] = opened
    assert dialog.beat_combo.currentData() == "NT01"
    status = dialog.coordinates_status.text()
    assert status.startswith("✓ Point") and status.endswith("within beat NT01")
    [place] = _live_places(window.engine)
    assert (place.name, place.beat_code, place.geometry.geom_type) == ("Subway under the ring road", "NT01", "Point")
    assert abs(place.geometry.x - where.x()) <= 1 and abs(place.geometry.y + where.y()) <= 1
    assert [i.place.name for i in view.place_items()] == ["Subway under the ring road"]  # the layer reloaded
    assert view.zoom == zoom and not view.drawing.active  # the map kept its zoom and is back to normal
    assert view.dragMode() == QGraphicsView.DragMode.ScrollHandDrag
    assert "Subway under the ring road" in window.statusBar().currentMessage()


def test_draw_an_area_click_corners_backspace_and_double_click(boundary_window, qtbot, monkeypatch):
    from PySide6.QtCore import QPoint, Qt

    from beatdesk.ui.map_drawing import SketchItem

    window, view = boundary_window, boundary_window.map_view
    opened = _capture_dialogs(monkeypatch, "Precinct")
    view.zoom_to_beat("NT01")
    window.draw_area_action.trigger()
    centre = view.beat_view_position("NT01")
    for dx, dy in [(-30, -30), (30, -30), (90, 90)]:
        _click(qtbot, view, centre + QPoint(dx, dy))
    [sketch] = [i for i in view.scene().items() if isinstance(i, SketchItem)]
    assert len(sketch.corners) == 3
    qtbot.mouseMove(view.viewport(), centre + QPoint(0, 50))
    assert sketch.pointer is not None  # the rubber band follows the pointer
    qtbot.keyClick(view, Qt.Key.Key_Backspace)  # the stray third corner goes
    assert len(view.drawing.corners) == 2
    _click(qtbot, view, centre + QPoint(30, 30))
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre + QPoint(-30, 30))
    assert not view.drawing.active and sketch.scene() is None
    [dialog] = opened
    assert dialog.beat_combo.currentData() == "NT01"
    assert len(dialog.coordinates_edit.toPlainText().splitlines()) == 4
    [place] = _live_places(window.engine)
    assert (place.name, place.geometry.geom_type, len(place.geometry.exterior.coords)) == ("Precinct", "Polygon", 5)
    assert len(view.place_items()) == 1


def test_enter_finishes_an_area_only_with_three_corners_and_esc_cancels(boundary_window, qtbot, monkeypatch):
    from PySide6.QtCore import QPoint, Qt

    window, view = boundary_window, boundary_window.map_view
    opened = _capture_dialogs(monkeypatch, save=False)
    view.zoom_to_beat("NT01")
    window.select_beat("NT01")
    window.draw_area_action.trigger()
    centre = view.beat_view_position("NT01")
    _click(qtbot, view, centre)
    _click(qtbot, view, centre + QPoint(40, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.drawing.active and opened == []  # two corners are not an area
    assert "at least 3 corners" in view.drawing.hint.text()
    _click(qtbot, view, centre + QPoint(40, 40))
    qtbot.keyClick(view, Qt.Key.Key_Enter)
    assert len(opened) == 1 and not view.drawing.active
    assert _live_places(window.engine) == []  # the dialog was cancelled: nothing written
    window.draw_area_action.trigger()
    _click(qtbot, view, centre)
    with qtbot.waitSignal(view.drawing.cancelled):
        qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.drawing.active and not view.drawing.hint.isVisible()
    assert window.selection.current == "NT01"  # Esc went to the drawing, not to "Clear selection"
    with qtbot.waitSignal(view.beatClicked) as clicked:  # clicks select beats again
        _click(qtbot, view, centre)
    assert clicked.args == ["NT01"] and len(opened) == 1


def test_drawing_needs_real_outlines(window, message_boxes):
    window.draw_point_action.trigger()
    assert not window.map_view.drawing.active
    assert message_boxes[-1][1] == "Draw a place" and "import ward boundaries first" in message_boxes[-1][2]


def test_new_place_typed_from_the_menu_on_the_selected_beat(boundary_window, qtbot, monkeypatch):
    window = boundary_window
    opened = _capture_dialogs(monkeypatch, "Bus Station")

    def typed(dialog):
        dialog.coordinates_edit.setPlainText(CASTLE_TEXT)

    window.select_beat("NT01")
    from beatdesk.ui.place_dialog import PlaceDialog

    original = PlaceDialog.exec
    monkeypatch.setattr(PlaceDialog, "exec", lambda d: (typed(d), original(d))[1])
    window.new_place_action.trigger()
    [dialog] = opened
    assert dialog.beat_combo.currentData() == "NT01"
    assert [p.name for p in _live_places(window.engine)] == ["Bus Station"]
    assert len(window.map_view.place_items()) == 1


def test_double_click_on_a_place_edits_it_and_the_context_menu_retires_it(
        boundary_window, places, qtbot, monkeypatch, message_boxes):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QInputDialog

    window, view = boundary_window, boundary_window.map_view
    window.reload()
    view.zoom_to_beat("NT01")
    opened = _capture_dialogs(monkeypatch, save=False)

    def edit_note(dialog):
        opened.append(dialog)
        dialog.note_edit.setPlainText("Busy on market days")
        dialog.save()
        return dialog.result()

    from beatdesk.ui.place_dialog import PlaceDialog

    monkeypatch.setattr(PlaceDialog, "exec", edit_note)
    item = next(i for i in view.place_items() if i.place.name == "Market Square")
    pos = view.mapFromScene(item.pos())
    assert view.place_at(pos).name == "Market Square"
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    [dialog] = opened
    assert dialog.windowTitle() == "Edit place — Market Square"
    market = next(p for p in _live_places(window.engine) if p.name == "Market Square")
    assert (market.note, market.version) == ("Busy on market days", 2)
    assert "Busy on market days" in next(i for i in view.place_items() if i.place.name == "Market Square").toolTip()

    menu = view.context_menu(pos)
    assert [a.text() for a in menu.actions()] == ["Edit place “Market Square”…", "Retire place…"]
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Market moved", True)))
    menu.actions()[1].trigger()
    assert "Market Square" not in [p.name for p in _live_places(window.engine)]
    assert "Market Square" not in [i.place.name for i in view.place_items()]
    assert window.statusBar().currentMessage() == "Place “Market Square” retired."


def test_context_menu_off_a_place_starts_a_new_one_there(boundary_window, qtbot, monkeypatch):
    window, view = boundary_window, boundary_window.map_view
    opened = _capture_dialogs(monkeypatch, "Alleyway")
    view.zoom_to_beat("NT01")
    pos = view.beat_view_position("NT01")
    menu = view.context_menu(pos)
    assert [a.text() for a in menu.actions()] == ["New place here…"]
    menu.actions()[0].trigger()
    assert opened[0].beat_combo.currentData() == "NT01"
    assert [p.name for p in _live_places(window.engine)] == ["Alleyway"]


def test_right_click_on_a_place_pops_its_menu(boundary_window, places, qtbot, monkeypatch):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    view = boundary_window.map_view
    boundary_window.reload()
    view.zoom_to_beat("NT01")
    shown = []
    monkeypatch.setattr(type(view), "popup", lambda v, menu, at: shown.append([x.text() for x in menu.actions()]))
    item = next(i for i in view.place_items() if i.place.name == "Bus Station")
    pos = view.mapFromScene(item.pos())
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    assert shown == [["Edit place “Bus Station”…", "Retire place…"]]
    view.start_drawing("area")
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, QPoint()))
    assert shown[-1] == ["Finish area", "Remove last corner", "Cancel drawing"]
