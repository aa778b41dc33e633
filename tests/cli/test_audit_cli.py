"""``beatdesk audit verify`` says OK on an intact trail and names the tampered row otherwise."""

from __future__ import annotations

from sqlalchemy import text

from beatdesk.cli.main import main
from beatdesk.services.bootstrap import prepare


def test_audit_verify_intact_then_tampered(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    engine = prepare(url)  # installing the beat plan writes the first audit entry
    assert main(["--db", url, "audit", "verify"]) == 0
    assert capsys.readouterr().out.startswith("OK: the audit trail of 1 entry is intact")
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_entry_no_update"))
        conn.execute(text("UPDATE audit_entry SET actor = 'someone else' WHERE seq = 1"))
    engine.dispose()
    assert main(["--db", url, "audit", "verify"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("TAMPERED") and err[1].startswith("entry 1 (install_beat_plan by someone else)")
