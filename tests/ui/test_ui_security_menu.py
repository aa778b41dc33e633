"""The File menu offers accounts and the audit trail only to the roles the services allow, and locks."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog

from beatdesk.services.actor import Actor
from beatdesk.ui import security_menu
from beatdesk.ui.sign_in import SETTINGS_IDLE_MINUTES, DeskLock


def _names(window) -> set[str]:
    return {a.objectName() for a in window.findChildren(QAction) if a.objectName()}


def _window(qtbot, engine, qsettings, actor):
    from beatdesk.ui.main_window import MainWindow

    window = MainWindow(engine, actor, settings=qsettings)
    qtbot.addWidget(window)
    return window


def test_administrators_and_inspectors_get_what_their_role_allows(qtbot, engine, qsettings):
    admin = _names(_window(qtbot, engine, qsettings, Actor.administrator("casey")))
    assert {"accountsAction", "auditAction", "lockAction", "idleLockAction"} <= admin
    inspector = _names(_window(qtbot, engine, qsettings, Actor("insp", "Inspector", None)))
    assert "auditAction" in inspector and "accountsAction" not in inspector
    pc = _names(_window(qtbot, engine, qsettings, Actor("pc", "PC", None)))
    assert not {"accountsAction", "auditAction"} & pc and "lockAction" in pc


def test_audit_trail_opens_in_its_own_window(qtbot, engine, qsettings):
    window = _window(qtbot, engine, qsettings, Actor.administrator("casey"))
    security_menu.open_audit_trail(window)
    viewer = window.audit_window.centralWidget()
    assert window.audit_window.isVisible() and viewer.model.rowCount() >= 1
    security_menu.open_audit_trail(window)  # the second time it is refreshed, not duplicated
    assert window.audit_window.centralWidget() is viewer
    window.audit_window.close()


def test_idle_minutes_are_chosen_remembered_and_applied(qtbot, engine, qsettings, monkeypatch):
    window = _window(qtbot, engine, qsettings, Actor.administrator("casey"))
    window.desk_lock = DeskLock(window, engine, window.actor, qsettings)
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (7, True))
    security_menu.choose_idle_minutes(window)
    assert int(qsettings.value(SETTINGS_IDLE_MINUTES)) == 7 and window.desk_lock.idle.minutes == 7
    assert window.statusBar().currentMessage() == "The desk locks after 7 idle minutes."
    locked = []
    monkeypatch.setattr(window.desk_lock, "lock", lambda: locked.append(True))
    next(a for a in window.findChildren(QAction) if a.objectName() == "lockAction").trigger()
    assert locked == [True]
