"""The in-memory score store: month-and-day sums equal brute force; a store kept up to date write by write
equals one loaded from scratch; rebuilds, restores and rows added behind the services make it reload."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import ActivityKind as K
from beatdesk.models import ActivityEntry, IntelSource, Officer, Role, Task, TaskStatus, TaskType
from beatdesk.services import changes
from beatdesk.services.activity import (
    EntryInput, delete_entry, edit_entry, log_entry, rebuild_totals, record_duty, restore_entry, set_time_outside,
)
from beatdesk.services.scoring import Level, Period, score_all
from beatdesk.services.scoring import facts as F
from beatdesk.services.scoring.criteria import load_criteria
from beatdesk.services.scoring.day_totals import DayTotals
from beatdesk.services.scoring.store import ScoreStore, store_for, time_value
from beatdesk.services.tasks import TaskInput, create_task, set_status

CRITERIA = load_criteria()
SOURCES = F.sources_of(CRITERIA)


# ---- DayTotals against brute force ---------------------------------------------------------------------

_row = st.tuples(st.integers(19_700, 19_820), st.integers(0, 5), st.integers(0, 9), st.integers(0, 9))


@settings(max_examples=60, deadline=None)
@given(first=st.lists(_row, max_size=40), later=st.lists(st.lists(_row, max_size=80), max_size=4),
       ranges=st.lists(st.tuples(st.integers(19_690, 19_830), st.integers(0, 140)), min_size=1, max_size=5))
def test_day_totals_equal_brute_force_after_loads_and_writes(first, later, ranges):
    held: dict[tuple[int, int], tuple[int, int]] = {}
    totals = DayTotals(2)
    rows = _unique(first)
    totals.load(*_arrays(rows), n_cells=6)
    held.update({(d, c): v for d, c, *v in rows})
    for batch in later:
        batch = _unique(batch)
        totals.apply(*_arrays(batch), n_cells=6)
        held.update({(d, c): v for d, c, *v in batch})
        for start, length in ranges:
            want = np.zeros((6, 2))
            for (d, c), v in held.items():
                if start <= d <= start + length:
                    want[c] += v
            assert np.array_equal(totals.total(start, start + length), want)


def _unique(rows):
    return list({(d, c): (d, c, a, b) for d, c, a, b in rows}.values())


def _arrays(rows):
    a = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
    return a[:, 0], a[:, 1], a[:, 2:4]


# ---- a store kept up to date equals a store loaded afresh --------------------------------------------

NOW = datetime.now(UTC).replace(microsecond=0, second=0, minute=0)


def _officer(engine, collar, role, beat_id) -> int:
    with session_scope(engine) as session:
        officer = Officer(collar_number=collar, name=f"Officer {collar}", role=role, beat_id=beat_id,
                          start_date=date(2020, 1, 1))
        session.add(officer)
        session.flush()
        return officer.id


def _fresh(engine) -> ScoreStore:
    store = ScoreStore()
    with Session(engine) as session:
        store.refresh(session)
    return store


def _refresh(engine, store: ScoreStore) -> None:
    with Session(engine) as session:
        store.refresh(session)


def _contents(store: ScoreStore, engine) -> list:
    """Every period's totals per (officer, beat) without zeros, and the tasks, in a comparable form."""
    days = [NOW.date() - timedelta(days=n) for n in (0, 1, 20, 45, 80)]
    found = []
    for first in days:
        for last in days:
            if last < first:
                continue
            officer, beat, duty, amounts = store.slot_totals(first, last, last, SOURCES)
            table = {(int(o), int(b)): tuple(np.round(np.concatenate([d, a]), 6))
                     for o, b, d, a in zip(officer, beat, duty, amounts) if np.any(d) or np.any(a)}
            with Session(engine) as session:
                tasks = store.task_totals(first, last, time_value(session, NOW + timedelta(days=1)), 12)
            found.append((first, last, table, tasks))
    return found


