"""Hover tooltips and highlight; zoom in, out and fit, by action, shortcut and wheel; panning."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QKeySequence, QWheelEvent
from PySide6.QtWidgets import QApplication


def test_tooltip_names_beat_wards_and_team(window):
    tip = window.map_view.beat_items()["NT01"].toolTip()
    for expected in ["NT01 Northampton Town Centre", "Castle", "Helen Price", "Sam Okafor", "Zara Ahmed", "1001"]:
        assert expected in tip


def test_tooltip_lists_all_wards_of_a_many_ward_beat(boundary_window):
    beat = boundary_window.force_map.beat("DV03")
    tip = boundary_window.map_view.beat_items()["DV03"].toolTip()
    assert len(beat.wards) >= 2
    for ward in beat.wards:
        assert ward.name in tip
    assert "no officers posted" in tip


def test_hovering_highlights_the_beat_and_names_it_in_the_status_bar(window, qtbot):
    view = window.map_view
    item = view.beat_items()["KT02"]
    qtbot.mouseMove(view.viewport(), QPoint(3, 3))  # start off the map, wherever earlier tests left the pointer
    qtbot.wait(10)
    qtbot.mouseMove(view.viewport(), view.beat_view_position("KT02"))
    qtbot.waitUntil(lambda: item.hovered, timeout=2000)
    assert "KT02 Kettering East" in window.statusBar().currentMessage()
    qtbot.mouseMove(view.viewport(), QPoint(3, 3))
    qtbot.waitUntil(lambda: not item.hovered, timeout=2000)


def test_zoom_actions_change_the_transform(window):
    view = window.map_view
    fitted = view.transform().m11()
    window.zoom_in_action.trigger()
    assert view.transform().m11() > fitted * 1.2
    window.zoom_out_action.trigger()
    window.zoom_out_action.trigger()
    assert view.transform().m11() < fitted
    window.fit_action.trigger()
    assert abs(view.transform().m11() - fitted) < fitted * 1e-6
    assert view.auto_fit


def test_zoom_shortcuts(window):
    assert window.zoom_in_action.shortcut() == QKeySequence("Ctrl++")
    assert window.zoom_out_action.shortcut() == QKeySequence("Ctrl+-")
    assert window.fit_action.shortcut() == QKeySequence("Ctrl+0")


def test_zoom_is_limited(window):
    view = window.map_view
    for _ in range(60):
        view.zoom_in()
    assert view.zoom <= 80.0 + 1e-6
    for _ in range(80):
        view.zoom_out()
    assert view.zoom >= 0.5 - 1e-6


def test_wheel_zooms_around_the_cursor(window):
    view = window.map_view
    pos = view.beat_view_position("CB01")
    scene_before = view.mapToScene(pos)
    before = view.transform().m11()
    event = QWheelEvent(
        QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)), QPoint(0, 0), QPoint(0, 240),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )
    view.setMouseTracking(True)
    QApplication.sendEvent(view.viewport(), event)
    assert view.transform().m11() > before * 1.4
    assert not view.auto_fit
    after = view.mapToScene(pos)
    # the point under the cursor stays (nearly) under the cursor
    assert abs(after.x() - scene_before.x()) < 2000 and abs(after.y() - scene_before.y()) < 2000


def test_dragging_pans_and_does_not_select(window, qtbot):
    view = window.map_view
    view.zoom_in()
    view.zoom_in()
    start = view.beat_view_position("NT01")
    centre_before = view.mapToScene(view.viewport().rect().center())
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(view.viewport(), start + QPoint(20 * step, 10 * step))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(100, 50))
    centre_after = view.mapToScene(view.viewport().rect().center())
    assert centre_after != centre_before
    assert window.selection.current is None


def test_zoomed_in_labels_show_names_where_they_fit(boundary_window):
    view = boundary_window.map_view
    boundary_window.zoom_to_beat("NT01")
    label = view.labels()["NT01"]
    assert label.isVisible() and label.show_name
