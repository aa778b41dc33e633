"""The main window in both map modes: what is drawn, how it is coloured, the key and the status line."""

from __future__ import annotations

from beatdesk.services.force_view import NO_BOUNDARIES
from beatdesk.ui import palette
from beatdesk.ui.map_items import BeatItem, WardOutlineItem

SECTORS = {
    "North": ["Corby", "Kettering", "East Northamptonshire", "Wellingborough"],
    "West": ["Northampton Town Centre", "Northampton Suburban", "Daventry", "South Northamptonshire"],
}


def test_hexagon_mode_draws_36_hexagons_coloured_by_sector(window):
    view = window.map_view
    assert view.mode == "hexagons"
    items = view.beat_items()
    assert len(items) == 36
    assert len([i for i in view.scene().items() if isinstance(i, BeatItem)]) == 36
    assert view.ward_items() == []
    for code, item in items.items():
        beat = window.force_map.beat(code)
        assert item.brush().color().name().upper() == palette.sector_colour(beat.sector_code).upper()
        # a hexagon: six corners (seven points closing the ring)
        assert item.path().elementCount() == 7
    by_sector = {}
    for code, item in items.items():
        by_sector.setdefault(window.force_map.beat(code).sector_code, set()).add(item.brush().color().name())
    assert all(len(colours) == 1 for colours in by_sector.values())
    assert len({next(iter(c)) for c in by_sector.values()}) == 8


def test_legend_lists_eight_sectors_under_two_lpas(window):
    assert window.legend.lpa_names == ["North", "West"]
    assert window.legend.sector_names == SECTORS["North"] + SECTORS["West"]


def test_status_bar_says_hexagon_map_without_boundaries(window):
    text = window.status_label.text()
    assert "36 beats" in text
    assert NO_BOUNDARIES in text


def test_tree_holds_lpa_sector_beat(window):
    model = window.tree.model()
    assert model.rowCount() == 2
    lpas = [model.index(i, 0) for i in range(2)]
    assert [i.data() for i in lpas] == ["North LPA", "West LPA"]
    sectors = [model.index(j, 0, lpas[0]).data() for j in range(model.rowCount(lpas[0]))]
    assert sectors == SECTORS["North"]
    assert len(model.beat_codes()) == 36


def test_boundary_mode_draws_beat_outlines_and_ward_outlines(boundary_window):
    view = boundary_window.map_view
    assert view.mode == "boundaries"
    beats = [i for i in view.scene().items() if isinstance(i, BeatItem)]
    wards = [i for i in view.scene().items() if isinstance(i, WardOutlineItem)]
    assert len(beats) == 36
    assert len(wards) == 57
    assert {w.name for w in wards} >= {"Castle", "Oundle"}
    # real outlines, not hexagons
    assert all(item.path().elementCount() > 7 for item in beats)
    assert "wards_2021_bgc_northants.geojson" in boundary_window.status_label.text()
    assert "57 wards" in boundary_window.status_label.text()


def test_map_is_in_british_national_grid_with_north_up(boundary_window):
    items = boundary_window.map_view.beat_items()
    corby = items["CB01"].sceneBoundingRect().center()
    brackley = items["SN01"].sceneBoundingRect().center()
    assert corby.y() < brackley.y()  # Corby is north of Brackley: higher on screen
    assert corby.x() > brackley.x()  # and east of it
    assert 440_000 < brackley.x() < 520_000
    assert -320_000 < corby.y() < -230_000


def test_labels_do_not_overlap_at_fit_zoom(boundary_window, window):
    for win in (window, boundary_window):
        view = win.map_view
        shown = []
        for label in view.labels().values():
            if label.isVisible():
                rect = label.boundingRect().translated(view.mapFromScene(label.pos()).toPointF())
                assert not any(rect.intersects(other) for other in shown), label.code
                shown.append(rect)
        assert len(shown) >= 20
    assert all(label.isVisible() for label in window.map_view.labels().values())  # every hexagon labelled


def test_no_beat_selected_panel_shows_force_overview(window):
    text = window.panel.text()
    assert "36 beats" in text
    assert "Select a beat" in text


def test_window_fits_the_map_on_resize_until_user_zooms(window, qtbot):
    view = window.map_view
    assert view.auto_fit
    before = view.transform().m11()
    window.resize(1000, 700)
    qtbot.wait(30)
    assert view.transform().m11() != before
    assert abs(view.zoom - 1.0) < 1e-6
    view.zoom_in()
    zoomed = view.transform().m11()
    window.resize(1200, 800)
    qtbot.wait(30)
    assert view.transform().m11() == zoomed