def _at(days_ago: int, hour: int) -> datetime:
    return NOW.replace(hour=hour) - timedelta(days=days_ago)


def test_a_store_kept_up_to_date_equals_one_loaded_afresh(engine, admin):
    pc, pcso = _officer(engine, "1001", Role.PC, 1), _officer(engine, "2001", Role.PCSO, 2)
    warm = store_for(engine)
    _refresh(engine, warm)  # loaded while empty: everything after arrives as changes
    steps = []
    duty = record_duty(engine, admin, pc, _at(50, 6), _at(50, 14))
    steps.append(lambda: set_time_outside(engine, admin, duty, 240))
    steps.append(lambda: record_duty(engine, admin, pc, _at(2, 6), _at(2, 15), minutes_outside=300))
    steps.append(lambda: record_duty(engine, admin, pcso, _at(2, 7), _at(2, 15), minutes_outside=400))
    for step in steps:
        step()
        _refresh(engine, warm)
    arrest = log_entry(engine, admin, EntryInput(officer_id=pc, kind=K.ARREST, occurred_at=_at(2, 8)))
    _refresh(engine, warm)
    search = log_entry(engine, admin, EntryInput(officer_id=pc, kind=K.STOP_SEARCH, occurred_at=_at(2, 9),
                                                 outcome_linked=True))
    log_entry(engine, admin, EntryInput(officer_id=pcso, kind=K.INTELLIGENCE, occurred_at=_at(2, 9),
                                        intel_source=IntelSource.COMMUNITY))
    log_entry(engine, admin, EntryInput(officer_id=pcso, kind=K.ENGAGEMENT, occurred_at=_at(2, 10), count=3))
    _refresh(engine, warm)
    # moved to another month and another beat, then gone, then back: every total it left must fall to zero
    edit_entry(engine, admin, arrest.entry_id, {"occurred_at": _at(50, 7), "beat_id": 2}, arrest.version)
    _refresh(engine, warm)
    delete_entry(engine, admin, search.entry_id, "duplicate", search.version)
    _refresh(engine, warm)
    restore_entry(engine, admin, search.entry_id, "not a duplicate after all", search.version + 1)
    task = create_task(engine, admin, TaskInput(
        type=TaskType.HOTSPOT_PATROL, beat_id=1, duty_date=_at(2, 0).date(), window_start=_at(2, 10),
        window_end=_at(2, 12), threat=1, harm=1, risk=1, vulnerability=1, instruction="Patrol", officer_id=pc,
    ))
    _refresh(engine, warm)
    set_status(engine, admin, task, TaskStatus.DONE, "done", 1)
    _refresh(engine, warm)
    got, want = _contents(warm, engine), _contents(_fresh(engine), engine)
    assert got == want
    assert any(table for _, _, table, _ in want) and any(tasks for *_, tasks in want)


def test_scores_after_a_write_equal_scores_from_scratch(engine, admin):
    pc = _officer(engine, "1001", Role.PC, 1)
    record_duty(engine, admin, pc, _at(3, 6), _at(3, 14), minutes_outside=200)
    period = Period.custom(NOW.date() - timedelta(days=27), NOW.date())
    before = score_all(engine, admin, Level.BEAT, period)
    log_entry(engine, admin, EntryInput(officer_id=pc, kind=K.ARREST, occurred_at=_at(3, 8), count=2))
    after = score_all(engine, admin, Level.BEAT, period)
    F.clear_cache(engine)
    again = score_all(engine, admin, Level.BEAT, period)
    assert before[1].criterion("PC", "arrests").amount == 0
    assert after[1].criterion("PC", "arrests").amount == 2 == again[1].criterion("PC", "arrests").amount
    assert after[1].value == again[1].value


