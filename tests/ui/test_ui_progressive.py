"""The desk's own start builds the window progressively: the map and its key paint first, the beat
panel, menus, toolbars, places and scores straight after; the saved layout still comes out right."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from beatdesk.services.actor import Actor
from beatdesk.services.places import PlaceInput, create_place
from beatdesk.ui import palette
from beatdesk.ui.main_window import SETTINGS_STATE, MainWindow

from conftest import make_window


def _progressive(qtbot, engine, settings, show=True) -> MainWindow:
    window = MainWindow(engine, Actor.administrator("ui-test"), settings=settings, progressive=True)
    qtbot.addWidget(window)
    if show:
        window.show()
    return window


def _colours_in(image, step: int = 3) -> set[str]:
    return {QColor(image.pixel(x, y)).name().upper()
            for x in range(0, image.width(), step) for y in range(0, image.height(), step)}


def test_first_paint_shows_every_beat_by_sector_with_the_key_and_the_rest_follows(
    qtbot, boundary_engine, qsettings, monkeypatch
):
    """What the first paint shows is the real map: 36 beats in their sector colours, ward outlines,
    labels and the key; the panel, menus and places are built after it, not before."""
    create_place(boundary_engine, Actor.administrator("ui-test"), PlaceInput(
        beat="NT01", name="Market Square", kind="hotspot", geometry="52.2368, -0.8971",
    ))
    at_first_paint = {}
    finish = MainWindow.finish_building

    def look_then_finish(window):  # runs on the timer the first paint starts, before anything is added
        if not window.built and not at_first_paint:
            at_first_paint.update(
                painted=window.map_view.first_painted, panel=window.panel, menus=window.menuWidget(),
                places=len(window.map_view.place_items()), image=window.map_view.viewport().grab().toImage(),
                legend_visible=window.legend.isVisible(), sectors=list(window.legend.sector_names),
                places_key=window.legend.places_box,
            )
        finish(window)

    monkeypatch.setattr(MainWindow, "finish_building", look_then_finish)
    window = _progressive(qtbot, boundary_engine, qsettings)
    assert not window.built and window.panel is None  # nothing but the map and its key before the paint
    qtbot.waitUntil(lambda: window.built, timeout=5000)

    seen = at_first_paint
    assert seen["painted"] and seen["panel"] is None and seen["menus"] is None
    assert seen["places"] == 0 and seen["places_key"] is None  # the places layer and its key come after
    assert seen["legend_visible"] and len(seen["sectors"]) == 8
    force_map = window.force_map
    assert len(window.map_view.beat_items()) == 36 and len(window.map_view.ward_items()) == 57
    sector_fills = {palette.colour_in(force_map, s.code).upper() for s in force_map.sectors}
    assert sector_fills <= _colours_in(seen["image"]), "every sector's colour is on the first painted map"

    # and straight after: the panel, the menus, the places layer and the scores
    assert window.panel is not None and "36 beats" in window.panel.text()
    assert {a.text().replace("&", "") for a in window.menuBar().actions()} >= {"File", "View", "Places", "Scores"}
    assert len(window.map_view.place_items()) == 1
    kinds = [label.text() for label in window.legend.findChildren(QLabel, "legendPlaceKind")]
    assert kinds == ["Hotspot", "High-risk location", "Vulnerable location"]
    layout = window.legend.layout()
    assert layout.indexOf(window.legend.sectors_box) < layout.indexOf(window.legend.places_box) \
        < layout.indexOf(window.legend.note)
    assert window.score_map is not None


def test_a_progressive_window_restores_the_saved_layout(qtbot, engine, team, qsettings):
    first = make_window(qtbot, engine, qsettings, size=(1180, 760))
    first.resizeDocks([first.force_dock], [380], Qt.Orientation.Horizontal)
    first.panel_dock.hide()
    first.force_splitter.setSizes([300, 150])
    qtbot.wait(20)
    splitter_sizes, dock_width = first.force_splitter.sizes(), first.force_dock.width()
    first.close()

    second = _progressive(qtbot, engine, QSettings(qsettings.fileName(), QSettings.Format.IniFormat))
    assert (second.width(), second.height()) == (1180, 760)  # the size is right from the first paint
    qtbot.waitUntil(lambda: second.built, timeout=5000)
    qtbot.wait(20)
    assert (second.width(), second.height()) == (1180, 760)
    assert second.panel_dock.isHidden()
    assert abs(second.force_dock.width() - dock_width) <= 4
    assert second.force_splitter.sizes() == splitter_sizes


def test_closing_before_the_window_is_complete_keeps_the_saved_dock_layout(qtbot, engine, team, qsettings):
    first = make_window(qtbot, engine, qsettings)
    first.panel_dock.hide()
    first.close()
    saved = bytes(qsettings.value(SETTINGS_STATE))

    early = _progressive(qtbot, engine, qsettings, show=False)
    early.close()  # before it was ever painted or built
    assert bytes(QSettings(qsettings.fileName(), QSettings.Format.IniFormat).value(SETTINGS_STATE)) == saved


def test_a_window_that_is_never_painted_is_built_all_the_same(qtbot, engine, team, qsettings):
    window = _progressive(qtbot, engine, qsettings, show=False)
    qtbot.waitUntil(lambda: window.built, timeout=5000)
    assert window.panel is not None and window.menuWidget() is not None
