"""The review dashboard: league tables sort by a clicked heading, filters narrow them, a selected row
draws its trend, and each table exports to CSV in the order shown."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from beatdesk.services.actor import Actor
from beatdesk.services.bootstrap import prepare
from beatdesk.services.demo import generate_demo
from beatdesk.services.scoring import Level
from beatdesk.ui.dashboard import Dashboard

TODAY = date(2024, 5, 12)
ADMIN = Actor.administrator("ui-test")


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory):
    """Three months of a small demo force, read (never written) by every test here."""
    engine = prepare(f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'demo.sqlite'}")
    generate_demo(engine, ADMIN, seed=11, months=3, today=TODAY)
    yield engine
    engine.dispose()


@pytest.fixture
def dashboard(qtbot, demo_engine):
    widget = Dashboard(demo_engine, ADMIN, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1500, 900)
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot, widget)
    return widget


def settle(qtbot, widget) -> None:
    qtbot.waitUntil(lambda: not widget.busy, timeout=30000)
    qtbot.wait(10)


def codes(pane) -> list[str]:
    return [r.subject.code for r in pane.shown_rows()]


def click_header(qtbot, pane, key: str) -> None:
    header = pane.table.horizontalHeader()
    column = pane.column(key)
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_tables_open_best_first_and_sort_by_a_clicked_heading(qtbot, dashboard):
    beats = dashboard.panes[Level.BEAT]
    assert beats.proxy.rowCount() == 36 and "28 days to 12 May 2024" in dashboard.period_label.text()
    scores = [r.score for r in beats.shown_rows() if r.score is not None]
    assert scores == sorted(scores, reverse=True) and len(scores) == 36
    click_header(qtbot, beats, "code")
    assert codes(beats) == sorted(codes(beats))
    click_header(qtbot, beats, "code")
    assert codes(beats) == sorted(codes(beats), reverse=True)
    officers = dashboard.panes[Level.OFFICER]
    click_header(qtbot, officers, "time_outside")
    first = officers.table.horizontalHeader().sortIndicatorOrder()
    outside = [r.time_outside for r in officers.shown_rows()]
    known = [v for v in outside if v is not None]
    assert known == sorted(known, reverse=first == Qt.SortOrder.DescendingOrder) and len(known) > 10
    for _ in range(2):  # either way round, officers with no tasks due come last
        click_header(qtbot, officers, "tasks_on_time")
        rows = officers.shown_rows()
        blank = [r for r in rows if r.tasks_on_time is None]
        assert 0 < len(blank) < len(rows) and rows[-len(blank):] == blank
    rag = beats.proxy.index(0, beats.column("rag"))
    assert rag.data() in {"✓ Green", "! Amber", "✗ Red"}  # the chip's words, not colour alone


def test_filters_narrow_the_rows_to_an_lpa_and_a_sector(qtbot, dashboard):
    beats, officers = dashboard.panes[Level.BEAT], dashboard.panes[Level.OFFICER]
    everyone = officers.proxy.rowCount()
    dashboard.lpa.setCurrentIndex(dashboard.lpa.findText("West"))
    settle(qtbot, dashboard)
    assert beats.proxy.rowCount() == 18 and {r.lpa for r in beats.shown_rows()} == {"West"}
    sectors = [dashboard.sector.itemText(i) for i in range(dashboard.sector.count())]
    assert sectors[0] == "All sectors" and len(sectors) == 5 and "Corby" not in sectors
    dashboard.sector.setCurrentIndex(dashboard.sector.findText("Northampton Town Centre"))
    settle(qtbot, dashboard)
    assert beats.proxy.rowCount() == 5
    assert {r.sector for r in officers.shown_rows()} == {"Northampton Town Centre"}
    assert 0 < officers.proxy.rowCount() < everyone
    assert "Northampton Town Centre: 5" in beats.title.text()
    dashboard.lpa.setCurrentIndex(0)
    settle(qtbot, dashboard)
    assert beats.proxy.rowCount() == 5  # the sector chosen still narrows; its LPA is all LPAs'


def test_selecting_a_row_draws_its_trend(qtbot, dashboard):
    beats, officers = dashboard.panes[Level.BEAT], dashboard.panes[Level.OFFICER]
    assert dashboard.chart.trend is None
    beats.table.selectRow(2)
    settle(qtbot, dashboard)
    chosen = beats.shown_rows()[2].subject
    trend = dashboard.chart.trend
    assert trend.subject == chosen and len(trend.points) == 12 and trend.points[-1].period.end == TODAY
    image = dashboard.chart.grab()
    assert not image.isNull()
    assert len(dashboard.chart.drawn["score"]) == sum(p.score is not None for p in trend.points) >= 3
    assert len(dashboard.chart.drawn["time_outside"]) >= 3
    assert "May 2024" in dashboard.chart.describe(11)

    officers.table.selectRow(0)
    settle(qtbot, dashboard)
    assert dashboard.chart.trend.subject == officers.shown_rows()[0].subject
    assert not beats.table.selectionModel().hasSelection()
    dashboard.chart.grab()
    assert dashboard.chart.drawn["score"]


def test_export_writes_the_table_as_shown(qtbot, dashboard, tmp_path, monkeypatch, message_boxes):
    beats = dashboard.panes[Level.BEAT]
    click_header(qtbot, beats, "name")
    target = tmp_path / "beats"
    asked = []

    def save(parent, title, suggested, filters):
        asked.append(suggested)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    qtbot.mouseClick(beats.export_button, Qt.MouseButton.LeftButton)
    assert asked == ["beats-28-days-to-2024-05-12.csv"]
    path = tmp_path / "beats.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert [line["Beat"] for line in lines] == codes(beats)
    assert [line["Name"] for line in lines] == sorted(line["Name"] for line in lines)
    first = beats.shown_rows()[0]
    assert float(lines[0]["Score (% of target)"]) == pytest.approx(first.score, abs=0.01)
    assert f"Wrote 36 beats to {path}" in dashboard.status.text()

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(tmp_path / "missing" / "x.csv"), "")))
    qtbot.mouseClick(dashboard.panes[Level.OFFICER].export_button, Qt.MouseButton.LeftButton)
    assert message_boxes and "does not exist" in message_boxes[-1][2]
    assert not (tmp_path / "missing").exists()

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    qtbot.mouseClick(beats.export_button, Qt.MouseButton.LeftButton)  # cancelled: nothing happens
    assert sorted(p.name for p in tmp_path.iterdir()) == ["beats.csv"]


def test_the_main_window_opens_one_dashboard_and_offers_export_only_to_inspectors(qtbot, engine, qsettings):
    from beatdesk.services.actor import Actor
    from beatdesk.ui.main_window import MainWindow

    window = MainWindow(engine, Actor.administrator("casey"), settings=qsettings)
    qtbot.addWidget(window)
    window.dashboard_action.trigger()
    first = window.dashboard
    qtbot.addWidget(first)
    assert first.isVisible() and all(not p.export_button.isHidden() for p in first.panes.values())
    window.dashboard_action.trigger()
    assert window.dashboard is first
    first.close()
    pc_view = Dashboard(engine, Actor("pc", "PC", None))
    qtbot.addWidget(pc_view)
    assert all(p.export_button.isHidden() for p in pc_view.panes.values())
    pc_view.close()
