"""The audit trail is append-only and hash-chained: tampering of any kind is found and named."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from beatdesk.models import AuditEntry
from beatdesk.services import audit
from beatdesk.services.actor import Actor


def _write(engine, n: int) -> None:
    with Session(engine) as session:
        for i in range(n):
            audit.record(session, Actor.administrator(f"desk{i % 3}"), "test_write", "thing", i, value=i, note="é")
        session.commit()


def _verify(engine) -> audit.ChainReport:
    with Session(engine) as session:
        return audit.verify(session)


def _unguarded(engine):
    """What someone with direct access to the database could do: switch the append-only guard off."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"))
        else:
            conn.execute(text("DROP TRIGGER audit_entry_no_update"))
            conn.execute(text("DROP TRIGGER audit_entry_no_delete"))


def test_every_write_extends_the_chain(engine):
    before = _verify(engine)
    _write(engine, 25)
    with Session(engine) as session:
        rows = session.exec(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1)) and len(rows) == before.entries + 25
    assert all(r.prev_hash == p.hash for p, r in zip(rows, rows[1:], strict=False))
    report = _verify(engine)
    assert report.intact and report.entries == len(rows) and report.last_hash == rows[-1].hash
    assert report.lines()[0].startswith(f"OK: the audit trail of {len(rows)} entries is intact")


@pytest.mark.parametrize("statement", ["UPDATE audit_entry SET actor = 'someone else'", "DELETE FROM audit_entry"])
def test_the_database_refuses_to_change_or_remove_audit_rows(engine, statement):
    _write(engine, 3)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    assert _verify(engine).intact


def test_a_changed_row_is_named(engine):
    _write(engine, 10)
    _unguarded(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET detail = '{\"value\": 99}' WHERE seq = 5"))
    report = _verify(engine)
    assert not report.intact
    assert len(report.problems) == 1
    assert re.fullmatch(r"entry 5 \(test_write by desk\d\): its content was changed after it was written",
                        report.problems[0])
    assert report.lines()[0].startswith("TAMPERED")


def test_a_row_changed_with_its_hash_recomputed_breaks_the_next_link(engine):
    _write(engine, 10)
    _unguarded(engine)
    with Session(engine) as session:
        row = session.exec(select(AuditEntry).where(AuditEntry.seq == 4)).one()
        row.actor = "nobody"
        row.hash = audit._hash_of(row)
        session.commit()
    assert _verify(engine).problems == ("entry 5: does not follow entry 4 (a row before it was changed, removed "
                                        "or inserted)",)


def test_a_removed_row_and_a_cut_off_end_are_found(engine):
    _write(engine, 10)
    _unguarded(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE seq = 6"))
    assert _verify(engine).problems == ("entry 6: missing (the trail jumps from 5 to 7)",)
    with engine.begin() as conn:
        last = conn.execute(text("SELECT max(seq) FROM audit_entry")).scalar()
        conn.execute(text("DELETE FROM audit_entry WHERE seq >= :s"), {"s": last - 1})
    problems = _verify(engine).problems
    assert problems[-1] == f"the trail should end at entry {last} but ends at entry {last - 2} (entries were removed from the end)"


def test_rows_written_by_another_desk_during_a_check_are_not_tampering(engine, monkeypatch):
    _write(engine, 5)
    real_rows = audit._rows

    def rows_while_another_desk_writes(session, end_seq):
        _write(engine, 3)  # committed after the check read the head
        yield from real_rows(session, end_seq)

    monkeypatch.setattr(audit, "_rows", rows_while_another_desk_writes)
    report = _verify(engine)
    assert report.intact and report.entries == 6


@pytest.mark.parametrize("statement", ["DELETE FROM audit_head", "UPDATE audit_head SET seq = 0"])
def test_the_head_is_never_removed_or_moved_back(engine, statement):
    _write(engine, 3)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    assert _verify(engine).intact


def test_postgresql_refuses_to_truncate_the_trail(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite has none")
    _write(engine, 3)
    for table in ("audit_entry", "audit_head"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {table}"))
    assert _verify(engine).intact
