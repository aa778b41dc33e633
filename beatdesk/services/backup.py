"""Backing up a live SQLite database, and restoring one, while desks keep using it.

Both go through SQLite's online backup API, never a file copy: copying the file of an open database can
catch it half-written, and copying over one corrupts it. A backup reads the source inside one WAL
snapshot, a few pages a step, so the copy is the database at one instant and writers are never blocked.
A restore checks and migrates a private copy first, keeps the current database beside it, then writes
the copy into the live file in one transaction: connections other desks hold stay valid and see either
the old database or the restored one. PostgreSQL has its own tools (pg_dump, pg_restore).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import beatdesk.models
from beatdesk.database import head_revision, make_engine, session_scope, upgrade
from beatdesk.paths import migrations_dir
from beatdesk.services import audit, changes
from beatdesk.services.actor import Actor
from beatdesk.services.errors import PermissionDenied, ServiceError, ValidationError

Progress = Callable[[int, int, str], None]

HEADER = b"SQLite format 3\x00"
STEP_PAGES = 256  # 1 MB a step at the default page size
PAUSE = 0.005  # between steps on a database not in WAL mode, where a reader holds writers off


class DestinationExists(ValidationError):
    """The backup file is already there; it is overwritten only when asked."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    revision: str
    rows: dict[str, int]

    def lines(self) -> list[str]:
        return [
            f"Backed up to {self.path}: {len(self.rows)} tables, {sum(self.rows.values()):,} rows, "
            f"{_megabytes(self.size)}, schema revision {self.revision}; integrity check ok."
        ]


@dataclass(frozen=True)
class RestoreReport:
    database: Path
    source: Path
    source_revision: str
    revision: str
    safety_copy: Path | None
    rows: dict[str, int]

    def lines(self) -> list[str]:
        migrated = f", migrated to {self.revision}" if self.revision != self.source_revision else ""
        kept = (f"The database as it was is kept in {self.safety_copy}." if self.safety_copy
                else "There was no database there before.")
        return [
            f"Restored {self.source} (schema revision {self.source_revision}{migrated}) into {self.database}: "
            f"{len(self.rows)} tables, {sum(self.rows.values()):,} rows.",
            kept,
        ]


def backup(
    engine_or_url: Engine | str, actor: Actor, dest_path: str | Path, *, overwrite: bool = False,
    pages: int = STEP_PAGES, progress: Progress | None = None,
) -> BackupReport:
    """Copy the live database to ``dest_path``, check the copy, and audit who took it."""
    _require_administrator(actor, "back up the database")
    live = sqlite_file(engine_or_url, "back up")
    if not live.is_file():
        raise ValidationError(f"there is no database at {live} to back up.")
    dest = Path(dest_path).expanduser().resolve()
    _check_destination(dest, live, overwrite)
    partial = _new_file_beside(dest, ".partial")
    try:
        try:
            _copy(live, partial, pages=pages, progress=progress)
        except sqlite3.DatabaseError as exc:
            raise ValidationError(f"{live} could not be read as a database ({exc}).") from None
        revision, rows = inspect_file(partial, f"the copy of {live}")
        _check_destination(dest, live, overwrite)  # nobody put a file there meanwhile
        os.replace(partial, dest)
    finally:
        _remove(partial)
    report = BackupReport(dest, dest.stat().st_size, revision, rows)
    if revision == head_revision():  # an older schema's audit table is not this build's to write
        _audit(engine_or_url, actor, "backup_database", copy=str(dest), size=report.size, rows=sum(rows.values()))
    return report


def restore(engine_or_url: Engine | str, actor: Actor, src_path: str | Path) -> RestoreReport:
    """Replace the live database with the checked backup ``src_path``; on any failure it stays as it was."""
    _require_administrator(actor, "restore the database")
    live = sqlite_file(engine_or_url, "restore")
    src = Path(src_path).expanduser().resolve()
    _check_source_file(src, live)
    staging = _new_file_beside(live, ".restoring")
    try:
        try:
            _copy(src, staging, read_only=True)
        except sqlite3.DatabaseError as exc:
            raise ValidationError(f"{src} is damaged or not a database ({exc}); nothing was restored.") from None
        source_revision, _ = inspect_file(staging, str(src))
        safety = _safety_copy_name(live) if live.is_file() else None
        _migrate_and_audit(staging, actor, src, source_revision, safety)
        revision, rows = inspect_file(staging, f"{src} after migration")
        _fit_page_size(staging, live)
        if safety is not None:
            _keep_safety_copy(live, safety)
        _replace(staging, live, safety)
    finally:
        _remove(staging)
    return RestoreReport(live, src, source_revision, revision, safety, rows)


