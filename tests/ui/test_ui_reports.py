"""The PDF reports: the beat profile is one A4 page (even for the largest team, or one three times
larger), the area report as many pages as its tables need; their text is what the read models say;
unwritable paths and those who may not export leave no file; the menu actions and the dashboard
button make the files off the interface's thread."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import unicodedata
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import QDialog, QFileDialog
from sqlalchemy import func, select
from sqlmodel import Session

from beatdesk.models import Beat, Officer, Sector
from beatdesk.services.actor import Actor
from beatdesk.services.bootstrap import prepare
from beatdesk.services.demo import generate_demo
from beatdesk.services.errors import PermissionDenied, ServiceError, ValidationError
from beatdesk.services.reports import build_area_report, build_profile
from beatdesk.services.scoring import Level, Period, PeriodKind
from beatdesk.ui.reports import beat_profile_pdf
from beatdesk.ui.reports.area_report_pdf import area_html, write_area_report_pdf
from beatdesk.ui.reports.beat_map import BEAT_FILL, beat_map_image
from beatdesk.ui.reports.beat_profile_pdf import profile_html, write_beat_profile_pdf

TODAY = date(2024, 5, 12)
PERIOD = Period.ending(PeriodKind.DAYS_28, date(2024, 5, 11))
ADMIN = Actor.administrator("ui-test")


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory):
    """Three months of the demo force (hexagon map), read (never written) by every test here."""
    engine = prepare(f"sqlite:///{tmp_path_factory.mktemp('reports') / 'demo.sqlite'}")
    generate_demo(engine, ADMIN, seed=11, months=3, today=TODAY)
    yield engine
    engine.dispose()


def page_count(path) -> int:
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError:  # PySide6-Essentials has no QtPdf: count the page objects
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", path.read_bytes()))
    document = QPdfDocument()
    document.load(str(path))
    return document.pageCount()


def pdf_text(path) -> str | None:
    """The text of the PDF (QtPdf, else poppler's pdftotext), or None where neither is installed."""
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError:
        if shutil.which("pdftotext") is None:
            return None
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    document = QPdfDocument()
    document.load(str(path))
    return "\n".join(document.getAllText(page).text() for page in range(document.pageCount()))


def plain(html: str) -> str:
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


def squeeze(text: str) -> str:
    """Spaces collapsed and ligatures undone ("ﬂ" is "fl"), as text extracted from a PDF needs."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _largest_team_beat(engine) -> int:
    with Session(engine) as session:
        return session.execute(select(Officer.beat_id, func.count()).where(Officer.beat_id.is_not(None))
                               .group_by(Officer.beat_id).order_by(func.count().desc())).first()[0]


def _beat(engine, code: str) -> int:
    with Session(engine) as session:
        return session.scalar(select(Beat.id).where(Beat.code == code))


def test_the_beat_profile_is_one_page_even_for_the_largest_team(qapp, demo_engine, tmp_path):
    profile = build_profile(demo_engine, ADMIN, _largest_team_beat(demo_engine), PERIOD)
    assert len(profile.team) >= 10 and profile.score.value is not None
    path = write_beat_profile_pdf(ADMIN, tmp_path / "profile.pdf", profile)
    assert page_count(path) == 1
    expected = [f"Beat profile: {profile.code} {profile.name}", f"{profile.sector} sector", f"{profile.lpa} LPA",
                *(w.name for w in profile.wards), *(w.code for w in profile.wards),
                *(m.name for m in profile.team), *(m.email for m in profile.team), *(m.phone for m in profile.team),
                profile.team[0].collar_number, f"{profile.score.value:.0f} %", "Tasks, 28 days", "Done on time",
                "Arrests", "Neighbourhood PC", "Neighbourhood PCSO", "Tasks completed on time",
                {"green": "✓ Green", "amber": "! Amber", "red": "✗ Red"}[profile.score.rag]]
    html = squeeze(plain(profile_html(profile)))
    assert [t for t in expected if t not in html] == []
    text = pdf_text(path)
    if text is not None:
        text = squeeze(text)
        assert [t for t in expected if t not in text and t.split()[0] not in text] == []
        assert profile.team[-1].email in text and profile.wards[0].code in text

    crowded = dataclasses.replace(profile, team=profile.team * 3, places=profile.places * 3,
                                  local_priorities=tuple(f"Priority {n}" for n in range(12)))
    path = write_beat_profile_pdf(ADMIN, tmp_path / "crowded.pdf", crowded)
    assert page_count(path) == 1  # smaller type, never a second page


def test_a_profile_with_boundaries_draws_the_beat_and_says_when_there_is_no_team_or_score(
        qapp, boundary_engine, tmp_path):
    rural = build_profile(boundary_engine, ADMIN, _beat(boundary_engine, "SN01"), PERIOD)
    assert rural.outline_kind == "boundaries" and len(rural.wards) == 3
    image = beat_map_image(rural, 270, 205)
    fill = QColor(BEAT_FILL).rgb()
    sample = [image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 17)]
    assert sample.count(fill) > len(sample) // 5  # the beat fills much of the map
    path = write_beat_profile_pdf(ADMIN, tmp_path / "SN01.pdf", rural)
    assert page_count(path) == 1
    html = squeeze(plain(profile_html(rural)))
    for words in ("No officers are posted to this beat.", "No score", "no score (no duty hours)",
                  *(w.name for w in rural.wards)):
        assert words in html
    text = pdf_text(path)
    if text is not None:
        assert "No officers are posted" in squeeze(text) and "no duty hours" in text


def test_the_area_report_runs_to_as_many_pages_as_its_tables(qapp, demo_engine, tmp_path):
    with Session(demo_engine) as session:
        sector = session.scalars(select(Sector).where(Sector.code == "NT")).one()
    lpa = build_area_report(demo_engine, ADMIN, Level.LPA, sector.lpa_id, PERIOD)
    path = write_area_report_pdf(ADMIN, tmp_path / "lpa.pdf", lpa)
    assert page_count(path) >= 3  # 18 beats and over a hundred officers
    html = squeeze(plain(area_html(lpa)))
    expected = [f"Performance report: {lpa.name} LPA", f"{lpa.score.value:.0f} %", "Beats (18), best first",
                *(r.subject.code for r in lpa.beats), *(r.subject.name for r in lpa.officers[:5]),
                "The area against the Blueprint criteria"]
    assert [t for t in expected if t not in html] == []
    text = pdf_text(path)
    if text is not None:
        text = squeeze(text)
        assert f"{lpa.name} LPA" in text and all(r.subject.code in text for r in lpa.beats)
        assert "page 1 of" in text
    report = build_area_report(demo_engine, ADMIN, Level.SECTOR, sector.id, PERIOD)
    assert page_count(write_area_report_pdf(ADMIN, tmp_path / "sector.pdf", report)) >= 1


def test_refused_and_failed_writes_leave_no_file(qapp, demo_engine, tmp_path, monkeypatch):
    profile = build_profile(demo_engine, ADMIN, _beat(demo_engine, "NT01"), PERIOD)
    with pytest.raises(PermissionDenied):
        write_beat_profile_pdf(Actor("pc", "PC", None), tmp_path / "pc.pdf", profile)
    with pytest.raises(ValidationError, match="does not exist"):
        write_beat_profile_pdf(ADMIN, tmp_path / "missing" / "x.pdf", profile)
    with pytest.raises(ValidationError, match="is a folder"):
        write_beat_profile_pdf(ADMIN, tmp_path, profile)
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"%PDF the one from last week")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(beat_profile_pdf, "paint_one_page", broken)
    with pytest.raises(ServiceError, match="PDF: cannot write"):
        write_beat_profile_pdf(ADMIN, kept, profile)
    assert kept.read_bytes() == b"%PDF the one from last week"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.pdf"]


def _save_to(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))


def test_the_menu_actions_make_a_profile_and_an_area_report(qtbot, window, tmp_path, monkeypatch, message_boxes):
    from beatdesk.ui.reports.area_dialog import AreaReportDialog

    actions = window.report_actions  # the window's own Scores menu
    scores_menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and actions.profile_action in a.menu().actions())
    assert actions.area_action in scores_menu.actions()
    assert actions.profile_action.isVisible() and actions.area_action.isVisible()

    window.select_beat(None)
    actions.profile_action.trigger()  # nothing selected: says so, writes nothing
    assert message_boxes[-1][0] == "information" and "Select a beat" in message_boxes[-1][2]

    window.select_beat("NT01")
    _save_to(monkeypatch, tmp_path / "nt01")  # no extension: ".pdf" is added
    actions.profile_action.trigger()
    qtbot.waitUntil(lambda: not actions.runner.busy and (tmp_path / "nt01.pdf").exists(), timeout=30000)
    assert page_count(tmp_path / "nt01.pdf") == 1
    assert "Wrote the beat profile of NT01" in window.statusBar().currentMessage()

    monkeypatch.setattr(AreaReportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    _save_to(monkeypatch, tmp_path / "area.pdf")
    with qtbot.waitSignal(actions.runner.written, timeout=60000) as written:
        actions.area_action.trigger()
    assert written.args == [str(tmp_path / "area.pdf")] and page_count(tmp_path / "area.pdf") >= 1

    _save_to(monkeypatch, tmp_path / "missing" / "x.pdf")  # refused before any work
    with qtbot.assertNotEmitted(actions.runner.written):
        actions.profile_action.trigger()
    assert "does not exist" in message_boxes[-1][2] and not actions.runner.busy


def test_the_actions_are_offered_only_to_those_who_may_export(qtbot, engine, qsettings):
    from beatdesk.ui.main_window import MainWindow

    pc_window = MainWindow(engine, Actor("pc", "PC", None), settings=qsettings)
    qtbot.addWidget(pc_window)
    actions = pc_window.report_actions
    assert not actions.profile_action.isVisible() and not actions.area_action.isVisible()


def test_the_dashboard_button_reports_on_the_chosen_area(qtbot, demo_engine, tmp_path, monkeypatch):
    from beatdesk.ui.dashboard import Dashboard

    dashboard = Dashboard(demo_engine, ADMIN, today=TODAY)
    qtbot.addWidget(dashboard)
    qtbot.waitUntil(lambda: not dashboard.busy, timeout=30000)
    button = dashboard.report_button
    assert not button.isHidden() and not button.isEnabled()  # the whole force: choose an LPA or sector
    dashboard.lpa.setCurrentIndex(1)
    dashboard.sector.setCurrentIndex(1)
    assert button.isEnabled()
    _save_to(monkeypatch, tmp_path / "sector.pdf")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (tmp_path / "sector.pdf").exists() and not dashboard._reports.busy, timeout=60000)
    assert page_count(tmp_path / "sector.pdf") >= 1
    assert dashboard.sector.currentText() in dashboard.status.text()
    dashboard.close()
    pc_view = Dashboard(demo_engine, Actor("pc", "PC", None), today=TODAY)
    qtbot.addWidget(pc_view)
    assert pc_view.report_button.isHidden()
    qtbot.waitUntil(lambda: not pc_view.busy, timeout=30000)
    pc_view.close()