def test_a_rebuild_or_rows_added_behind_the_services_make_the_store_reload(engine, admin):
    pc = _officer(engine, "1001", Role.PC, 1)
    record_duty(engine, admin, pc, _at(3, 6), _at(3, 14))
    warm = store_for(engine)
    _refresh(engine, warm)
    generation = warm.generation
    # a bulk load: entries written straight into the table, then the totals rebuilt (a new generation)
    with session_scope(engine) as session:
        session.execute(insert(ActivityEntry),
                        [{"officer_id": pc, "beat_id": 1, "kind": K.ARREST, "count": 4, "occurred_at": _at(3, 9),
                          "note": "", "created_at": _at(3, 9)}])
        rebuild_totals(session)
    _refresh(engine, warm)
    assert warm.generation != generation
    assert _contents(warm, engine) == _contents(_fresh(engine), engine)
    # a task added straight into its table, unstamped: the store sees a row it was never told of
    with session_scope(engine) as session:
        session.add(Task(type=TaskType.HOTSPOT_PATROL, beat_id=1, duty_date=_at(3, 0).date(), window_start=_at(3, 10),
                         window_end=_at(3, 12), threat=1, harm=1, risk=1, vulnerability=1, priority=4,
                         instruction="Patrol", created_by="t"))
    _refresh(engine, warm)
    assert _contents(warm, engine) == _contents(_fresh(engine), engine)
    assert any(tasks for *_, tasks in _contents(warm, engine))


def test_a_new_generation_is_never_the_old_one(engine):
    with session_scope(engine) as session:
        before = changes.read(session)
        changes.new_generation(session)
        after = changes.read(session)
    assert after[0] != before[0] and after[1] == before[1] + 1


@pytest.mark.parametrize("writes", [1, 3])
def test_one_transaction_takes_one_stamp(engine, writes):
    with session_scope(engine) as session:
        stamps = {changes.stamp(session) for _ in range(writes)}
        assert len(stamps) == 1
    with session_scope(engine) as session:
        assert changes.stamp(session) == stamps.pop() + 1


def test_a_reload_never_brings_back_scores_cached_before_later_writes(engine, admin):
    """Versions only go up: after a reload (here for a task written behind the services) the scores
    are those of the data now, not ones cached when the store was first loaded."""
    pc = _officer(engine, "1001", Role.PC, 1)
    record_duty(engine, admin, pc, _at(3, 6), _at(3, 14))
    period = Period.custom(NOW.date() - timedelta(days=27), NOW.date())
    arrests = lambda: score_all(engine, admin, Level.BEAT, period)[1].criterion("PC", "arrests").amount  # noqa: E731
    assert arrests() == 0
    log_entry(engine, admin, EntryInput(officer_id=pc, kind=K.ARREST, occurred_at=_at(3, 8), count=2))
    assert arrests() == 2
    with session_scope(engine) as session:  # unstamped: the store must reload
        session.add(Task(type=TaskType.HOTSPOT_PATROL, beat_id=1, duty_date=_at(3, 0).date(), window_start=_at(3, 10),
                         window_end=_at(3, 12), threat=1, harm=1, risk=1, vulnerability=1, priority=4,
                         instruction="Patrol", created_by="t"))
    assert arrests() == 2
    log_entry(engine, admin, EntryInput(officer_id=pc, kind=K.ARREST, occurred_at=_at(3, 9), count=3))
    assert arrests() == 5


def test_a_failed_refresh_leaves_the_store_to_reload_everything(engine, admin, monkeypatch):
    pc = _officer(engine, "1001", Role.PC, 1)
    record_duty(engine, admin, pc, _at(3, 6), _at(3, 14))
    warm = store_for(engine)
    _refresh(engine, warm)
    log_entry(engine, admin, EntryInput(officer_id=pc, kind=K.ARREST, occurred_at=_at(3, 8)))

    def broken(*args):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(ScoreStore, "_set_tasks", broken)
    with pytest.raises(RuntimeError):
        _refresh(engine, warm)
    monkeypatch.undo()
    _refresh(engine, warm)
    assert _contents(warm, engine) == _contents(_fresh(engine), engine)