def sqlite_file(engine_or_url: Engine | str, doing: str) -> Path:
    """The file behind an SQLite URL; other databases are refused with the tool that does the job."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    backend = url.get_backend_name()
    if backend != "sqlite":
        tool = "pg_dump" if doing == "back up" else "pg_restore"
        raise ValidationError(
            f"BeatDesk can {doing} SQLite databases only; {url.render_as_string(hide_password=True)} is a "
            f"{backend} database: use {tool} (for example pg_dump -Fc -f beatdesk.dump, then pg_restore)."
        )
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise ValidationError(f"an in-memory SQLite database has no file to {doing}.")
    return Path(url.database).expanduser().resolve()


def known_revisions() -> list[str]:
    return sorted(p.name[:4] for p in (migrations_dir() / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def inspect_file(path: Path, name: str) -> tuple[str, dict[str, int]]:
    """Schema revision and rows per table of a database file this build can open, after checking it."""
    try:
        with closing(sqlite3.connect(path)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
            if problems != ["ok"]:
                raise ValidationError(f"{name} is damaged; the integrity check found: {'; '.join(problems)}.")
            tables = [row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone() \
                if "alembic_version" in tables else None
            _check_revision(revision[0] if revision else None, name)
            beatdesk.models.load_all()  # the tables a database at the newest revision must hold
            missing = sorted(set(SQLModel.metadata.tables) - set(tables))
            if revision[0] == head_revision() and missing:
                raise ValidationError(f"{name} lacks the BeatDesk tables {', '.join(missing)}.")
            rows = {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
    except sqlite3.DatabaseError as exc:
        raise ValidationError(f"{name} is damaged or not a database ({exc}).") from None
    return revision[0], rows


def _check_revision(revision: str | None, name: str) -> None:
    head = head_revision()
    if revision is None:
        raise ValidationError(f"{name} is an SQLite database but not a BeatDesk one: it has no schema revision.")
    if revision in known_revisions():
        return
    if revision.isdigit() and int(revision) > int(head):
        raise ValidationError(
            f"{name} comes from a newer BeatDesk (schema revision {revision}; this one knows up to {head}): "
            "upgrade BeatDesk before restoring it."
        )
    raise ValidationError(f"{name} has schema revision {revision!r}, which no BeatDesk release has.")


def _require_administrator(actor: Actor, doing: str) -> None:
    if not actor.is_administrator:
        raise PermissionDenied(f"{actor.label} ({actor.role}) may not {doing}.")


def _check_destination(dest: Path, live: Path, overwrite: bool) -> None:
    if dest in (live, *(live.with_name(live.name + s) for s in ("-wal", "-shm", "-journal"))):
        raise ValidationError(f"{dest} is the database itself: give the backup another name.")
    if dest.is_dir():
        raise ValidationError(f"{dest} is a folder: give a file name for the backup.")
    if not dest.parent.is_dir():
        raise ValidationError(f"the folder {dest.parent} does not exist.")
    if dest.exists() and not overwrite:
        raise DestinationExists(f"{dest} already exists; nothing was written.")


def _check_source_file(src: Path, live: Path) -> None:
    if not src.is_file():
        raise ValidationError(f"there is no file {src} to restore.")
    if src == live:
        raise ValidationError(f"{src} is the database itself: name a backup to restore.")
    with src.open("rb") as file:
        if file.read(len(HEADER)) != HEADER:
            raise ValidationError(f"{src} is not an SQLite database (it lacks the SQLite header); nothing was restored.")


def _copy(src: Path, dest: Path, *, read_only: bool = False, pages: int = -1, progress: Progress | None = None) -> None:
    """Copy ``src`` into the new file ``dest`` a few pages a step, the whole copy from one snapshot."""
    uri = src.as_uri() + ("?mode=ro" if read_only else "")
    with (closing(sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)) as source,
          closing(sqlite3.connect(dest, isolation_level=None)) as target):
        wal = source.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        if wal:  # hold one read snapshot: writers carry on, and the copy never has to restart
            source.execute("BEGIN")
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()

        def step(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total, f"copying {src.name}")
            if not wal:
                time.sleep(PAUSE)  # let a waiting writer in; the copy restarts if it changed anything

        source.backup(target, pages=pages, progress=step)
        if wal:
            source.execute("ROLLBACK")
        target.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file


def _migrate_and_audit(staging: Path, actor: Actor, src: Path, revision: str, safety: Path | None) -> None:
    """Bring the private copy to this build's schema and record the restore in it, so both land at once."""
    engine = make_engine(f"sqlite:///{staging}")
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            changes.new_generation(session)  # desks holding totals in memory reload them
            audit.record(session, actor, "restore_database", "database", source=str(src), source_revision=revision,
                         revision=head_revision(), safety_copy=str(safety) if safety else None)
    except Exception as exc:  # whatever a migration raises, the live database has not been touched
        raise ServiceError(
            f"{src} could not be brought to schema revision {head_revision()} ({exc}); nothing was restored."
        ) from None
    finally:
        engine.dispose()


