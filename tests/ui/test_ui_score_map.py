"""The inspector's map of Blueprint scores: colour by score or criterion, period, key, breakdown, evidence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import make_window

from beatdesk.ui.score_colours import DIVERGING, NO_SCORE, PUOR, SEQUENTIAL, VIRIDIS, ColourScale, luminance, mark


@pytest.fixture
def scored_window(qtbot, engine, admin, qsettings):
    """The main window (hexagon map) over a small demo force with two months of activity."""
    from beatdesk.services.demo import generate_demo
    from beatdesk.ui.score_view import london_today

    generate_demo(engine, admin, seed=11, months=2, today=london_today())
    return make_window(qtbot, engine, qsettings)


def _wait_scores(qtbot, window, before=None):
    sm = window.score_map
    qtbot.waitUntil(lambda: sm.data is not None and sm.data is not before and not window.jobs.busy, timeout=30000)
    return sm.data


def _brushes(window) -> dict[str, str]:
    return {code: item.brush().color().name().upper() for code, item in window.map_view.beat_items().items()}


def test_switching_modes_recolours_the_beats_without_rebuilding_the_map(qtbot, scored_window):
    window, view = scored_window, scored_window.map_view
    sm = window.score_map
    items = view.beat_items()
    sectors = _brushes(window)
    sm.set_mode("overall")
    data = _wait_scores(qtbot, window)
    assert set(data.scores) == set(items)
    overall = _brushes(window)
    for code, (value, change) in data.values["overall"].items():
        assert overall[code] == sm.scale.colour(value).upper()
        assert view.labels()[code].head == f"{code} · " + (f"{value:.0f}%" if value is not None else "–") + (
            f" {mark(change)}" if mark(change) else "")
    assert overall != sectors
    assert sm.mode_combo.currentData() == "overall"

    sm.set_mode("PC/arrests")  # the data is there: no new job, just new brushes
    assert not window.jobs.busy
    arrests = _brushes(window)
    assert arrests != overall
    for code, (value, _) in data.values["PC/arrests"].items():
        assert arrests[code] == sm.scale.colour(value).upper()
    assert view.beat_items() == items  # the same items: recoloured, not redrawn

    sm.set_scale(SEQUENTIAL)
    assert _brushes(window)["NT01"] == ColourScale(SEQUENTIAL).colour(data.values["PC/arrests"]["NT01"][0]).upper()

    sm.mode_actions["sectors"].trigger()
    assert _brushes(window) == sectors
    assert all(label.head == code for code, label in view.labels().items())


def test_the_key_shows_the_scale_rag_and_no_score(qtbot, scored_window):
    window, legend = scored_window, scored_window.legend
    assert legend.sectors_box.isVisible() and not legend.score_key.isVisible()
    window.score_map.set_mode("overall")
    data = _wait_scores(qtbot, window)
    key = legend.score_key
    assert key.isVisible() and not legend.sectors_box.isVisible()
    text = key.text()
    assert "Overall score" in text and data.period.label in text
    assert "red under 80 %" in text and "green 100 %" in text and "no score" in text.lower()
    assert key.bar.scale is window.score_map.scale
    assert [t for _, t in key.bar.ticks] == ["0", "80", "100", "150 %"]
    window.score_map.set_mode("sectors")
    assert legend.sectors_box.isVisible() and not key.isVisible()


def test_a_new_period_recomputes_and_an_empty_one_is_hatched(qtbot, scored_window):
    window = scored_window
    sm = window.score_map
    sm.set_mode("overall")
    first = _wait_scores(qtbot, window)
    assert first.period.kind.value == "28 days"
    sm.period_combo.setCurrentIndex(sm.period_combo.findData("week"))
    week = _wait_scores(qtbot, window, first)
    assert week.period.kind.value == "week" and week.period.days == 7
    assert week.period.label in window.legend.score_key.text()

    long_ago = sm.end - timedelta(days=400)  # before the demo force's history: no duty hours anywhere
    sm.set_period("custom", long_ago, long_ago - timedelta(days=30))
    empty = _wait_scores(qtbot, window, week)
    assert all(v is None for v, _ in empty.values["overall"].values())
    for code, item in window.map_view.beat_items().items():
        assert item.hatched and item.brush().color().name().upper() == NO_SCORE
        assert window.map_view.labels()[code].head == f"{code} · –"


def test_a_custom_period_ending_before_it_starts_is_refused_and_changes_nothing(qtbot, scored_window):
    window = scored_window
    sm = window.score_map
    sm.set_mode("overall")
    data = _wait_scores(qtbot, window)
    brushes = _brushes(window)
    sm.set_period("custom", sm.end, sm.end + timedelta(days=3))
    assert "before it starts" in sm.failure
    assert "before it starts" in window.statusBar().currentMessage()
    assert sm.data is data and _brushes(window) == brushes and not window.jobs.busy


def test_hover_and_two_clicks_reach_the_entries_behind_a_criterion(qtbot, scored_window):
    from PySide6.QtCore import Qt

    from beatdesk.services.scoring import Level, entries_behind

    window, view = scored_window, scored_window.map_view
    sm = window.score_map
    sm.set_mode("overall")
    data = _wait_scores(qtbot, window)
    score = data.scores["NT01"]
    tooltip = view.beat_items()["NT01"].toolTip()
    assert "NT01" in tooltip and f"{score.value:.0f} %" in tooltip and "Neighbourhood PC" in tooltip

    # first click: the beat; the panel shows score > criteria
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.beat_view_position("NT01"))
    assert window.selection.current == "NT01"
    breakdown = sm.breakdown
    assert breakdown.isVisible() and breakdown.score is score
    assert window.panel.isAncestorOf(breakdown)
    assert "Score" in breakdown.title.text() and f"{score.value:.0f} %" in breakdown.title.text()
    items = breakdown.criterion_items()
    assert ("PC", "arrests") in items and ("team", "tasks_on_time") in items

    # second click: a criterion; its totals and the entries behind it
    tree = breakdown.tree
    item = items[("PC", "arrests")]
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    arrests = score.criterion("PC", "arrests")
    assert breakdown.details.isVisible() and f"{arrests.amount:,.0f} in" in breakdown.details.text()
    expected = entries_behind(window.engine, window.actor, Level.BEAT, score.subject.id, "PC", "arrests", data.period)
    assert len(expected) == arrests.amount > 0
    assert breakdown.entries.isVisible()
    assert breakdown.entries.count() == 1 + min(len(expected), 500)
    assert breakdown.entries.item(0).text().startswith(f"{len(expected):,} entries")

    # time outside is read from duties, not entries: it lists the duties
    breakdown._clicked(items[("PCSO", "time_outside")])
    assert "duties behind it" in breakdown.entries.item(0).text()
    breakdown._clicked(items[("team", "tasks_on_time")])
    assert "tasks behind it" in breakdown.entries.item(0).text()

    # colouring by a criterion opens the breakdown at that criterion
    sm.set_mode("PC/warrants")
    assert tree.currentItem().data(0, Qt.ItemDataRole.UserRole) == ("PC", "warrants")
    assert "Warrants executed" in view.beat_items()["NT01"].toolTip()

    window.selection.select(None)
    assert not breakdown.isVisible()


def test_the_scores_follow_a_map_redrawn_by_reload(qtbot, scored_window):
    window = scored_window
    window.score_map.set_mode("overall")
    data = _wait_scores(qtbot, window)
    window.reload()
    assert _brushes(window)["NT01"] == window.score_map.scale.colour(data.values["overall"]["NT01"][0]).upper()


# ---- the colour scales ---------------------------------------------------------------------------------


def _simulate(colour: str, kind: str) -> tuple[float, float, float]:
    """Colour-blind vision of ``colour`` (Viénot, Brettel & Mollon 1999 matrices, linear RGB)."""
    matrices = {
        "protan": ((0.11238, 0.88762, 0.0), (0.11238, 0.88762, 0.0), (0.00401, -0.00401, 1.0)),
        "deutan": ((0.29275, 0.70725, 0.0), (0.29275, 0.70725, 0.0), (-0.02234, 0.02234, 1.0)),
    }
    value = colour.lstrip("#")
    rgb = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return tuple(sum(m * c for m, c in zip(row, linear, strict=True)) for row in matrices[kind])


def test_the_sequential_scale_rises_in_lightness_all_the_way():
    scale = ColourScale(SEQUENTIAL, cap=150)
    values = [luminance(scale.colour(v)) for v in range(0, 151, 5)]
    assert all(b > a for a, b in zip(values, values[1:], strict=False))
    assert scale.colour(0) == VIRIDIS[0] and scale.colour(150) == VIRIDIS[-1]
    assert scale.colour(500) == scale.colour(150) and scale.colour(-3) == scale.colour(0)


def test_the_diverging_scale_is_palest_at_target_and_darkens_away_from_it():
    scale = ColourScale(DIVERGING, cap=150)
    assert scale.position(100) == 0.5 and scale.colour(100) == PUOR[4]
    below = [luminance(scale.colour(v)) for v in range(0, 101, 5)]
    above = [luminance(scale.colour(v)) for v in range(100, 151, 5)]
    assert all(b >= a for a, b in zip(below, below[1:], strict=False))
    assert all(b <= a for a, b in zip(above, above[1:], strict=False))
    assert len({scale.colour(v) for v in (0, 50, 80, 100, 120, 150)}) == 6


def _distance(a: str, b: str, vision: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(_simulate(a, vision), _simulate(b, vision), strict=True)) ** 0.5


def _yellow_blue(colour: str, vision: str) -> float:
    """Where a colour sits on the yellow–blue axis that red-green colour-blind readers still see."""
    r, g, b = _simulate(colour, vision)
    return b - (r + g) / 2


@pytest.mark.parametrize("vision", ["protan", "deutan"])
def test_below_and_above_target_stay_apart_for_red_green_colour_blindness(vision):
    """Below target is yellow-orange, above it blue-purple, on the axis red-green colour-blind readers keep;
    a RAG ramp's red and green both land on its yellow side."""
    scale = ColourScale(DIVERGING, cap=150)
    assert all(_yellow_blue(scale.colour(v), vision) < 0 for v in range(0, 91, 5))
    assert all(_yellow_blue(scale.colour(v), vision) > 0 for v in range(110, 151, 5))
    red, green = "#D62728", "#2CA02C"
    assert (_yellow_blue(red, vision) < 0) == (_yellow_blue(green, vision) < 0)
    sequential = ColourScale(SEQUENTIAL, cap=150)  # lightness carries it: far apart end to end
    assert _distance(sequential.colour(0), sequential.colour(150), vision) > 3 * _distance(red, green, vision)
    assert scale.colour(None) == sequential.colour(None) == NO_SCORE


