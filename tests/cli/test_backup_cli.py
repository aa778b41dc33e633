"""``beatdesk backup`` and ``beatdesk restore``: a report and exit 0, one-line refusals with exit 2."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from beatdesk.cli.main import main


@pytest.fixture
def live(engine) -> Path:
    return Path(engine.url.database)


@pytest.fixture
def db(engine) -> list[str]:
    return ["--db", str(engine.url)]


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def _beside(live: Path) -> list[str]:
    return sorted(p.name for p in live.parent.iterdir())


def test_backup_prints_its_report_and_refuses_to_overwrite(db, tmp_path, capsys):
    dest = tmp_path / "copy.sqlite"
    assert main([*db, "backup", str(dest)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Backed up to {dest}: ") and out.endswith("integrity check ok.\n")
    size = dest.stat().st_size

    assert main([*db, "backup", str(dest)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {dest} already exists; nothing was written. Give another name, or --force to overwrite it.\n"
    assert dest.stat().st_size == size

    assert main([*db, "backup", str(dest), "--force"]) == 0


def test_restore_asks_first_and_no_changes_nothing(db, live, tmp_path, capsys, monkeypatch):
    dest = tmp_path / "copy.sqlite"
    assert main([*db, "backup", str(dest)]) == 0
    before, files = _dump(live), _beside(live)
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    assert main([*db, "restore", str(dest)]) == 1
    out, err = capsys.readouterr()
    assert out == f"Replace the database {live} with {dest}? The current one is kept beside it. [y/N] "
    assert err == "Nothing was restored.\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # nobody to answer
    assert main([*db, "restore", str(dest)]) == 1
    assert _dump(live) == before and _beside(live) == files


def test_restore_yes_restores_and_says_where_the_old_database_is(db, live, tmp_path, capsys):
    dest = tmp_path / "copy.sqlite"
    assert main([*db, "backup", str(dest)]) == 0
    capsys.readouterr()
    assert main([*db, "restore", str(dest), "--yes"]) == 0
    restored, kept = capsys.readouterr().out.splitlines()
    assert restored.startswith(f"Restored {dest} (schema revision ") and f"into {live}: " in restored
    safety = Path(kept.removeprefix("The database as it was is kept in ").removesuffix("."))
    assert safety.is_file() and safety.parent == live.parent


@pytest.mark.parametrize("command, message", [
    (["backup", "{tmp}/copy.sqlite"], "use pg_dump"),
    (["restore", "{tmp}/copy.sqlite", "--yes"], "use pg_restore"),
    (["restore", "{tmp}/copy.sqlite"], "use pg_restore"),  # refused before asking
])
def test_other_databases_are_refused_in_one_line(tmp_path, capsys, command, message):
    url = "postgresql+psycopg://beat@db.example/beatdesk"
    assert main(["--db", url, *[part.format(tmp=tmp_path) for part in command]]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: BeatDesk can ") and message in err and err.count("\n") == 1


def test_refusals_of_bad_sources_are_one_line_and_change_nothing(db, live, tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    before, files = _dump(live), _beside(live)
    assert main([*db, "restore", str(notes), "--yes"]) == 2
    assert capsys.readouterr().err == (
        f"error: {notes} is not an SQLite database (it lacks the SQLite header); nothing was restored.\n"
    )
    assert main([*db, "restore", str(tmp_path / "missing.sqlite"), "--yes"]) == 2
    assert "there is no file" in capsys.readouterr().err
    assert _dump(live) == before and _beside(live) == files


def test_backup_of_a_missing_database_creates_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'none.sqlite'}"
    assert main(["--db", url, "backup", str(tmp_path / "copy.sqlite")]) == 2
    assert capsys.readouterr().err == f"error: there is no database at {tmp_path / 'none.sqlite'} to back up.\n"
    assert list(tmp_path.iterdir()) == []


def test_the_installed_command_runs(db, tmp_path):
    """The real entry point, in its own process, as an administrator would run it from cron."""
    dest = tmp_path / "nightly.sqlite"
    done = subprocess.run([sys.executable, "-m", "beatdesk.cli.main", *db, "backup", str(dest)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Backed up to {dest}")
