"""Backup and restore of a live SQLite database: consistent under a writing process, refusals change nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from beatdesk.database import head_revision, make_engine, session_scope, upgrade
from beatdesk.models import ActivityKind, Officer, Role
from beatdesk.services.activity import EntryInput, log_entry, recount_totals, stored_totals
from beatdesk.services.actor import Actor
from beatdesk.services.backup import DestinationExists, backup, restore
from beatdesk.services.bootstrap import prepare
from beatdesk.services.errors import PermissionDenied, ServiceError, ValidationError

pytestmark = pytest.mark.sqlite_only  # SQLite's own online backup API; PostgreSQL has pg_dump

START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)

# Logs entries as another process would, over three days and two kinds, until told to stop.
WRITER = """
import sys
from datetime import datetime, timedelta
from pathlib import Path
from beatdesk.database import make_engine
from beatdesk.models import ActivityKind
from beatdesk.services.activity import EntryInput, log_entry
from beatdesk.services.actor import Actor
url, officer, start, stop = sys.argv[1], int(sys.argv[2]), datetime.fromisoformat(sys.argv[3]), Path(sys.argv[4])
engine, writer, n = make_engine(url), Actor.administrator("writer"), 0
while not stop.exists():
    kind = (ActivityKind.INCIDENT, ActivityKind.ARREST)[n % 2]
    log_entry(engine, writer, EntryInput(officer, kind, start + timedelta(minutes=(37 * n) % 4000), count=1 + n % 3))
    n += 1
