"""``beatdesk demo``: fills a database, reports, and refuses with exit status 2."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from beatdesk.cli.main import main
from beatdesk.database import session_scope
from beatdesk.models import Beat, Officer, Role
from beatdesk.services.bootstrap import is_demo, prepare


def test_demo_command_fills_a_new_database(db_url, capsys):
    assert main(["--db", db_url, "demo", "--months", "1", "--seed", "3"]) == 0
    out, err = capsys.readouterr()
    assert "Demo force generated (seed 3), fictitious people and activity." in out
    assert "activity entries" in out
    assert "Rota planned to" in out and "tasks for today" in out
    assert "100%" in err
    engine = prepare(db_url)
    try:
        assert is_demo(engine)
    finally:
        engine.dispose()


def test_second_run_needs_replace(db_url, capsys):
    assert main(["--db", db_url, "demo", "--months", "1"]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "demo", "--months", "1", "--seed", "4"]) == 2
    assert "error:" in capsys.readouterr().err
    assert main(["--db", db_url, "demo", "--months", "1", "--seed", "4", "--replace"]) == 0
    assert "(seed 4)" in capsys.readouterr().out


def test_refuses_real_data(db_url, capsys):
    engine = prepare(db_url)
    with session_scope(engine) as session:
        beat = session.exec(select(Beat)).first()
        session.add(Officer(collar_number="1234", name="Real Officer", role=Role.PC, beat_id=beat.id,
                            start_date=date(2020, 1, 1)))
    engine.dispose()
    assert main(["--db", db_url, "demo", "--months", "1", "--replace"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "not a demo" in err


def test_months_out_of_range(db_url, capsys):
    assert main(["--db", db_url, "demo", "--months", "0"]) == 2
    assert "error:" in capsys.readouterr().err
