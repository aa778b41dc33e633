"""The sign-in, first-administrator and lock dialogs, driven with the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from beatdesk.services import accounts
from beatdesk.ui import sign_in
from beatdesk.ui.sign_in import DeskLock, FirstAdministratorDialog, IdleLock, LockDialog, SignInDialog

PASSWORD = "correct horse battery"


@pytest.fixture
def with_admin(engine):
    return accounts.create_first_administrator(engine, "casey", "Casey Jones", PASSWORD)


def _type(qtbot, widget, text):
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def test_first_administrator_is_created_from_the_dialog(qtbot, engine):
    dialog = FirstAdministratorDialog(engine)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.username, "casey")
    _type(qtbot, dialog.display_name, "Casey Jones")
    _type(qtbot, dialog.password, PASSWORD)
    _type(qtbot, dialog.repeat, PASSWORD + "x")
    dialog.create()
    assert dialog.error.text() == "The two passwords differ: type the same one twice." and dialog.actor is None
    dialog.repeat.clear()
    _type(qtbot, dialog.repeat, PASSWORD)
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.actor.label == "casey"
    assert accounts.sign_in(engine, "casey", PASSWORD) == dialog.actor


def test_a_short_password_is_refused_in_the_dialog_and_nothing_is_lost(qtbot, engine):
    dialog = FirstAdministratorDialog(engine)
    qtbot.addWidget(dialog)
    _type(qtbot, dialog.username, "casey")
    _type(qtbot, dialog.display_name, "Casey")
    _type(qtbot, dialog.password, "short")
    _type(qtbot, dialog.repeat, "short")
    dialog.create()
    assert "password: at least 10 characters" in dialog.error.text() and not dialog.error.isHidden()
    assert dialog.username.text() == "casey" and dialog.password.text() == "short"


def test_sign_in_refuses_then_accepts(qtbot, engine, with_admin):
    dialog = SignInDialog(engine, hint="Demo accounts: see the README")
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.username, "casey")
    _type(qtbot, dialog.password, "wrong password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.error.text() == accounts.NOT_RECOGNISED and dialog.actor is None
    assert dialog.password.hasFocus() or dialog.password.selectedText() == "wrong password"
    dialog.password.clear()
    _type(qtbot, dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.actor == with_admin


def test_slowed_sign_in_disables_the_button_until_the_wait_is_over(qtbot, engine, with_admin):
    dialog = SignInDialog(engine)
    qtbot.addWidget(dialog)
    _type(qtbot, dialog.username, "casey")
    for _ in range(accounts.FREE_ATTEMPTS):
        dialog.password.clear()
        _type(qtbot, dialog.password, "wrong password")
        dialog.try_sign_in()
    assert "Too many failed attempts" in dialog.error.text() and not dialog.ok_button.isEnabled()
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=3000)


def test_obtain_actor_asks_for_the_first_administrator_on_a_new_database(qtbot, engine, monkeypatch):
    shown = []

    def fake_exec(dialog):
        shown.append(type(dialog).__name__)
        dialog.actor = "someone"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FirstAdministratorDialog, "exec", fake_exec)
    monkeypatch.setattr(SignInDialog, "exec", fake_exec)
    assert sign_in.obtain_actor(engine) == "someone"
    accounts.create_first_administrator(engine, "casey", "Casey", PASSWORD)
    assert sign_in.obtain_actor(engine) == "someone"
    assert shown == ["FirstAdministratorDialog", "SignInDialog"]


def test_idle_desk_locks_hides_the_window_and_unlocks_with_the_password(qtbot, engine, with_admin, qsettings,
                                                                        monkeypatch):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    other = QWidget()  # e.g. the audit trail in a window of its own
    qtbot.addWidget(other)
    other.show()
    qsettings.setValue(sign_in.SETTINGS_IDLE_MINUTES, 5)
    lock = DeskLock(window, engine, with_admin, qsettings)
    assert lock.idle.minutes == 5 and lock.idle.timer.isActive()
    seen = {}

    def fake_exec(dialog):
        seen["hidden"] = window.isHidden() and other.isHidden()
        dialog.password.setText("wrong password")
        dialog.try_unlock()
        seen["refused"] = dialog.error.text()
        dialog.password.setText(PASSWORD)
        dialog.try_unlock()
        return dialog.result()

    monkeypatch.setattr(LockDialog, "exec", fake_exec)
    lock.idle.timer.timeout.emit()  # as if the minutes had passed
    assert seen == {"hidden": True, "refused": accounts.NOT_RECOGNISED}
    assert window.isVisible() and other.isVisible() and lock.idle.timer.isActive()


def test_escape_does_not_get_past_the_lock_but_sign_out_closes_the_window(qtbot, engine, with_admin, qsettings,
                                                                         monkeypatch):
    dialog = LockDialog(engine, with_admin)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    lock = DeskLock(window, engine, with_admin, qsettings)
    monkeypatch.setattr(LockDialog, "exec", lambda d: d._sign_out())
    lock.lock()
    assert not window.isVisible() and not lock.idle.timer.isActive()


def test_input_restarts_the_idle_timer_and_zero_switches_the_lock_off(qtbot, qapp):
    idle = IdleLock(1)
    idle.timer.start(10)  # nearly idle
    widget = QWidget()
    qtbot.addWidget(widget)
    qtbot.keyClick(widget, Qt.Key.Key_A)
    assert idle.timer.remainingTime() > 30_000
    idle.set_minutes(0)
    assert not idle.timer.isActive()
    idle.stop()
