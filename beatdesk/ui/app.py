"""Starting the desktop application: Qt, the database, the main window, and the demo force if empty."""

from __future__ import annotations

import gc
import sys

ORGANISATION = "BeatDesk"
EMPTY_FORCE_HINT = "No officers in this database yet. For the demo force run: beatdesk --db URL demo"
APPLICATION = "BeatDesk"
DEMO_ACCOUNTS_HINT = ("Demo force: sign in as admin.demo, inspector.demo, sergeant.demo, pc.demo or pcso.demo, "
                      "each with the password demo-password (see the README).")


def desktop_actor():
    """The actor of the administration commands (screenshots): whoever can reach the database."""
    from beatdesk.services.actor import Actor

    return Actor.local_user()


def application(argv: list[str] | None = None):
    """The QApplication, created once, named so QSettings files land under BeatDesk/BeatDesk."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("BeatDesk")
    app.setWindowIcon(application_icon())
    return app


def application_icon():
    from PySide6.QtGui import QIcon

    from beatdesk.paths import resources_dir

    return QIcon(str(resources_dir() / "icons" / "beatdesk.svg"))


def sign_in_actor(engine, url: str):
    """Who uses this desk, asked in a dialog (see ``beatdesk.ui.sign_in``); None if they cancel."""
    from beatdesk.services import bootstrap
    from beatdesk.ui.sign_in import obtain_actor

    hint = DEMO_ACCOUNTS_HINT if bootstrap.is_demo(engine) else ""
    return obtain_actor(engine, hint)


def run_gui(db_url: str | None = None) -> int:
    # Start-up allocates some hundred thousand objects that live as long as the desk, and nothing it
    # leaves behind needs collecting soon: the cyclic collector's full passes over them cost about
    # 60 ms before the map could paint. It is switched back on (those objects frozen) once it has.
    gc.disable()
    try:
        return _run_gui(db_url)
    finally:
        gc.unfreeze()
        gc.enable()


def _collect_from_now_on() -> None:
    gc.freeze()  # what start-up built stays: later collections need not walk it again
    gc.enable()


def _run_gui(db_url: str | None) -> int:
    # What needs no Qt comes first, the database opened included: PySide6's import hook reads the
    # source of every module imported after it (SQLAlchemy's dialect, our models and services, ...).
    from beatdesk.config import ConfigError, database_url, is_embedded_default, shown_url
    from beatdesk.services import accounts, bootstrap, force_view  # noqa: F401

    engine = problem = None
    try:
        url = database_url(db_url)
    except ConfigError as exc:
        problem = f"The desk's settings cannot be read.\n\n{exc}"
    else:
        try:
            engine = bootstrap.prepare(url)
        except Exception as exc:  # the database cannot be opened: say so and stop
            problem = f"The database at {shown_url(url)} could not be opened.\n\n{exc}"

    app = application()
    from PySide6.QtWidgets import QMessageBox

    if problem is not None:
        QMessageBox.critical(None, "BeatDesk cannot start", problem)
        return 1
    from beatdesk.ui.main_window import MainWindow
    from beatdesk.ui.sign_in import DeskLock

    actor = sign_in_actor(engine, url)
    if actor is None:  # the user cancelled signing in
        engine.dispose()
        return 0
    # the map and its key paint first; menus, panel and scores are built straight after
    window = MainWindow(engine, actor, progressive=True)

    def when_built() -> None:
        # the idle lock watches every event of the application: not those of the first show and paint
        window.desk_lock = DeskLock(window, engine, actor, window.settings)
        _collect_from_now_on()
        if not bootstrap.is_empty_force(engine):
            return
        # Only the desk's own embedded database is filled unasked: a database named with --db or
        # BEATDESK_DATABASE_URL may be a force's shared one, and gets no fictitious people.
        if is_embedded_default(url):
            window.generate_demo_force()
        else:
            window.statusBar().showMessage(EMPTY_FORCE_HINT)

    window.completed.connect(when_built)
    window.show()
    code = app.exec()
    engine.dispose()
    return code