def test_marks_for_better_and_worse():
    assert mark(None) == "" and mark(0.4) == "" and mark(-0.9) == ""
    assert mark(3) == "▲" and mark(-2) == "▼"
    with pytest.raises(ValueError, match="not one of"):
        ColourScale("rainbow")


def test_the_scores_menu_offers_every_criterion_and_refuses_an_unknown_one(qtbot, scored_window):
    window = scored_window
    sm = window.score_map
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Scores" in titles
    assert {"sectors", "overall", "PC/arrests", "PCSO/time_outside", "team/tasks_on_time"} <= set(sm.mode_actions)
    assert sm.mode_combo.findData("PCSO/engagement") >= 0
    before = _brushes(window)
    sm.set_mode("PC/juggling")
    assert sm.mode == "sectors" and "juggling" in sm.failure and _brushes(window) == before
    assert not window.jobs.busy


def test_the_key_names_grey_beat_lines_on_real_boundaries(qtbot, boundary_window):
    window = boundary_window
    assert window.legend.note.text().startswith("White lines")
    window.score_map.set_mode("overall")
    _wait_scores(qtbot, window)
    assert window.legend.note.text().startswith("Grey lines")
    window.reload()  # the key is rebuilt: it stays in score mode
    assert window.legend.score_key.isVisible() and window.legend.note.text().startswith("Grey lines")