def _fit_page_size(staging: Path, live: Path) -> None:
    """A WAL database takes a backup only of its own page size: rewrite the copy in that size if needed."""
    if not live.is_file():
        return
    with closing(sqlite3.connect(live)) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    with closing(sqlite3.connect(staging, isolation_level=None)) as conn:
        if conn.execute("PRAGMA page_size").fetchone()[0] != size:
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute(f"PRAGMA page_size={int(size)}")
            conn.execute("VACUUM")


def _keep_safety_copy(live: Path, safety: Path) -> None:
    try:
        _copy(live, safety)
    except (sqlite3.Error, OSError) as exc:
        _remove(safety)
        raise ServiceError(f"no safety copy of {live} could be made ({exc}); nothing was restored.") from None


def _replace(staging: Path, live: Path, safety: Path | None) -> None:
    """Write the checked copy into the live file; if the result fails its check, put the old one back."""
    try:
        _write_into(staging, live)
    except sqlite3.Error as exc:
        raise ServiceError(f"the database at {live} could not be replaced ({exc}); it is as it was.") from None
    problem = _live_problem(live)
    if problem:
        if safety is not None:
            _write_into(safety, live)
        else:
            _remove(live)
        raise ServiceError(f"the restored database {problem}; the database at {live} was put back as it was.")


def _write_into(src: Path, live: Path) -> None:
    """All pages in one backup step into the live file: one transaction, so readers see old or new."""
    with (closing(sqlite3.connect(src, isolation_level=None)) as source,
          closing(sqlite3.connect(live, timeout=30, isolation_level=None)) as target):
        target.execute("PRAGMA busy_timeout=30000")
        source.backup(target, pages=-1)


def _live_problem(live: Path) -> str | None:
    try:
        with closing(sqlite3.connect(live)) as conn:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return "failed its quick check"
            if conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] != head_revision():
                return "is not at this build's schema revision"
    except sqlite3.Error as exc:
        return f"could not be read back ({exc})"
    return None


def _audit(engine_or_url: Engine | str, actor: Actor, action: str, **detail) -> None:
    engine = engine_or_url if isinstance(engine_or_url, Engine) else make_engine(engine_or_url)
    try:
        with session_scope(engine) as session:
            audit.record(session, actor, action, "database", **detail)
    finally:
        if engine is not engine_or_url:
            engine.dispose()


def _new_file_beside(path: Path, suffix: str) -> Path:
    if not path.parent.is_dir():
        raise ValidationError(f"the folder {path.parent} does not exist.")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    return Path(name)


def _safety_copy_name(live: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate, n = live.with_name(f"{live.stem}.before-restore-{stamp}{live.suffix}"), 1
    while candidate.exists():
        n += 1
        candidate = live.with_name(f"{live.stem}.before-restore-{stamp}-{n}{live.suffix}")
    return candidate


def _remove(path: Path) -> None:
    for name in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        name.unlink(missing_ok=True)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
