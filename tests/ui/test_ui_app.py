"""Starting the application: names for QSettings, the database prepared, the demo force on first start."""

from __future__ import annotations

import functools
import time

import pytest
from PySide6.QtWidgets import QApplication

from beatdesk.services import bootstrap
from beatdesk.ui import app as app_module
from beatdesk.ui.main_window import MainWindow


@pytest.fixture
def fast_demo(monkeypatch):
    """The real demo generator, but one month of history so the test is quick."""
    import beatdesk.services.demo as demo

    monkeypatch.setattr(demo, "generate_demo", functools.partial(demo.generate_demo, months=1))


def _main_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


def _exec_until(predicate, qtbot, captured):
    """A stand-in for the event loop: runs events until ``predicate(new window)`` holds."""
    older = {id(w) for w in _main_windows()}

    def fake_exec():
        windows = [w for w in _main_windows() if id(w) not in older]
        assert len(windows) == 1
        captured.extend(windows)
        qtbot.waitUntil(lambda: predicate(windows[-1]), timeout=60_000)
        windows[-1].close()  # as the user would; the window stays inspectable until garbage-collected
        return 0

    return fake_exec


@pytest.fixture(autouse=True)
def signed_in(monkeypatch):
    """These tests are about starting up; signing in has tests of its own (test_ui_sign_in.py)."""
    from beatdesk.services.actor import Actor

    monkeypatch.setattr(app_module, "sign_in_actor", lambda engine, url: Actor.administrator("first-admin"))


@pytest.fixture
def default_db(tmp_path, monkeypatch) -> str:
    """The embedded default database (no --db, no environment), in a data folder of the test's own."""
    from beatdesk.config import ENV_DATABASE_URL, database_url

    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return database_url(None)


def test_first_start_generates_the_demo_force_off_the_gui_thread(
    qapp, qtbot, default_db, qsettings, monkeypatch, fast_demo
):
    db_url = default_db
    captured = []
    demo_shown = lambda w: not w.banner.isHidden() and not w.jobs.busy  # noqa: E731
    monkeypatch.setattr(qapp, "exec", _exec_until(demo_shown, qtbot, captured))
    assert app_module.run_gui(None) == 0
    window = captured[-1]
    assert qapp.organizationName() == "BeatDesk" and qapp.applicationName() == "BeatDesk"
    assert "Demo force" in window.banner.text()
    assert any(beat.team for beat in window.force_map.beats)
    engine = bootstrap.prepare(db_url)
    assert bootstrap.is_demo(engine) and not bootstrap.is_empty_force(engine)
    engine.dispose()


def test_an_empty_database_named_with_db_gets_no_demo(qapp, qtbot, db_url, qsettings, monkeypatch):
    """A URL given with --db or the environment may be a force's shared database: never filled unasked."""
    import beatdesk.services.demo as demo

    monkeypatch.setattr(demo, "generate_demo", lambda *a, **k: pytest.fail("demo generated unasked"))
    captured = []
    # the hint is shown once the window is complete (it builds menus and panel after the first paint)
    monkeypatch.setattr(qapp, "exec", _exec_until(lambda w: w.built, qtbot, captured))
    assert app_module.run_gui(db_url) == 0
    window = captured[-1]
    assert window.banner.isHidden()
    assert window.statusBar().currentMessage() == app_module.EMPTY_FORCE_HINT
    assert bootstrap.is_empty_force(window.engine)


def test_the_desk_paints_first_then_completes_its_window_and_lock(qapp, qtbot, engine, team, db_url, qsettings,
                                                                 monkeypatch):
    """run_gui builds the window progressively; the idle lock and the collector come once it is complete."""
    import gc

    from beatdesk.ui.sign_in import DeskLock

    captured = []
    monkeypatch.setattr(qapp, "exec", _exec_until(lambda w: w.built, qtbot, captured))
    assert app_module.run_gui(db_url) == 0
    window = captured[-1]
    assert window.map_view.first_painted and window.panel is not None
    assert isinstance(window.desk_lock, DeskLock)
    assert gc.isenabled() and not gc.get_freeze_count()