print(n)
"""

# Holds the database open across a restore, then reads and writes through the same pooled connection.
HOLDER = """
import sys
from datetime import datetime
from sqlalchemy import text
from beatdesk.database import make_engine
from beatdesk.models import ActivityKind
from beatdesk.services.activity import EntryInput, log_entry
from beatdesk.services.actor import Actor
url, officer, at = sys.argv[1], int(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
engine = make_engine(url)


def count():
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM activity_entry")).scalar()


print(count(), flush=True)
sys.stdin.readline()
print(count(), flush=True)
log_entry(engine, Actor.administrator("holder"), EntryInput(officer, ActivityKind.INCIDENT, at))
print(count(), flush=True)
"""


@pytest.fixture
def pc(engine) -> int:
    with session_scope(engine) as session:
        officer = Officer(collar_number="1001", name="Officer 1001", role=Role.PC, beat_id=1,
                          start_date=date(2020, 1, 1))
        session.add(officer)
        session.flush()
        return officer.id


@pytest.fixture
def live(engine) -> Path:
    return Path(engine.url.database)


def _log(engine, pc, n, offset=0) -> None:
    for i in range(offset, offset + n):
        log_entry(engine, Actor.administrator(), EntryInput(pc, ActivityKind.INCIDENT, START + timedelta(hours=i)))


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def _state(live: Path) -> tuple[list[str], list[str]]:
    """Everything in the database, and every file beside it."""
    return _dump(live), sorted(p.name for p in live.parent.iterdir())


def _count(path: Path, table: str = "activity_entry") -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _consistent(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            stored, recount = stored_totals(session), recount_totals(session)
        assert stored == recount and stored
    finally:
        engine.dispose()


def _audit(path: Path) -> list[tuple[str, str, dict]]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT actor, action, detail FROM audit_entry ORDER BY id").fetchall()
    return [(actor, action, json.loads(detail)) for actor, action, detail in rows]


# ---- backup ----------------------------------------------------------------------------------------


def test_backup_while_another_process_writes_is_consistent(engine, admin, pc, live, tmp_path):
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(engine.url), str(pc), START.isoformat(), str(stop)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while _count(live) < 30:
            assert writer.poll() is None and time.monotonic() < deadline, "the writer did not start"
            time.sleep(0.05)
        before = _count(live)
        steps = []
        report = backup(engine, admin, tmp_path / "copy.sqlite", pages=2,
                        progress=lambda done, total, _: (steps.append(done), time.sleep(0.01)))
        after = _count(live)
    finally:
        stop.touch()
        written = int(writer.communicate(timeout=30)[0])
    assert writer.returncode == 0
    assert len(steps) > 10  # copied in many small steps ...
    assert after > before  # ... and the writer was not held off while they ran
    copied = _count(report.path)
    assert before <= copied <= after <= written
    assert report.rows["activity_entry"] == copied and report.revision == head_revision()
    with closing(sqlite3.connect(report.path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    _consistent(report.path)
    assert not list(tmp_path.glob(".copy.sqlite.*"))  # no partial file left behind
    (audited,) = [detail for actor, action, detail in _audit(live) if action == "backup_database"]
    assert audited["copy"] == str(report.path) and audited["rows"] == sum(report.rows.values())


def test_backup_report_says_rows_size_and_revision(engine, admin, pc, tmp_path):
    _log(engine, pc, 3)
    report = backup(str(engine.url), admin, tmp_path / "copy.sqlite")
    assert report.rows["activity_entry"] == 3 and report.rows["beat"] == 36
    assert report.size == (tmp_path / "copy.sqlite").stat().st_size
    (line,) = report.lines()
    assert line.startswith(f"Backed up to {tmp_path / 'copy.sqlite'}: {len(report.rows)} tables, ")
    assert line.endswith(f"schema revision {head_revision()}; integrity check ok.")


def test_backup_refuses_an_existing_file_unless_told(engine, admin, live, tmp_path):
    dest = tmp_path / "copy.sqlite"
    dest.write_text("keep me")
    before = _state(live)
    with pytest.raises(DestinationExists, match="already exists; nothing was written"):
        backup(engine, admin, dest)
    assert dest.read_text() == "keep me" and _state(live) == before
    backup(engine, admin, dest, overwrite=True)
    assert _count(dest, "beat") == 36


@pytest.mark.parametrize("dest, message", [
    ("beatdesk.sqlite", "is the database itself"),
    ("missing/copy.sqlite", "does not exist"),
    (".", "is a folder"),
])
def test_backup_refuses_bad_destinations(engine, admin, live, tmp_path, dest, message):
    before = _state(live)
    with pytest.raises(ValidationError, match=message):
        backup(engine, admin, tmp_path / dest)
    assert _state(live) == before


def test_backup_and_restore_refuse_other_databases_and_roles(admin, tmp_path):
    url = "postgresql+psycopg://beat:secret@db.example/beatdesk"
    with pytest.raises(ValidationError, match="SQLite databases only.*use pg_dump") as refused:
        backup(url, admin, tmp_path / "copy.sqlite")
    assert "secret" not in str(refused.value)
    with pytest.raises(ValidationError, match="use pg_restore"):
        restore(url, admin, tmp_path / "copy.sqlite")
    with pytest.raises(ValidationError, match="no database at"):
        backup(f"sqlite:///{tmp_path / 'none.sqlite'}", admin, tmp_path / "copy.sqlite")
    assert not (tmp_path / "none.sqlite").exists()
    pc = Actor("1001", Role.PC.value, officer_id=1)
    with pytest.raises(PermissionDenied, match="may not back up the database"):
        backup(f"sqlite:///{tmp_path / 'x.sqlite'}", pc, tmp_path / "copy.sqlite")
    with pytest.raises(PermissionDenied, match="may not restore the database"):
        restore(f"sqlite:///{tmp_path / 'x.sqlite'}", pc, tmp_path / "copy.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# ---- restore ---------------------------------------------------------------------------------------


def test_restore_round_trip_keeps_a_safety_copy_and_audits(engine, admin, pc, live, tmp_path):
    _log(engine, pc, 4)
    report = backup(engine, admin, tmp_path / "copy.sqlite")
    at_backup = _dump(report.path)
    _log(engine, pc, 2, offset=10)
    before_restore = _dump(live)

    restored = restore(engine, Actor.administrator("restorer"), report.path)

    assert _count(live) == 4
    _consistent(live)
    assert restored.safety_copy.parent == live.parent and "before-restore-" in restored.safety_copy.name
    assert _dump(restored.safety_copy) == before_restore
    actor, action, detail = _audit(live)[-1]
    assert (actor, action) == ("restorer", "restore_database")
    assert detail["source"] == str(report.path) and detail["safety_copy"] == str(restored.safety_copy)
    moving = ('"audit_', '"change_clock"')  # the trail, its head and the clock move with every audited write
    without_audit = [line for line in _dump(live) if not any(m in line for m in moving)]
    assert without_audit == [line for line in at_backup if not any(m in line for m in moving)]
    assert _dump(report.path) == at_backup  # the backup itself is never changed
    clock_of = lambda dump: next(line for line in dump if '"change_clock"' in line)  # noqa: E731
    assert clock_of(_dump(live)).split(",")[-1] != clock_of(at_backup).split(",")[-1]  # a new generation
    assert restored.lines()[1] == f"The database as it was is kept in {restored.safety_copy}."
    assert sorted(p.name for p in live.parent.iterdir() if p.name.startswith(".")) == []


def test_restore_while_another_process_has_the_database_open(engine, admin, pc, live, tmp_path):
    _log(engine, pc, 5)
    copy = backup(engine, admin, tmp_path / "copy.sqlite").path
    _log(engine, pc, 3, offset=10)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(engine.url), str(pc), (START + timedelta(hours=30)).isoformat()],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "8"
        restore(engine, admin, copy)
        out, _ = holder.communicate("go\n", timeout=30)
    finally:
        holder.kill()
    assert out.split() == ["5", "6"]  # it sees the restored data, and its next write lands in it
    assert _count(live) == 6
    _consistent(live)


def test_restore_migrates_an_older_backup_to_head(engine, admin, live, tmp_path):
    old = tmp_path / "old.sqlite"
    old_engine = make_engine(f"sqlite:///{old}")
    upgrade(old_engine, "0006")
    old_engine.dispose()
    report = restore(engine, admin, old)
    assert (report.source_revision, report.revision) == ("0006", head_revision())
    assert report.lines()[0].startswith(f"Restored {old} (schema revision 0006, migrated to {head_revision()})")
    with closing(sqlite3.connect(live)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
        assert "task_id" in {row[1] for row in conn.execute("PRAGMA table_info(activity_entry)")}
    with closing(sqlite3.connect(old)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0006"


def test_restore_fits_a_backup_of_another_page_size_into_the_live_file(engine, admin, pc, live, tmp_path):
    _log(engine, pc, 3)
    copy = backup(engine, admin, tmp_path / "copy.sqlite").path
    _sqlite(copy, "PRAGMA page_size = 8192", "VACUUM")
    _log(engine, pc, 2, offset=10)
    restore(engine, admin, copy)
    assert _count(live) == 3
    with closing(sqlite3.connect(live)) as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096


def _sqlite(path: Path, *statements: str) -> Path:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for statement in statements:
            conn.execute(statement)
    return path


def _corrupt(path: Path) -> Path:
    """Overwrite a page in the middle of the file, keeping the header intact."""
    data = bytearray(path.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096
    data[middle:middle + 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("make, message", [
    (lambda copy, tmp: _corrupt(copy), "is damaged"),
    (lambda copy, tmp: (tmp / "notes.txt").write_text("not a database") and tmp / "notes.txt",
     "is not an SQLite database"),
    (lambda copy, tmp: _sqlite(tmp / "other.sqlite", "CREATE TABLE t (x)"), "not a BeatDesk one"),
    (lambda copy, tmp: _sqlite(copy, "UPDATE alembic_version SET version_num = '0099'"), "comes from a newer BeatDesk"),
    (lambda copy, tmp: _sqlite(copy, "UPDATE alembic_version SET version_num = 'beef'"), "which no BeatDesk release"),
    (lambda copy, tmp: _sqlite(copy, "DROP TABLE place"), "lacks the BeatDesk tables place"),
    (lambda copy, tmp: tmp / "missing.sqlite", "there is no file"),
    (lambda copy, tmp: tmp / "live" / "beatdesk.sqlite", "is the database itself"),
])
def test_restore_refusals_change_nothing(admin, tmp_path, make, message):
    live_dir = tmp_path / "live"
    live_dir.mkdir()
    engine = prepare(f"sqlite:///{live_dir / 'beatdesk.sqlite'}")
    try:
        copy = backup(engine, admin, tmp_path / "copy.sqlite").path
        source = make(copy, tmp_path)
        before = _state(live_dir / "beatdesk.sqlite")
        with pytest.raises(ValidationError, match=message):
            restore(engine, admin, source)
        assert _state(live_dir / "beatdesk.sqlite") == before  # same data, no safety copy, no leftovers
    finally:
        engine.dispose()


def test_a_failed_migration_leaves_the_live_database_as_it_was(engine, admin, pc, live, tmp_path, monkeypatch):
    _log(engine, pc, 2)
    copy = backup(engine, admin, tmp_path / "copy.sqlite").path
    _log(engine, pc, 1, offset=5)
    before = _state(live)

    def broken(_engine):
        raise RuntimeError("migration 0008 failed")

    monkeypatch.setattr("beatdesk.services.backup.upgrade", broken)
    with pytest.raises(ServiceError, match="could not be brought to schema revision.*migration 0008 failed"):
        restore(engine, admin, copy)
    assert _state(live) == before


def test_a_restore_that_fails_its_check_puts_the_old_database_back(engine, admin, pc, live, tmp_path, monkeypatch):
    _log(engine, pc, 2)
    copy = backup(engine, admin, tmp_path / "copy.sqlite").path
    _log(engine, pc, 1, offset=5)
    before = _dump(live)
    monkeypatch.setattr("beatdesk.services.backup._live_problem", lambda _live: "failed its quick check")
    with pytest.raises(ServiceError, match="was put back as it was"):
        restore(engine, admin, copy)
    assert _dump(live) == before
