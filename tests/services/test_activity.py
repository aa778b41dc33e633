"""Activity logging at service level: every rule, history, permissions, and totals equal to a recount."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import ActivityKind as K
from beatdesk.models import IntelSource, Officer, Role
from beatdesk.services.activity import (
    EntryInput, delete_entry, edit_entry, entry_history, log_entry, recount_duty_totals, recount_totals, record_duty, restore_entry, stored_duty_totals,
    set_time_outside, stored_totals,
)
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict, PermissionDenied, ValidationError

NOW = datetime.now(UTC).replace(microsecond=0)
EARLIER = NOW - timedelta(hours=2)
TABLES = ("activity_entry", "daily_total", "audit_entry", "activity_revision", "duty_record")


def _officer(engine, collar, role, beat_id=1, start=date(2020, 1, 1), end=None) -> int:
    with session_scope(engine) as session:
        officer = Officer(collar_number=collar, name=f"Officer {collar}", role=role, beat_id=beat_id,
                          start_date=start, end_date=end)
        session.add(officer)
        session.flush()
        return officer.id


@pytest.fixture
def pc(engine) -> int:
    return _officer(engine, "1001", Role.PC)


@pytest.fixture
def pcso(engine) -> int:
    return _officer(engine, "2001", Role.PCSO, beat_id=2)


def _entry(officer_id, kind=K.INCIDENT, **kw) -> EntryInput:
    return EntryInput(officer_id=officer_id, kind=kind, occurred_at=kw.pop("occurred_at", EARLIER), **kw)


def _snapshot(engine) -> dict:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY 1")).fetchall() for t in TABLES}


def _totals_match(engine) -> None:
    with Session(engine) as session:
        assert stored_totals(session) == recount_totals(session)
        assert stored_duty_totals(session) == recount_duty_totals(session)


# ---- logging -------------------------------------------------------------------------------------


def test_logging_stores_entry_total_and_audit(engine, admin, pc):
    logged = log_entry(engine, admin, _entry(pc, K.ARREST, count=2, reference="ARR-1", note="shoplifting"))
    assert logged.version == 1 and logged.warnings == ()
    with Session(engine) as session:
        totals = stored_totals(session)
    assert totals == {(pc, 1, EARLIER.astimezone(_london()).date(), K.ARREST, False, ""): (2, 0, 1)}
    audit = _snapshot(engine)["audit_entry"][-1]
    assert audit.action == "log_activity" and audit.entity_id == str(logged.entry_id)
    assert json.loads(audit.detail)["reference"] == "ARR-1"


def _london():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/London")


def test_day_is_the_london_calendar_day(engine, admin, pc):
    late = datetime(2024, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 BST on 2 July
    log_entry(engine, admin, _entry(pc, occurred_at=late))
    with Session(engine) as session:
        assert [key[2] for key in stored_totals(session)] == [date(2024, 7, 2)]


def test_beat_defaults_to_the_officers_and_can_be_given(engine, admin, pc):
    log_entry(engine, admin, _entry(pc))
    log_entry(engine, admin, _entry(pc, beat_id=5))
    with Session(engine) as session:
        assert sorted(key[1] for key in stored_totals(session)) == [1, 5]


def test_intelligence_and_searches_keep_their_fields(engine, admin, pc):
    log_entry(engine, admin, _entry(pc, K.INTELLIGENCE, intel_source=IntelSource.COMMUNITY, point=(480000.0, 260000.0)))
    log_entry(engine, admin, _entry(pc, K.STOP_SEARCH, outcome_linked=True))
    rows = _snapshot(engine)["activity_entry"]
    assert [(r.kind, r.intel_source, r.outcome_linked, r.point_easting) for r in rows] == [
        ("intelligence", "Community", None, 480000.0), ("stop_search", None, True, None),
    ]


def test_a_reference_logged_twice_is_flagged_not_refused(engine, admin, pc, pcso):
    log_entry(engine, admin, _entry(pc, K.PPN, reference="PPN-7"))
    again = log_entry(engine, admin, _entry(pcso, K.PPN, reference="PPN-7"))
    day = EARLIER.astimezone(_london()).date()
    assert again.warnings == (f"reference PPN-7 was already logged on {day} by 1001",)
    assert log_entry(engine, admin, _entry(pc, K.INCIDENT, reference="PPN-7")).warnings == ()  # another kind


def test_a_deleted_entry_no_longer_flags_its_reference(engine, admin, pc):
    first = log_entry(engine, admin, _entry(pc, K.PPN, reference="PPN-8"))
    delete_entry(engine, admin, first.entry_id, "duplicate")
    assert log_entry(engine, admin, _entry(pc, K.PPN, reference="PPN-8")).warnings == ()


# ---- refusals, each leaving the database exactly as it was ---------------------------------------

REFUSALS = [
    (dict(count=-1), "count: must not be negative \\(got -1\\)"),
    (dict(count=0), "count: incidents attended need a count of at least 1 \\(got 0\\)"),
    (dict(kind=K.DEDICATED_PLACE, minutes=-5), "minutes: must not be negative \\(got -5\\)"),
    (dict(kind=K.DEDICATED_PLACE), "minutes: time in a dedicated place needs minutes"),
    (dict(minutes=10), "minutes: only time in a dedicated place takes minutes, not incident \\(10\\)"),
    (dict(kind=K.INTELLIGENCE), "intel_source: an intelligence report needs one source"),
    (dict(intel_source=IntelSource.PARTNERSHIP), "intel_source: only intelligence reports have a source, not incident"),
    (dict(intel_source="Gossip", kind=K.INTELLIGENCE), "intel_source: 'Gossip' is not one of"),
    (dict(kind="parking"), "kind: 'parking' is not one of"),
    (dict(outcome_linked=True), "outcome_linked: only stop-searches have a linked outcome, not incident"),
    (dict(occurred_at=NOW + timedelta(minutes=30)), "occurred_at: .* is in the future"),
    (dict(occurred_at=datetime(2019, 12, 31, 12, tzinfo=UTC)), "occurred_at: 2019-12-31 is before 1001 joined on 2020-01-01"),
    (dict(occurred_at=datetime(2024, 1, 1, 12)), "occurred_at: .* has no time zone"),
    (dict(beat_id=999), "beat: no beat has id 999"),
    (dict(officer_id=999), "officer: no officer has id 999"),
    (dict(duty_id=999), "duty_id: officer #\\d+ has no duty with id 999"),
]


@pytest.mark.parametrize(("fields", "message"), REFUSALS, ids=[m.split(":")[0] + str(i) for i, (_, m) in enumerate(REFUSALS)])
def test_refusals_name_the_field_and_change_nothing(engine, admin, pc, fields, message):
    log_entry(engine, admin, _entry(pc, reference="INC-1"))
    before = _snapshot(engine)
    fields = {"officer_id": pc, "kind": K.INCIDENT, "occurred_at": EARLIER} | fields
    with pytest.raises(ValidationError, match=message):
        log_entry(engine, admin, EntryInput(**fields))
    assert _snapshot(engine) == before


def test_small_clock_skew_is_allowed(engine, admin, pc):
    log_entry(engine, admin, _entry(pc, occurred_at=datetime.now(UTC) + timedelta(minutes=4)))


def test_not_after_the_officer_left(engine, admin):
    gone = _officer(engine, "1002", Role.PC, end=date(2023, 3, 31))
    with pytest.raises(ValidationError, match="occurred_at: 2023-04-01 is after 1002 left on 2023-03-31"):
        log_entry(engine, admin, _entry(gone, occurred_at=datetime(2023, 4, 1, 9, tzinfo=UTC)))


@pytest.mark.parametrize("kind", [K.ARREST, K.WARRANT])
def test_a_pcso_cannot_log_an_arrest_or_a_warrant(engine, admin, pcso, kind):
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match=f"a PCSO cannot log .*\\({kind.value}\\)"):
        log_entry(engine, admin, _entry(pcso, kind))
    assert _snapshot(engine) == before


def test_an_officer_without_a_beat_must_choose_one(engine, admin):
    with session_scope(engine) as session:
        sergeant = Officer(collar_number="S1", name="Sgt", role=Role.SERGEANT, sector_id=1, start_date=date(2020, 1, 1))
        session.add(sergeant)
        session.flush()
        sergeant_id = sergeant.id
    with pytest.raises(ValidationError, match="beat: officer S1 is posted to no beat"):
        log_entry(engine, admin, _entry(sergeant_id))
    log_entry(engine, admin, _entry(sergeant_id, beat_id=3))


# ---- duties and time in dedicated places -----------------------------------------------------------


def _duty(engine, admin, officer, outside=None, hours=8):
    start = NOW - timedelta(hours=hours + 1)
    return record_duty(engine, admin, officer, start, start + timedelta(hours=hours), outside)


def test_place_minutes_capped_by_time_outside(engine, admin, pcso):
    duty = _duty(engine, admin, pcso, outside=100)
    log_entry(engine, admin, _entry(pcso, K.DEDICATED_PLACE, minutes=60))
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="minutes: 110 minutes in dedicated places on duty #\\d+ would exceed "
                                              "its time outside the station of 100 minutes"):
        log_entry(engine, admin, _entry(pcso, K.DEDICATED_PLACE, minutes=50, duty_id=duty))
    assert _snapshot(engine) == before
    log_entry(engine, admin, _entry(pcso, K.DEDICATED_PLACE, minutes=40))


def test_entry_is_linked_to_the_duty_covering_it(engine, admin, pcso):
    duty = _duty(engine, admin, pcso)
    logged = log_entry(engine, admin, _entry(pcso, K.ENGAGEMENT))
    assert logged.entry_id and _snapshot(engine)["activity_entry"][0].duty_id == duty


def test_place_minutes_capped_by_duty_length_before_time_outside_is_known(engine, admin, pcso):
    _duty(engine, admin, pcso, hours=1)
    with pytest.raises(ValidationError, match="would exceed its length of 60 minutes"):
        log_entry(engine, admin, _entry(pcso, K.DEDICATED_PLACE, minutes=61, occurred_at=NOW - timedelta(hours=1, minutes=30)))


def test_named_duty_must_cover_the_entry(engine, admin, pcso):
    duty = _duty(engine, admin, pcso, hours=1)
    with pytest.raises(ValidationError, match=f"occurred_at: .* is outside duty #{duty}"):
        log_entry(engine, admin, _entry(pcso, K.ENGAGEMENT, occurred_at=NOW, duty_id=duty))


def test_duty_rules(engine, admin, pcso):
    start = NOW - timedelta(hours=10)
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="end: .* is not after the start"):
        record_duty(engine, admin, pcso, start, start)
    with pytest.raises(ValidationError, match="minutes_outside: 481 minutes outside the station is more than the "
                                              "duty's length of 480 minutes"):
        record_duty(engine, admin, pcso, start, start + timedelta(hours=8), 481)
    with pytest.raises(ValidationError, match="minutes_outside: must not be negative"):
        record_duty(engine, admin, pcso, start, start + timedelta(hours=8), -1)
    with pytest.raises(ValidationError, match="start: 2019-06-01 is before 2001 joined"):
        record_duty(engine, admin, pcso, datetime(2019, 6, 1, 7, tzinfo=UTC), datetime(2019, 6, 1, 15, tzinfo=UTC))
    with pytest.raises(ValidationError, match="end: .* is in the future"):
        record_duty(engine, admin, pcso, start, NOW + timedelta(hours=2))
    with pytest.raises(ValidationError, match="officer: no officer has id 999"):
        record_duty(engine, admin, 999, start, start + timedelta(hours=8))
    assert _snapshot(engine) == before
    record_duty(engine, admin, pcso, start, start + timedelta(hours=8), 480)
    with pytest.raises(ValidationError, match="start: 2001 already has duty #\\d+ .* overlapping"):
        record_duty(engine, admin, pcso, start + timedelta(hours=7), start + timedelta(hours=9))


def test_set_time_outside(engine, admin, pcso):
    duty = _duty(engine, admin, pcso)
    log_entry(engine, admin, _entry(pcso, K.DEDICATED_PLACE, minutes=90))
    with pytest.raises(ValidationError, match="minutes_outside: 60 minutes is less than the 90 minutes already logged"):
        set_time_outside(engine, admin, duty, 60)
    with pytest.raises(ValidationError, match="more than the duty's length of 480 minutes"):
        set_time_outside(engine, admin, duty, 500)
    with pytest.raises(ValidationError, match="duty: no duty has id 999"):
        set_time_outside(engine, admin, 999, 10)
    set_time_outside(engine, admin, duty, 300)
    assert _snapshot(engine)["duty_record"][0].minutes_outside == 300
    assert _snapshot(engine)["audit_entry"][-1].action == "set_time_outside"


# ---- edit, delete, history -----------------------------------------------------------------------


def test_edit_moves_the_totals_and_keeps_the_old_value(engine, admin, pc):
    logged = log_entry(engine, admin, _entry(pc, K.ARREST, count=1))
    edited = edit_entry(engine, admin, logged.entry_id, {"count": 3, "beat_id": 4}, expected_version=1)
    assert edited.version == 2
    with Session(engine) as session:
        assert list(stored_totals(session).values()) == [(3, 0, 1)]
        assert [key[1] for key in stored_totals(session)] == [4]
        [item] = entry_history(session, admin, logged.entry_id)
    assert (item.change, item.actor, item.old_values, item.new_values) == (
        "edit", "test-admin", {"count": 1, "beat_id": 1}, {"count": 3, "beat_id": 4})
    audit = json.loads(_snapshot(engine)["audit_entry"][-1].detail)
    assert audit == {"old": {"beat_id": 1, "count": 1}, "new": {"beat_id": 4, "count": 3}}
    _totals_match(engine)


def test_edit_is_validated_like_a_new_entry(engine, admin, pc):
    logged = log_entry(engine, admin, _entry(pc))
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="count: must not be negative"):
        edit_entry(engine, admin, logged.entry_id, {"count": -2}, 1)
    with pytest.raises(ValidationError, match="officer_id: cannot be changed"):
        edit_entry(engine, admin, logged.entry_id, {"officer_id": 5}, 1)
    assert _snapshot(engine) == before


def test_a_stale_version_is_refused(engine, admin, pc):
    logged = log_entry(engine, admin, _entry(pc))
    edit_entry(engine, admin, logged.entry_id, {"note": "first"}, 1)
    before = _snapshot(engine)
    with pytest.raises(Conflict, match="changed by someone else since you opened it"):
        edit_entry(engine, admin, logged.entry_id, {"note": "second"}, 1)
    with pytest.raises(Conflict, match="changed by someone else"):
        delete_entry(engine, admin, logged.entry_id, "wrong", expected_version=1)
    assert _snapshot(engine) == before


def test_delete_is_soft_with_who_when_why(engine, admin, pc):
    logged = log_entry(engine, admin, _entry(pc, K.WARRANT))
    with pytest.raises(ValidationError, match="reason: say why"):
        delete_entry(engine, admin, logged.entry_id, "   ")
    delete_entry(engine, admin, logged.entry_id, "logged on the wrong officer")
    [row] = _snapshot(engine)["activity_entry"]
    assert row.deleted_by == "test-admin" and row.deleted_reason == "logged on the wrong officer" and row.version == 2
    with Session(engine) as session:
        assert stored_totals(session) == {} == recount_totals(session)
        [item] = entry_history(session, admin, logged.entry_id)
    assert item.change == "delete" and item.old_values["kind"] == "warrant" and item.reason == "logged on the wrong officer"
    with pytest.raises(ValidationError, match=f"entry: #{logged.entry_id} was deleted on .* by test-admin"):
        edit_entry(engine, admin, logged.entry_id, {"count": 2}, 2)
    with pytest.raises(ValidationError, match="entry: no activity entry has id 999"):
        delete_entry(engine, admin, 999, "gone")


# ---- permissions ---------------------------------------------------------------------------------


def test_officers_write_only_their_own_entries(engine, admin, pc, pcso, supervisors):
    me = Actor("1001", Role.PC.value, pc)
    mine = log_entry(engine, me, _entry(pc))
    theirs = log_entry(engine, admin, _entry(pcso, K.ENGAGEMENT))
    before = _snapshot(engine)
    with pytest.raises(PermissionDenied, match="only for themselves"):
        log_entry(engine, me, _entry(pcso, K.ENGAGEMENT))
    with pytest.raises(PermissionDenied):
        edit_entry(engine, me, theirs.entry_id, {"count": 2}, 1)
    with pytest.raises(PermissionDenied):
        delete_entry(engine, me, theirs.entry_id, "not mine")
    with pytest.raises(PermissionDenied):
        record_duty(engine, me, pcso, NOW - timedelta(hours=9), NOW - timedelta(hours=1))
    with pytest.raises(PermissionDenied, match="may not log beat activity"):
        log_entry(engine, Actor("clerk", Role.STAFF.value, None), _entry(pc))
    assert _snapshot(engine) == before
    edit_entry(engine, me, mine.entry_id, {"count": 2}, 1)
    with pytest.raises(PermissionDenied, match="only for themselves and the team on the beats they direct"):
        edit_entry(engine, Actor("S9", Role.SERGEANT.value, None), theirs.entry_id, {"count": 2}, 1)
    sergeant, inspector = supervisors  # the sergeant directs beat 1; the PCSO works beat 2 of the same sector
    with pytest.raises(PermissionDenied, match="only for themselves and the team on the beats they direct"):
        edit_entry(engine, sergeant, theirs.entry_id, {"count": 2}, 1)
    edit_entry(engine, sergeant, mine.entry_id, {"count": 3}, 2)
    edit_entry(engine, inspector, theirs.entry_id, {"count": 2}, 1)


# ---- totals always equal a recount ---------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_DAYS = [datetime(2024, 3, 30, 23, 30, tzinfo=UTC) + timedelta(hours=h) for h in (0, 1, 20, 44)]  # across BST
_STEP = st.one_of(
    st.tuples(st.just("log"), st.integers(0, 2), st.sampled_from([K.ARREST, K.ENGAGEMENT, K.DEDICATED_PLACE]),
              st.sampled_from(_DAYS), st.integers(1, 3), st.sampled_from([1, 2])),
    st.tuples(st.just("edit"), st.integers(0, 20), st.sampled_from(["count", "day", "beat", "kind"]), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("restore"), st.integers(0, 20)),
)


@pytest.fixture(scope="module")
def property_db(tmp_path_factory):
    from beatdesk.services.bootstrap import prepare

    engine = prepare(f"sqlite:///{tmp_path_factory.mktemp('prop') / 'p.sqlite'}")
    officers = [_officer(engine, f"P{i}", Role.PC) for i in range(3)]
    yield engine, officers
    engine.dispose()


def _reset(engine):
    with engine.begin() as conn:
        for table in ("activity_revision", "daily_total", "activity_entry"):
            conn.execute(text(f"DELETE FROM {table}"))


def _apply(engine, admin, officers, step, ids):
    if step[0] == "log":
        _, who, kind, at, amount, beat = step
        minutes = amount * 10 if kind is K.DEDICATED_PLACE else None
        ids.append(log_entry(engine, admin, EntryInput(officers[who], kind, at, amount, minutes, beat)).entry_id)
        return
    if not ids:
        return
    entry_id = ids[step[1] % len(ids)]
    with Session(engine) as session:
        version = session.execute(text(f"SELECT version FROM activity_entry WHERE id = {entry_id}")).scalar_one()
    try:
        if step[0] == "delete":
            delete_entry(engine, admin, entry_id, "property test", version)
            return
        if step[0] == "restore":
            restore_entry(engine, admin, entry_id, "property test", version)
            return
        field, value = step[2], step[3]
        changes = {"count": {"count": value + 1}, "day": {"occurred_at": _DAYS[value]}, "beat": {"beat_id": value + 1},
                   "kind": {"kind": K.INCIDENT}}[field]
        edit_entry(engine, admin, entry_id, changes, version)
    except ValidationError:  # deleted already, not deleted, or a dedicated-place entry edited to an incident
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(_STEP, min_size=1, max_size=15))
def test_totals_always_equal_a_recount(property_db, steps):
    engine, officers = property_db
    admin = Actor.administrator("prop")
    _reset(engine)
    ids: list[int] = []
    for step in steps:
        _apply(engine, admin, officers, step, ids)
    _totals_match(engine)


def test_an_edit_that_changes_nothing_writes_nothing(engine, admin, pc):
    logged = log_entry(engine, admin, _entry(pc, K.ARREST, count=2))
    before = _snapshot(engine)
    same = edit_entry(engine, admin, logged.entry_id, {"count": 2}, expected_version=1)
    assert same.version == 1
    assert _snapshot(engine) == before
