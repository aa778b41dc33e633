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
