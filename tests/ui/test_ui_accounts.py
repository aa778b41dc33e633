"""The administrator's accounts dialog: create, refuse with the service's words, reset, switch off."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QInputDialog

from beatdesk.database import session_scope
from beatdesk.models import Officer, Role
from beatdesk.services import accounts
from beatdesk.ui.accounts_dialog import AccountsDialog, NewAccountDialog

PASSWORD = "correct horse battery"


def _pc(engine) -> int:
    with session_scope(engine) as session:
        officer = Officer(collar_number="1001", name="Zara Ahmed", role=Role.PC, beat_id=1, start_date=date(2020, 1, 1))
        session.add(officer)
        session.flush()
        return officer.id


def test_new_account_for_an_officer_then_refusals_keep_what_was_typed(qtbot, engine, admin):
    pc = _pc(engine)
    dialog = NewAccountDialog(engine, admin)
    qtbot.addWidget(dialog)
    dialog.role.setCurrentIndex(dialog.role.findData("PC"))
    assert [dialog.officer.itemData(i) for i in range(dialog.officer.count())] == [pc]
    dialog.username.setText("zara")
    dialog.display_name.setText("Zara Ahmed")
    dialog.password.setText("short")
    dialog.create()
    assert "password: at least 10 characters" in dialog.error.text() and dialog.username.text() == "zara"
    dialog.password.setText(PASSWORD)
    dialog.create()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert accounts.sign_in(engine, "zara", PASSWORD).officer_id == pc


def test_list_reset_and_switch_off(qtbot, engine, admin, monkeypatch):
    pc = _pc(engine)
    accounts.create_account(engine, admin, "zara", "Zara Ahmed", PASSWORD, "PC", pc)
    dialog = AccountsDialog(engine, admin)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 3).text() == "Zara Ahmed"
    dialog.reset_password()
    assert dialog.status.text() == "Select an account first."
    dialog.table.selectRow(0)
    typed = iter([("a brand new password", True), ("a brand new passwrod", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(typed))
    dialog.reset_password()
    assert dialog.status.text() == "The two passwords differ: nothing was changed."
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("a brand new password", True))
    dialog.reset_password()
    assert dialog.status.text() == "Password of zara reset."
    assert accounts.sign_in(engine, "zara", "a brand new password").label == "zara"
    dialog.toggle_active()
    assert dialog.table.item(0, 4).text() == "switched off"
