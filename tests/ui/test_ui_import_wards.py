"""File > Import ward boundaries…: a worker runs the import; success redraws, failure says why."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

pytestmark = pytest.mark.realdata


def test_menu_has_the_import_action(window):
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert window.import_action in menus["&File"].actions()
    assert window.import_action.text() == "Import ward boundaries…"


def test_import_through_the_file_dialog_redraws_with_boundaries(window, qtbot, wards_20m, monkeypatch, message_boxes):
    asked = []

    def fake_dialog(parent, caption, directory, filters):
        asked.append(filters)
        return str(wards_20m), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_dialog))
    window.select_beat("NT01")
    assert window.map_view.mode == "hexagons"
    window.import_action.trigger()
    assert asked and "*.geojson" in asked[0] and "*.gpkg" in asked[0] and "*.shp" in asked[0]
    qtbot.waitUntil(lambda: window.map_view.mode == "boundaries", timeout=30_000)
    assert len(window.map_view.ward_items()) == 57
    assert len(window.map_view.beat_items()) == 36
    assert "wards_2021_bgc_northants.geojson" in window.status_label.text()
    assert window.selection.current == "NT01"  # the selection survives the redraw
    assert "Imported 57 wards into 36 beats" in window.statusBar().currentMessage()
    assert window.import_action.isEnabled()
    assert not window.jobs.busy
    assert [m for m in message_boxes if m[0] != "information"] == []


def test_bad_file_shows_the_services_message(window, qtbot, tmp_path, message_boxes):
    bad = tmp_path / "not-wards.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": []}')
    window.import_ward_file(bad)
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=30_000)
    assert len(message_boxes) == 1
    kind, title, text = message_boxes[0]
    assert kind == "warning" and "not imported" in title
    assert "not-wards.geojson has no features: the layer is empty" in text  # the service's own words
    assert window.map_view.mode == "hexagons"
    assert window.import_action.isEnabled()


def test_import_failure_message_is_the_service_message(window, qtbot, monkeypatch, message_boxes):
    from beatdesk.services import wards
    from beatdesk.services.errors import ImportFailed

    def refuse(engine, actor, path, progress=None):
        progress(0, 2, "Reading")
        raise ImportFailed("ward file lacks 3 ward(s) of the beat plan: E05000001 (Nowhere)")

    monkeypatch.setattr(wards, "import_wards", refuse)
    window.import_ward_file("whatever.geojson")
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=10_000)
    assert message_boxes == [
        ("warning", "Ward boundaries not imported", "ward file lacks 3 ward(s) of the beat plan: E05000001 (Nowhere)")
    ]


def test_cancelled_dialog_does_nothing(window, monkeypatch, message_boxes):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    window.import_action.trigger()
    assert not window.jobs.busy
    assert message_boxes == []
