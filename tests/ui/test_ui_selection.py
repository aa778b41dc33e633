"""One selection for map, tree and panel: clicking either side selects on the other and fills the panel."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt

from beatdesk.ui.force_tree_model import BEAT_CODE_ROLE


def tree_selected(window):
    indexes = window.tree.selectionModel().selectedIndexes()
    return [i.data(BEAT_CODE_ROLE) for i in indexes]


def click_beat(qtbot, window, code):
    view = window.map_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.beat_view_position(code))


def test_clicking_a_beat_on_the_map_selects_it_everywhere(window, qtbot):
    click_beat(qtbot, window, "NT01")
    assert window.selection.current == "NT01"
    assert window.map_view.selected == "NT01"
    assert window.map_view.beat_items()["NT01"].selected
    assert tree_selected(window) == ["NT01"]

    text = window.panel.text()
    for expected in [
        "NT01", "Northampton Town Centre", "Castle",
        "Zara Ahmed", "Adam Baker", "Carla Dias", "Sam Okafor", "Helen Price",
        "Inspector", "Sergeant", "PC", "PCSO",
        "1001", "1002", "PCSO7003", "2004", "3005",
        "01604 700001", "zara.ahmed@example.police.uk", "helen.price@example.police.uk",
    ]:
        assert expected in text, expected
    # the ended and the not-yet-started postings are not in the team; the sector's staff are, last
    assert "Left Early" not in text and "Not Yet" not in text
    names = [card.member.name for card in window.panel.team_cards()]
    assert names == ["Helen Price", "Sam Okafor", "Adam Baker", "Zara Ahmed", "Carla Dias", "Pat Staffer"]


def test_clicking_another_beat_moves_the_selection(window, qtbot):
    click_beat(qtbot, window, "NT01")
    click_beat(qtbot, window, "CB01")
    assert tree_selected(window) == ["CB01"]
    assert not window.map_view.beat_items()["NT01"].selected
    assert window.map_view.beat_items()["CB01"].selected
    assert "Corby Constable" in window.panel.text()
    assert "Zara Ahmed" not in window.panel.text()


def test_clicking_a_beat_in_boundary_mode(boundary_window, qtbot):
    click_beat(qtbot, boundary_window, "EN01")
    assert boundary_window.selection.current == "EN01"
    assert "Oundle" in boundary_window.panel.text()


def test_selecting_in_the_tree_selects_on_the_map(window):
    index = window.tree.model().index_of_beat("KT03")
    window.tree.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert window.selection.current == "KT03"
    assert window.map_view.selected == "KT03"
    assert window.map_view.beat_items()["KT03"].selected
    assert "KT03" in window.panel.text() and "Ise Valley" in window.panel.text()


def test_clicking_in_the_tree_with_the_mouse(window, qtbot):
    tree = window.tree
    index = tree.model().index_of_beat("DV02")
    tree.scrollTo(index)
    rect = tree.visualRect(index)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.map_view.selected == "DV02"


def test_one_change_signal_per_selection_no_feedback_loop(window, qtbot):
    seen = []
    window.selection.changed.connect(seen.append)
    click_beat(qtbot, window, "NS02")
    index = window.tree.model().index_of_beat("SN01")
    window.tree.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    window.select_beat("SN01")  # already selected: nothing happens
    assert seen == ["NS02", "SN01"]


def test_sector_and_lpa_rows_are_not_selectable(window):
    model = window.tree.model()
    lpa = model.index(0, 0)
    sector = model.index(0, 0, lpa)
    assert not (model.flags(lpa) & Qt.ItemFlag.ItemIsSelectable)
    assert not (model.flags(sector) & Qt.ItemFlag.ItemIsSelectable)


def test_clicking_empty_map_clears_the_selection(window, qtbot):
    click_beat(qtbot, window, "NT01")
    view = window.map_view
    corner = QPoint(4, 4)  # (0, 0) would mean "the centre" to QTest
    assert view.beat_at(corner) is None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=corner)
    assert window.selection.current is None
    assert tree_selected(window) == []
    assert "Select a beat" in window.panel.text()


def test_escape_and_reload_keep_things_in_step(window, qtbot):
    window.select_beat("WB02")
    window.reload()
    assert window.map_view.selected == "WB02"
    assert tree_selected(window) == ["WB02"]
    window.select_beat(None)
    assert window.map_view.selected is None and tree_selected(window) == []


def test_double_click_zooms_to_the_beat(window, qtbot):
    view = window.map_view
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.beat_view_position("NT04"))
    assert window.selection.current == "NT04"
    assert view.zoom > 1.5
    assert not view.auto_fit
