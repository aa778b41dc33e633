"""The audit viewer: filters by typing and choosing, pages, detail, and the chain check."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import text
from sqlmodel import Session

from beatdesk.services import audit
from beatdesk.services.actor import Actor
from beatdesk.ui.audit_viewer import AuditViewer


def _fill(engine, n=250):
    with Session(engine) as session:
        for i in range(n):
            audit.record(session, Actor("sgt.smith" if i % 5 == 0 else "pc.jones", "Sergeant"),
                         "log_activity", "activity_entry", i, count=i)
        session.commit()


def test_filter_page_and_detail(qtbot, engine, admin):
    _fill(engine)
    viewer = AuditViewer(engine, admin)
    qtbot.addWidget(viewer)
    viewer.resize(1200, 700)
    viewer.show()
    assert viewer.model.rowCount() == 200 and viewer.more_button.isEnabled()
    assert viewer.status.text() == "200 of 251 entries shown, newest first."
    qtbot.mouseClick(viewer.more_button, Qt.MouseButton.LeftButton)
    assert viewer.model.rowCount() == 251 and not viewer.more_button.isEnabled()
    viewer.who.setFocus()
    qtbot.keyClicks(viewer.who, "smith")
    qtbot.keyClick(viewer.who, Qt.Key.Key_Return)
    assert viewer.model.rowCount() == 50 and {r.actor for r in viewer.model.rows} == {"sgt.smith"}
    viewer.table.selectRow(0)
    assert viewer.detail.toPlainText().startswith(f"#{viewer.model.rows[0].seq} ·") and '"count"' in viewer.detail.toPlainText()
    viewer.action.setCurrentIndex(viewer.action.findData("install_beat_plan"))
    viewer.who.clear()
    viewer.refresh()
    assert [r.action for r in viewer.model.rows] == ["install_beat_plan"]



def test_verify_says_intact_or_tampered(qtbot, engine, admin):
    _fill(engine, 5)
    viewer = AuditViewer(engine, admin)
    qtbot.addWidget(viewer)
    qtbot.mouseClick(viewer.verify_button, Qt.MouseButton.LeftButton)
    assert viewer.status.text().startswith("OK: the audit trail of 6 entries is intact")
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_entry_no_update"))
        conn.execute(text("UPDATE audit_entry SET actor = 'x' WHERE seq = 3"))
    viewer.verify()
    assert viewer.status.text().startswith("TAMPERED") and "entry 3" in viewer.status.text()
    assert "b00020" in viewer.status.styleSheet()