def test_a_force_with_people_does_not_get_the_demo(qapp, qtbot, engine, team, db_url, qsettings, monkeypatch):
    import beatdesk.services.demo as demo

    monkeypatch.setattr(demo, "generate_demo", lambda *a, **k: pytest.fail("demo generated over real data"))
    captured = []
    monkeypatch.setattr(qapp, "exec", _exec_until(lambda w: True, qtbot, captured))
    assert app_module.run_gui(db_url) == 0
    qtbot.wait(50)
    assert captured[-1].banner.isHidden()


def test_cancelling_the_demo_leaves_an_empty_force(qapp, qtbot, default_db, qsettings, monkeypatch, message_boxes):
    db_url = default_db
    import beatdesk.services.demo as demo
    from beatdesk.services.demo import DemoCancelled

    def slow_demo(engine, actor, *, progress=None, cancelled=None, **kwargs):
        for i in range(5000):
            progress(i, 5000, "Posting officers")
            if cancelled():
                raise DemoCancelled("Demo generation cancelled: nothing was written.")
            time.sleep(0.002)
        raise AssertionError("not cancelled")

    monkeypatch.setattr(demo, "generate_demo", slow_demo)

    def cancel_then_finish(window):
        if window.jobs.worker is not None:
            window.jobs.worker.cancel()
        return not window.jobs.busy and "cancelled" in window.statusBar().currentMessage()

    captured = []
    monkeypatch.setattr(qapp, "exec", _exec_until(cancel_then_finish, qtbot, captured))
    assert app_module.run_gui(None) == 0
    assert message_boxes == []
    engine = bootstrap.prepare(db_url)
    assert bootstrap.is_empty_force(engine)
    engine.dispose()


def test_database_that_cannot_open_is_reported(qapp, tmp_path, message_boxes):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert app_module.run_gui(f"sqlite:///{blocker}/sub/db.sqlite") == 1
    assert message_boxes and message_boxes[0][0] == "critical" and "could not be opened" in message_boxes[0][2]


def test_start_up_path_imports_no_file_readers_or_migrations(db_url, tmp_path):
    """geopandas, pyogrio and alembic stay out of the way of the first painted map."""
    import os
    import subprocess
    import sys

    from beatdesk.services.bootstrap import prepare

    prepare(db_url).dispose()  # an up-to-date database, as on every start but the first
    script = f"""
import sys
from PySide6.QtCore import QSettings
from beatdesk.ui.app import application, desktop_actor
from beatdesk.services import bootstrap
from beatdesk.ui.main_window import MainWindow
app = application()
engine = bootstrap.prepare({db_url!r})
settings = QSettings({str(tmp_path / "s.ini")!r}, QSettings.Format.IniFormat)
window = MainWindow(engine, desktop_actor(), settings=settings)
window.show()
while not window.map_view.painted:
    app.processEvents()
print(",".join(m for m in ("geopandas", "pyogrio", "alembic", "pandas", "pyproj") if m in sys.modules))
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_application_has_the_beatdesk_icon(qapp):
    from beatdesk.ui.app import application_icon

    icon = application_icon()
    assert not icon.isNull()
    image = icon.pixmap(32, 32).toImage()
    assert image.width() == 32
    assert len({image.pixel(x, y) for x in range(0, 32, 4) for y in range(0, 32, 4)}) > 3  # drawn, not blank


def test_cancelling_sign_in_opens_no_window(qapp, db_url, qsettings, monkeypatch):
    monkeypatch.setattr(app_module, "sign_in_actor", lambda engine, url: None)
    monkeypatch.setattr(qapp, "exec", lambda: pytest.fail("the event loop ran without anyone signed in"))
    before = {id(w) for w in _main_windows()}
    assert app_module.run_gui(db_url) == 0
    assert {id(w) for w in _main_windows()} == before
