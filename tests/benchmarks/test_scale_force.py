"""The synthetic large force of the scale benchmark, at a tiny size: consistent, deterministic, scorable."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from beatdesk.database import open_database, session_scope
from beatdesk.models import ActivityEntry, BeatSergeant, DutyRecord, Officer, Task
from beatdesk.services.activity import recount_duty_totals, recount_totals, stored_duty_totals, stored_totals
from conftest import REPO

TODAY = date(2025, 3, 31)  # a year across both clock changes
SIZE = {"staff": 60, "beats": 6, "entries": 5000}


def _scale_force():
    """benchmarks/ is no package: load the script by its path (dataclasses need it in sys.modules)."""
    name = "beatdesk_benchmark_scale_force"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / "scale_force.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def scale_force():
    return _scale_force()


@pytest.fixture(scope="module")
def tiny(scale_force, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('scale') / 'tiny.sqlite'}"
    report = scale_force.generate(url, **SIZE, seed=3, today=TODAY, progress=lambda _: None)
    engine = open_database(url)
    yield engine, report
    engine.dispose()


def test_it_makes_what_was_asked(tiny):
    engine, report = tiny
    with session_scope(engine) as session:
        count = lambda model: session.execute(select(func.count()).select_from(model)).scalar_one()  # noqa: E731
        assert count(Officer) == SIZE["staff"] == report.counts["officer"]
        assert abs(count(ActivityEntry) - SIZE["entries"]) < 0.05 * SIZE["entries"]
        assert count(BeatSergeant) == SIZE["beats"]  # every beat directed by exactly one sergeant
        duties = count(DutyRecord)
        assert 3.3 * 52 * (SIZE["staff"] - 5) < duties < 5 * 52 * SIZE["staff"]  # about four a week, less leave
        days = (TODAY - session.execute(select(func.min(DutyRecord.duty_date))).scalar_one()).days
        assert days == 365
        assert session.execute(select(func.max(DutyRecord.duty_date))).scalar_one() == TODAY - timedelta(days=1)
        assert abs(count(Task) - 4 * SIZE["beats"] * days) < 0.1 * 4 * SIZE["beats"] * days
        roles = dict(session.execute(text("SELECT role, count(*) FROM officer GROUP BY role")).all())
        assert roles["Inspector"] == 1 and roles["Sergeant"] == 2 and roles["PC"] > 0 and roles["PCSO"] > 0
        assert len(set(session.execute(select(Officer.collar_number)).scalars())) == SIZE["staff"]
    assert report.params.today == TODAY.isoformat()


def test_derived_totals_equal_a_recount(tiny):
    engine, _ = tiny
    with session_scope(engine) as session:
        assert stored_totals(session) == recount_totals(session)
        assert stored_duty_totals(session) == recount_duty_totals(session)


def test_every_entry_lies_inside_a_duty_of_its_officer_on_its_beat(tiny):
    engine, _ = tiny
    with session_scope(engine) as session:
        outside = session.execute(text(
            'SELECT count(*) FROM activity_entry e JOIN duty_record d ON d.id = e.duty_id '
            'WHERE e.officer_id != d.officer_id OR e.occurred_at < d.start OR e.occurred_at >= d."end"')).scalar_one()
        unlinked = session.execute(text("SELECT count(*) FROM activity_entry WHERE duty_id IS NULL")).scalar_one()
        # a sergeant logs on any beat they direct; everyone else on the beat of the duty
        elsewhere = session.execute(text(
            "SELECT count(*) FROM activity_entry e JOIN duty_record d ON d.id = e.duty_id "
            "JOIN officer o ON o.id = e.officer_id WHERE o.role != 'Sergeant' AND e.beat_id != d.beat_id")).scalar_one()
        overlapping = session.execute(text(
            'SELECT count(*) FROM duty_record a JOIN duty_record b ON a.officer_id = b.officer_id AND a.id < b.id '
            'AND b.start < a."end" AND a.start < b."end"')).scalar_one()
        assert (outside, unlinked, elsewhere, overlapping) == (0, 0, 0, 0)
        e = ActivityEntry
        for at, created in session.execute(select(e.occurred_at, e.created_at).limit(50)):
            assert at.utcoffset() is not None and at <= created
        searches, positive = session.execute(text(
            "SELECT count(*), sum(outcome_linked) FROM activity_entry WHERE kind = 'stop_search'")).one()
        assert searches == 0 or 0 <= positive <= searches
        sources = session.execute(text("SELECT count(*) FROM activity_entry "
                                       "WHERE (kind = 'intelligence') != (intel_source IS NOT NULL)")).scalar_one()
        assert sources == 0


def test_some_officers_moved_beat_and_their_hours_follow_the_beat_worked(tiny):
    engine, _ = tiny
    with session_scope(engine) as session:
        moved = session.execute(text(
            "SELECT o.id FROM officer o JOIN duty_record d ON d.officer_id = o.id "
            "WHERE o.role IN ('PC', 'PCSO') GROUP BY o.id HAVING count(DISTINCT d.beat_id) > 1")).scalars().all()
        # 3 % of the tiny force's constables and PCSOs: one or two
        assert 1 <= len(moved) <= 3
        for officer in moved:
            last = session.execute(select(DutyRecord.beat_id).where(DutyRecord.officer_id == officer)
                                   .order_by(DutyRecord.start.desc()).limit(1)).scalar_one()
            assert session.get(Officer, officer).beat_id == last  # posted now where they worked last


def test_every_beat_is_scored(tiny, admin):
    from beatdesk.services.scoring import Level, Period, score_all

    engine, _ = tiny
    scores = score_all(engine, admin, Level.BEAT, Period.ending("12 months", TODAY - timedelta(days=1)))
    assert len(scores) == SIZE["beats"]
    assert all(s.value is not None and s.duty_hours > 0 for s in scores.values())


def test_it_is_labelled_synthetic_and_refuses_a_database_already_in_use(tiny, scale_force):
    from beatdesk.services.force_view import banner_text

    engine, report = tiny
    assert scale_force.SYNTHETIC_LABEL in banner_text(engine)
    assert scale_force.generated_params(engine)["counts"]["activity_entry"] == report.counts["activity_entry"]
    before = _fingerprint(engine)
    with pytest.raises(ValueError, match="already holds officers"):
        scale_force.generate(str(engine.url), **SIZE, today=TODAY, progress=lambda _: None)
    assert _fingerprint(engine) == before


def test_impossible_sizes_are_refused_with_the_reason_and_write_nothing(scale_force, tmp_path):
    url = f"sqlite:///{tmp_path / 'refused.sqlite'}"
    with pytest.raises(ValueError, match="months must be between 1 and 36, not 0"):
        scale_force.generate(url, **SIZE, months=0, progress=lambda _: None)
    assert not (tmp_path / "refused.sqlite").exists()
    with pytest.raises(ValueError, match=r"12 staff are too few for 6 beats: they need at least 15"):
        scale_force.generate(url, staff=12, beats=6, entries=100, today=TODAY, progress=lambda _: None)
    engine = open_database(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM officer")).scalar_one() == 0
    engine.dispose()


def test_the_same_seed_gives_the_same_rows_core_or_sqlite3(scale_force, tmp_path):
    """Deterministic from the seed, and Core insert() stores exactly what the sqlite3 fast path stores."""
    dumps = []
    for name, core in (("fast", None), ("core", True)):
        url = f"sqlite:///{tmp_path / name}.sqlite"
        scale_force.generate(url, staff=40, beats=6, entries=1000, seed=5, today=TODAY, progress=lambda _: None,
                             core=core, months=2)
        engine = open_database(url)
        with engine.connect() as conn:
            dumps.append([conn.execute(text(f"SELECT * FROM {t} ORDER BY id")).all()
                          for t in ("officer", "duty_record", "activity_entry", "task", "target")])
        engine.dispose()
    assert dumps[0] == dumps[1]


def test_it_generates_on_postgresql_too(scale_force, postgres_server, admin, tmp_path):
    """Core insert() on PostgreSQL: the same rows as on SQLite, and the id sequences moved past them."""
    from beatdesk.models import ActivityKind
    from beatdesk.services.activity import EntryInput, log_entry

    name = postgres_server.empty_database()
    try:
        url = postgres_server.url_of(name)
        report = scale_force.generate(url, **SIZE, seed=3, today=TODAY, progress=lambda _: None, months=2)
        small = scale_force.generate(f"sqlite:///{tmp_path / 'same.sqlite'}", **SIZE, seed=3, today=TODAY,
                                     progress=lambda _: None, months=2)
        assert report.counts == small.counts
        engine = open_database(url)
        with session_scope(engine) as session:
            assert stored_totals(session) == recount_totals(session)
            assert stored_duty_totals(session) == recount_duty_totals(session)
        officer = report.counts["officer"] // 2
        logged = log_entry(engine, admin, EntryInput(officer, ActivityKind.INCIDENT, datetime.now(UTC)))
        assert logged.entry_id == report.counts["activity_entry"] + 1
        engine.dispose()
    finally:
        postgres_server.drop(name)


def _fingerprint(engine) -> tuple:
    with engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT count(*), max(id) FROM {t}")).one()
                     for t in ("officer", "activity_entry", "duty_record", "task", "audit_entry"))
