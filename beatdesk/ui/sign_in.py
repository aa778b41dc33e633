"""Signing in at start, creating the first administrator, and locking the desk when it is left idle.

The dialogs only collect what is typed and show the services' answers (``beatdesk.services.accounts``):
the rules (password length, slowed retries, the same answer for an unknown user) live there.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLayout, QLineEdit, QVBoxLayout, QWidget,
)
from sqlalchemy import Engine
from sqlmodel import Session

from beatdesk.services import accounts
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ServiceError

SETTINGS_IDLE_MINUTES = "security/idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 15
ERROR_STYLE = "color: #b00020;"
_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(260)
    return field


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("signInError")
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


class SignInDialog(QDialog):
    """Username and password; ``actor`` is set once the services accept them."""

    def __init__(self, engine: Engine, hint: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.engine = engine
        self.actor: Actor | None = None
        self.setWindowTitle("Sign in to BeatDesk")
        self.setMinimumWidth(420)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = _password_field()
        self.password.setObjectName("password")
        form = QFormLayout()
        form.addRow("&Username", self.username)
        form.addRow("&Password", self.password)
        self.error = _error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if hint:
            note = QLabel(hint)
            note.setObjectName("signInHint")
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(lambda: self.ok_button.setEnabled(True))

    def try_sign_in(self) -> None:
        try:
            self.actor = accounts.sign_in(self.engine, self.username.text(), self.password.text())
        except accounts.SignInRefused as refused:
            self._refused(str(refused), refused.wait)
            return
        self.accept()

    def _refused(self, message: str, wait) -> None:
        self.error.setText(message)
        self.error.show()
        self.adjustSize()  # room for the message
        self.password.selectAll()
        self.password.setFocus()
        if wait is not None:  # the Sign in button comes back when the wait is over
            self.ok_button.setEnabled(False)
            self._retry.start(max(1, int(wait.total_seconds() * 1000)))


class FirstAdministratorDialog(QDialog):
    """A new database's first account: its administrator, whose password is asked for twice."""

    def __init__(self, engine: Engine, parent: QWidget | None = None):
        super().__init__(parent)
        self.engine = engine
        self.actor: Actor | None = None
        self.setWindowTitle("Create the administrator")
        intro = QLabel("This database has no accounts yet. Create the administrator who will manage "
                       f"users, wards and beats. The password needs at least {accounts.MIN_PASSWORD} characters.")
        intro.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("displayName")
        self.password = _password_field()
        self.password.setObjectName("password")
        self.repeat = _password_field()
        self.repeat.setObjectName("repeatPassword")
        form = QFormLayout()
        form.addRow("&Username", self.username)
        form.addRow("&Name", self.display_name)
        form.addRow("&Password", self.password)
        form.addRow("&Again", self.repeat)
        self.error = _error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create and sign in")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def create(self) -> None:
        if self.password.text() != self.repeat.text():
            self._show("The two passwords differ: type the same one twice.")
            return
        try:
            self.actor = accounts.create_first_administrator(
                self.engine, self.username.text(), self.display_name.text(), self.password.text()
            )
        except ServiceError as exc:
            self._show(str(exc))
            return
        self.accept()

    def _show(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


def obtain_actor(engine: Engine, hint: str = "", parent: QWidget | None = None) -> Actor | None:
    """Who uses this desk: the first administrator on a new database, else whoever signs in.
    None when the user cancels."""
    with Session(engine) as session:
        first = not accounts.has_accounts(session)
    dialog = FirstAdministratorDialog(engine, parent) if first else SignInDialog(engine, hint, parent)
    return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None


class LockDialog(QDialog):
    """The desk locked: only the signed-in user's password (or signing out) gets past it."""

    def __init__(self, engine: Engine, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.engine, self.actor = engine, actor
        self.signed_out = False
        self.setWindowTitle("BeatDesk is locked")
        self.setModal(True)
        note = QLabel(f"Locked while nobody used it. Type the password of {actor.label} to go on, "
                      "or sign out.")
        note.setWordWrap(True)
        self.password = _password_field()
        self.password.setObjectName("password")
        self.error = _error_label()
        buttons = QDialogButtonBox()
        self.unlock_button = buttons.addButton("Unlock", QDialogButtonBox.ButtonRole.AcceptRole)
        sign_out = buttons.addButton("Sign out", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.unlock_button.clicked.connect(self.try_unlock)
        sign_out.clicked.connect(self._sign_out)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(note)
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_unlock(self) -> None:
        try:
            again = accounts.sign_in(self.engine, self.actor.label, self.password.text())
        except accounts.SignInRefused as refused:
            self.error.setText(str(refused))
            self.error.show()
            self.password.selectAll()
            return
        if again != self.actor:  # the account changed role meanwhile: sign in afresh
            self._sign_out()
            return
        self.accept()

    def _sign_out(self) -> None:
        self.signed_out = True
        self.reject()

    def reject(self) -> None:  # Esc does not get past the lock
        if self.signed_out:
            super().reject()


class IdleLock(QObject):
    """Watches the application's input; after ``minutes`` without any it emits ``idle``."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        QApplication.instance().installEventFilter(self)

    @staticmethod
    def configured_minutes(settings: QSettings) -> int:
        value = settings.value(SETTINGS_IDLE_MINUTES, DEFAULT_IDLE_MINUTES)
        try:
            return max(0, int(value))
        except (TypeError, ValueError):
            return DEFAULT_IDLE_MINUTES

    def set_minutes(self, minutes: int) -> None:
        """0 switches the lock off."""
        self.minutes = max(0, int(minutes))
        self.timer.stop()
        if self.minutes:
            self.timer.start(self.minutes * 60_000)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() in _ACTIVITY and self.minutes and self.timer.isActive():
            self.timer.start(self.minutes * 60_000)
        return False

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class DeskLock(QObject):
    """Locks ``window`` after the configured idle time (or when asked): the window is hidden, not just
    covered, until its user types their password again; signing out closes it."""

    def __init__(self, window: QWidget, engine: Engine, actor: Actor, settings: QSettings):
        super().__init__(window)
        self.window, self.engine, self.actor = window, engine, actor
        self.idle = IdleLock(IdleLock.configured_minutes(settings), self)
        self.idle.idle.connect(self.lock)
        self.locked = False

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        # every window goes, not only the main one: the audit trail or a board must not stay readable
        hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in hidden:
            widget.hide()
        dialog = LockDialog(self.engine, self.actor)
        dialog.exec()
        self.locked = False
        if dialog.signed_out:
            self.idle.stop()
            self.window.close()
            return
        for widget in hidden:
            widget.show()
        self.idle.set_minutes(self.idle.minutes)
