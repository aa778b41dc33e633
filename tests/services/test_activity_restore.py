"""Restoring a soft-deleted activity entry: it rejoins the totals, is checked as if logged now, is audited
and shows in its history; every refusal names its reason and changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import ActivityKind as K
from beatdesk.models import Officer, Role
from beatdesk.services.activity import (
    EntryInput, delete_entry, edit_entry, entry_history, log_entry, recount_totals, record_duty, restore_entry,
    stored_totals,
)
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict, PermissionDenied, ValidationError

NOW = datetime.now(UTC).replace(microsecond=0)
EARLIER = NOW - timedelta(hours=2)
TABLES = ("activity_entry", "daily_total", "audit_entry", "activity_revision", "duty_record")


def _officer(engine, collar, role=Role.PC, beat_id=1) -> int:
    with session_scope(engine) as session:
        officer = Officer(collar_number=collar, name=f"Officer {collar}", role=role, beat_id=beat_id,
                          start_date=date(2020, 1, 1))
        session.add(officer)
        session.flush()
        return officer.id


@pytest.fixture
def pc(engine) -> int:
    return _officer(engine, "1001")


def _entry(officer_id, kind=K.INCIDENT, **kw) -> EntryInput:
    return EntryInput(officer_id=officer_id, kind=kind, occurred_at=kw.pop("occurred_at", EARLIER), **kw)


def _snapshot(engine) -> dict:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY 1")).fetchall() for t in TABLES}


def _totals(engine) -> dict:
    with Session(engine) as session:
        stored = stored_totals(session)
        assert stored == recount_totals(session)
        return stored


def _deleted(engine, admin, officer_id, **kw) -> int:
    logged = log_entry(engine, admin, _entry(officer_id, **kw))
    delete_entry(engine, admin, logged.entry_id, "logged by mistake", logged.version)
    return logged.entry_id


def test_restore_brings_the_entry_back_into_the_totals_with_history_and_audit(engine, admin, pc):
    log_entry(engine, admin, _entry(pc, K.ARREST, count=1))  # shares the day's total row
    logged = log_entry(engine, admin, _entry(pc, K.ARREST, count=2, reference="CR/1"))
    with_both = _totals(engine)
    assert delete_entry(engine, admin, logged.entry_id, "logged by mistake", 1) == 2
    assert list(_totals(engine).values()) == [(1, 0, 1)]

    restored = restore_entry(engine, admin, logged.entry_id, "it was right after all", expected_version=2)

    assert (restored.entry_id, restored.version, restored.warnings) == (logged.entry_id, 3, ())
    assert _totals(engine) == with_both
    row = _snapshot(engine)["activity_entry"][-1]
    assert (row.deleted_at, row.deleted_by, row.deleted_reason, row.version, row.count) == (None, None, None, 3, 2)
    with Session(engine) as session:
        delete, restore = entry_history(session, admin, logged.entry_id)
    assert delete.change == "delete" and restore.change == "restore"
    assert (restore.actor, restore.reason) == ("test-admin", "it was right after all")
    assert (restore.old_values["deleted_by"], restore.old_values["deleted_reason"]) == ("test-admin", "logged by mistake")
    assert restore.new_values == {"deleted_at": None, "deleted_by": None, "deleted_reason": None}
    audit = _snapshot(engine)["audit_entry"][-1]
    assert (audit.action, audit.entity, audit.entity_id) == ("restore_activity", "activity_entry", str(logged.entry_id))
    detail = json.loads(audit.detail)
    assert detail["reason"] == "it was right after all" and detail["new"]["reference"] == "CR/1"


def test_a_restored_entry_can_be_edited_and_deleted_again(engine, admin, pc):
    entry_id = _deleted(engine, admin, pc)
    restore_entry(engine, admin, entry_id, "undo", 2)
    assert edit_entry(engine, admin, entry_id, {"count": 4}, 3).version == 4
    assert delete_entry(engine, admin, entry_id, "again", 4) == 5
    assert restore_entry(engine, admin, entry_id, "and back", 5).version == 6
    assert list(_totals(engine).values()) == [(4, 0, 1)]


def test_an_entry_that_is_not_deleted_is_refused(engine, admin, pc):
    logged = log_entry(engine, admin, _entry(pc))
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match=f"entry: #{logged.entry_id} is not deleted, so there is nothing to"):
        restore_entry(engine, admin, logged.entry_id, "undo", 1)
    with pytest.raises(ValidationError, match="entry: no activity entry has id 999"):
        restore_entry(engine, admin, 999, "undo")
    assert _snapshot(engine) == before


def test_a_stale_version_is_refused_and_a_restore_by_someone_else_is_named(engine, admin, pc):
    entry_id = _deleted(engine, admin, pc)
    restore_entry(engine, Actor.administrator("someone-else"), entry_id, "theirs", 2)
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match=f"entry: #{entry_id} is not deleted \\(someone-else restored it on "
                                              "[-0-9]+ [:0-9]+\\), so there is nothing to restore"):
        restore_entry(engine, admin, entry_id, "undo", expected_version=2)
    assert _snapshot(engine) == before
    delete_entry(engine, Actor.administrator("someone-else"), entry_id, "theirs again", 3)
    before = _snapshot(engine)
    with pytest.raises(Conflict, match=f"entry #{entry_id} was changed by someone else since you opened it"):
        restore_entry(engine, admin, entry_id, "undo", expected_version=2)
    assert _snapshot(engine) == before


def test_a_reason_is_needed(engine, admin, pc):
    entry_id = _deleted(engine, admin, pc)
    before = _snapshot(engine)
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="reason: say why the entry is restored"):
            restore_entry(engine, admin, entry_id, reason, 2)
    assert _snapshot(engine) == before


def test_only_those_who_may_delete_it_may_restore_it(engine, admin, pc, supervisors):
    other = _officer(engine, "1002")
    mine, theirs = _deleted(engine, admin, pc), _deleted(engine, admin, other)
    me = Actor("1001", Role.PC.value, pc)
    before = _snapshot(engine)
    with pytest.raises(PermissionDenied, match="only for themselves"):
        restore_entry(engine, me, theirs, "not mine", 2)
    with pytest.raises(PermissionDenied, match="may not edit or delete beat activity"):
        restore_entry(engine, Actor("clerk", Role.STAFF.value, None), mine, "clerk", 2)
    assert _snapshot(engine) == before
    restore_entry(engine, me, mine, "mine", 2)
    restore_entry(engine, supervisors[0], theirs, "sergeant", 2)
    assert len(_totals(engine)) == 2


def test_a_reference_logged_again_meanwhile_is_flagged_on_restore(engine, admin, pc):
    entry_id = _deleted(engine, admin, pc, kind=K.PPN, reference="PPN-9")
    assert log_entry(engine, admin, _entry(pc, K.PPN, reference="PPN-9")).warnings == ()
    restored = restore_entry(engine, admin, entry_id, "both were real", 2)
    day = EARLIER.astimezone(_london()).date()
    assert restored.warnings == (f"reference PPN-9 was already logged on {day} by 1001",)
    assert json.loads(_snapshot(engine)["audit_entry"][-1].detail)["warnings"] == list(restored.warnings)


def test_restore_is_checked_like_a_new_entry(engine, admin):
    """Place time logged since the delete may leave no room for it under the duty's time outside."""
    pcso = _officer(engine, "2001", Role.PCSO, beat_id=2)
    start = NOW - timedelta(hours=9)
    record_duty(engine, admin, pcso, start, start + timedelta(hours=8), 100)
    entry_id = _deleted(engine, admin, pcso, kind=K.DEDICATED_PLACE, minutes=60)
    log_entry(engine, admin, _entry(pcso, K.DEDICATED_PLACE, minutes=60))
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="minutes: 120 minutes in dedicated places on duty #\\d+ would exceed "
                                              "its time outside the station of 100 minutes"):
        restore_entry(engine, admin, entry_id, "undo", 2)
    assert _snapshot(engine) == before


def test_a_duty_recorded_since_the_delete_is_linked_on_restore(engine, admin, pc):
    entry_id = _deleted(engine, admin, pc)
    duty = record_duty(engine, admin, pc, NOW - timedelta(hours=9), NOW - timedelta(hours=1))
    restore_entry(engine, admin, entry_id, "undo", 2)
    assert _snapshot(engine)["activity_entry"][0].duty_id == duty
    with Session(engine) as session:
        restore = entry_history(session, admin, entry_id)[-1]
    assert (restore.old_values["duty_id"], restore.new_values["duty_id"]) == (None, duty)


def _london():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/London")
