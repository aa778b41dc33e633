"""The File menu's security actions: user accounts and the audit trail (offered only to the roles the
services allow), locking the desk now, and how long it may stay idle before it locks. What they open
is imported when chosen, not with the main window."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMenu

from beatdesk.services.permissions import Action, may


def add_security_actions(window: QMainWindow, menu: QMenu) -> None:
    actor = window.actor
    if may(actor, Action.MANAGE_USERS):
        users = QAction("User &accounts…", window)
        users.setObjectName("accountsAction")
        users.triggered.connect(lambda: open_accounts(window))
        menu.addAction(users)
    if may(actor, Action.VIEW_AUDIT):
        trail = QAction("Audit &trail…", window)
        trail.setObjectName("auditAction")
        trail.triggered.connect(lambda: open_audit_trail(window))
        menu.addAction(trail)
    menu.addSeparator()
    lock = QAction("&Lock now", window)
    lock.setObjectName("lockAction")
    lock.setShortcut(QKeySequence("Ctrl+Shift+L"))
    lock.triggered.connect(lambda: window.desk_lock.lock() if getattr(window, "desk_lock", None) else None)
    menu.addAction(lock)
    idle = QAction("Lock after &idle…", window)
    idle.setObjectName("idleLockAction")
    idle.triggered.connect(lambda: choose_idle_minutes(window))
    menu.addAction(idle)


def open_accounts(window: QMainWindow) -> None:
    from beatdesk.ui.accounts_dialog import AccountsDialog

    AccountsDialog(window.engine, window.actor, window).exec()


def open_audit_trail(window: QMainWindow) -> None:
    from beatdesk.ui.audit_viewer import AuditViewer

    viewer = getattr(window, "audit_window", None)
    if viewer is None:
        viewer = QMainWindow(window)
        viewer.setWindowTitle("Audit trail — BeatDesk")
        viewer.setCentralWidget(AuditViewer(window.engine, window.actor))
        viewer.resize(1200, 700)
        window.audit_window = viewer
    else:
        viewer.centralWidget().refresh()
    viewer.show()
    viewer.raise_()


def choose_idle_minutes(window: QMainWindow) -> None:
    from beatdesk.ui.sign_in import SETTINGS_IDLE_MINUTES, IdleLock

    current = IdleLock.configured_minutes(window.settings)
    minutes, ok = QInputDialog.getInt(window, "Lock after idle", "Lock the desk after this many idle minutes "
                                      "(0: never):", current, 0, 240)
    if not ok:
        return
    window.settings.setValue(SETTINGS_IDLE_MINUTES, minutes)
    lock = getattr(window, "desk_lock", None)
    if lock is not None:
        lock.idle.set_minutes(minutes)
    window.statusBar().showMessage(f"The desk locks after {minutes} idle minutes." if minutes
                                   else "The desk no longer locks when idle.", 6000)
