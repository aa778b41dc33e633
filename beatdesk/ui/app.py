"""Starting the desktop application: Qt, the database, the main window, and the demo force if empty."""

from __future__ import annotations

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
    # The storage stack is imported before Qt on purpose: PySide6's import hook reads the source of
    # every module imported after it, which costs about 0.15 s for SQLAlchemy, numpy and shapely.
    from beatdesk.config import ConfigError, database_url, is_embedded_default, shown_url
    from beatdesk.services import bootstrap, force_view, places  # noqa: F401

    app = application()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from beatdesk.ui.main_window import MainWindow
    from beatdesk.ui.sign_in import DeskLock

    try:
        url = database_url(db_url)
    except ConfigError as exc:
        QMessageBox.critical(None, "BeatDesk cannot start", f"The desk's settings cannot be read.\n\n{exc}")
        return 1
    try:
        engine = bootstrap.prepare(url)
    except Exception as exc:  # the database cannot be opened: say so and stop
        QMessageBox.critical(None, "BeatDesk cannot start",
                             f"The database at {shown_url(url)} could not be opened.\n\n{exc}")
        return 1
    actor = sign_in_actor(engine, url)
    if actor is None:  # the user cancelled signing in
        engine.dispose()
        return 0
    window = MainWindow(engine, actor)
    window.desk_lock = DeskLock(window, engine, actor, window.settings)
    window.show()
    if bootstrap.is_empty_force(engine):
        # Only the desk's own embedded database is filled unasked: a database named with --db or
        # BEATDESK_DATABASE_URL may be a force's shared one, and gets no fictitious people.
        if is_embedded_default(url):
            QTimer.singleShot(0, window.generate_demo_force)
        else:
            window.statusBar().showMessage(EMPTY_FORCE_HINT)
    code = app.exec()
    engine.dispose()
    return code
