"""Fixtures for the interface tests: isolated QSettings, a small known team, ward boundaries, a window.

QSettings never touch the real user's settings: every test gets its own organisation and application
name, INI files under its tmp_path, and the window is handed an explicit settings file.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import date, timedelta

import pytest


def _desktop_sized_offscreen_screen() -> None:
    """Give the offscreen platform a 1920x1200 screen (its default is 800x800), so windows of desktop
    size are not clamped when their geometry is restored. Must run before the QApplication exists."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return
    config = os.path.join(tempfile.mkdtemp(prefix="beatdesk-qpa-"), "offscreen.json")
    screen = {"name": "virtual", "x": 0, "y": 0, "width": 1920, "height": 1200,
              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    with open(config, "w", encoding="utf-8") as handle:
        json.dump({"screens": [screen]}, handle)
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


_desktop_sized_offscreen_screen()

TEAM_BEAT = "NT01"
TEAM_SECTOR = "NT"


@pytest.fixture
def qsettings(qapp, tmp_path, request):
    from PySide6.QtCore import QSettings

    root = tmp_path / "qsettings"
    root.mkdir()
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(root))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(root))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    qapp.setOrganizationName("BeatDeskTests")
    qapp.setApplicationName(f"test-{request.node.name}"[:60])
    return QSettings(str(root / "beatdesk-layout.ini"), QSettings.Format.IniFormat)


def add_officers(engine) -> dict[str, str]:
    """A known team for NT01 (with its sector's supervisors) and one for CB01; returns collar -> name."""
    from sqlmodel import select

    from beatdesk.database import session_scope
    from beatdesk.models import Beat, Officer, Role, Sector

    today = date.today()
    with session_scope(engine) as session:
        beat = session.exec(select(Beat).where(Beat.code == TEAM_BEAT)).one()
        corby = session.exec(select(Beat).where(Beat.code == "CB01")).one()
        sector = session.exec(select(Sector).where(Sector.code == TEAM_SECTOR)).one()
        rows = [
            Officer(collar_number="1001", name="Zara Ahmed", role=Role.PC, beat_id=beat.id,
                    phone="01604 700001", email="zara.ahmed@example.police.uk", start_date=date(2020, 1, 6)),
            Officer(collar_number="1002", name="Adam Baker", role=Role.PC, beat_id=beat.id,
                    phone="01604 700002", email="adam.baker@example.police.uk", start_date=date(2021, 3, 1)),
            Officer(collar_number="PCSO7003", name="Carla Dias", role=Role.PCSO, beat_id=beat.id,
                    phone="01604 700003", email="carla.dias@example.police.uk", start_date=date(2019, 5, 1)),
            Officer(collar_number="2004", name="Sam Okafor", role=Role.SERGEANT, sector_id=sector.id,
                    phone="01604 700004", email="sam.okafor@example.police.uk", start_date=date(2018, 9, 1)),
            Officer(collar_number="3005", name="Helen Price", role=Role.INSPECTOR, sector_id=sector.id,
                    phone="01604 700005", email="helen.price@example.police.uk", start_date=date(2017, 2, 1)),
            Officer(collar_number="1006", name="Left Early", role=Role.PC, beat_id=beat.id,
                    phone="01604 700006", email="left.early@example.police.uk", start_date=date(2015, 1, 1),
                    end_date=today - timedelta(days=1)),
            Officer(collar_number="1007", name="Not Yet", role=Role.PC, beat_id=beat.id,
                    start_date=today + timedelta(days=30)),
            Officer(collar_number="9008", name="Pat Staffer", role=Role.STAFF, sector_id=sector.id,
                    start_date=date(2020, 1, 1)),
            Officer(collar_number="1009", name="Corby Constable", role=Role.PC, beat_id=corby.id,
                    phone="01536 700009", email="corby.constable@example.police.uk", start_date=date(2020, 1, 1)),
        ]
        session.add_all(rows)
    return {o.collar_number: o.name for o in rows}


@pytest.fixture
def team(engine):
    return add_officers(engine)


@pytest.fixture(scope="session")
def boundary_template(tmp_path_factory, wards_20m):
    """A database file with the plan and the 20 m ward boundaries imported, made once per session."""
    from beatdesk.services.actor import Actor
    from beatdesk.services.bootstrap import prepare
    from beatdesk.services.wards import import_wards

    path = tmp_path_factory.mktemp("boundaries") / "template.sqlite"
    engine = prepare(f"sqlite:///{path}")
    import_wards(engine, Actor.administrator("fixture"), wards_20m)
    engine.dispose()
    return path


@pytest.fixture
def boundary_engine(boundary_template, tmp_path):
    """A fresh copy of the boundary database, with the known team posted."""
    from beatdesk.services.bootstrap import prepare

    path = tmp_path / "with-boundaries.sqlite"
    shutil.copy(boundary_template, path)
    engine = prepare(f"sqlite:///{path}")
    add_officers(engine)
    yield engine
    engine.dispose()


def make_window(qtbot, engine, settings, size=(1400, 900)):
    from beatdesk.services.actor import Actor
    from beatdesk.ui.main_window import MainWindow

    window = MainWindow(engine, Actor.administrator("ui-test"), settings=settings)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    return window


@pytest.fixture
def window(qtbot, engine, team, qsettings):
    """The main window on a force without boundaries (hexagon map) and with the known team."""
    return make_window(qtbot, engine, qsettings)


@pytest.fixture
def boundary_window(qtbot, boundary_engine, qsettings):
    return make_window(qtbot, boundary_engine, qsettings)


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):
    """Message boxes are captured, never shown: a modal box would block the test. Returns what was said."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str, str]] = []

    def capture(kind):
        def box(parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return box

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(capture(kind)))
    return shown


def directing_sergeant(engine):
    """Sgt 2004 of the conftest team, directing NT01 (so the team's records are within their reach)."""
    from sqlmodel import select

    from beatdesk.database import session_scope
    from beatdesk.models import Beat, BeatSergeant, Officer
    from beatdesk.services.actor import Actor

    with session_scope(engine) as session:
        sergeant = session.exec(select(Officer).where(Officer.collar_number == "2004")).one()
        beat = session.exec(select(Beat).where(Beat.code == TEAM_BEAT)).one()
        if session.get(BeatSergeant, (beat.id, sergeant.id)) is None:
            session.add(BeatSergeant(beat_id=beat.id, officer_id=sergeant.id))
        return Actor("Sgt 2004", "Sergeant", sergeant.id)
