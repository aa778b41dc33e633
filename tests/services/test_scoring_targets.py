"""Targets: set by inspectors and administrators only, checked, never overwritten, in force from a date."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import text
from sqlmodel import Session

from beatdesk.models import Role
from beatdesk.services.actor import Actor
from beatdesk.services.errors import PermissionDenied, ValidationError
from beatdesk.services.scoring import effective_target, set_target, target_history

INSPECTOR = Actor("insp-1", Role.INSPECTOR.value, officer_id=None)
TABLES = ("target", "audit_entry")


def _snapshot(engine) -> dict:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY 1")).fetchall() for t in TABLES}


def test_inspector_sets_targets_and_history_keeps_every_one(engine):
    first = set_target(engine, INSPECTOR, "PC", "arrests", 12.5, date(2024, 1, 1), note="force plan")
    second = set_target(engine, INSPECTOR, "PC", "arrests", 14, date(2024, 4, 1))
    correction = set_target(engine, INSPECTOR, "PC", "arrests", 13, date(2024, 4, 1), note="typo")
    other = set_target(engine, INSPECTOR, "PCSO", "engagement", 30, date(2024, 1, 1))
    with Session(engine) as session:
        history = target_history(session, INSPECTOR, "PC", "arrests")
        assert [h.id for h in history] == [correction, second, first]
        assert [h.value for h in history] == [13, 14, 12.5]
        assert history[-1].set_by == "insp-1" and history[-1].note == "force plan"
        assert history[0].set_at.tzinfo is not None
        assert len(target_history(session, INSPECTOR)) == 4
        assert effective_target(session, "PC", "arrests", date(2023, 12, 31)) is None
        assert effective_target(session, "PC", "arrests", date(2024, 3, 31)).id == first
        assert effective_target(session, "PC", "arrests", date(2024, 4, 1)).id == correction  # set last wins
        assert effective_target(session, "PCSO", "engagement", date(2030, 1, 1)).id == other
        assert "set by insp-1" in effective_target(session, "PC", "arrests", date(2024, 5, 1)).source
    audit = _snapshot(engine)["audit_entry"][-1]
    assert audit.action == "set_target" and json.loads(audit.detail)["criterion"] == "engagement"


def test_administrators_may_set_targets(engine, admin):
    assert set_target(engine, admin, "PCSO", "time_outside", 62, date(2024, 1, 1)) > 0


@pytest.mark.parametrize("role", [Role.SERGEANT, Role.PC, Role.PCSO, Role.STAFF])
def test_other_roles_may_not_set_targets(engine, role):
    before = _snapshot(engine)
    with pytest.raises(PermissionDenied, match="may not set performance targets"):
        set_target(engine, Actor("x", role.value, officer_id=1), "PC", "arrests", 10, date(2024, 1, 1))
    assert _snapshot(engine) == before


@pytest.mark.parametrize("role,criterion,value,effective,message", [
    ("Sergeant", "arrests", 10, date(2024, 1, 1), "role: 'Sergeant' is not scored (the criteria file scores PC, PCSO)"),
    ("PCSO", "arrests", 10, date(2024, 1, 1), "criterion: PCSO has no criterion 'arrests'"),
    ("PC", "arrests", 0, date(2024, 1, 1), "value: a target must be a number above 0 per 100 duty hours (got 0)"),
    ("PC", "arrests", -3, date(2024, 1, 1), "above 0"),
    ("PC", "arrests", float("nan"), date(2024, 1, 1), "above 0"),
    ("PC", "arrests", "12", date(2024, 1, 1), "above 0"),
    ("PC", "arrests", True, date(2024, 1, 1), "above 0"),
    ("PCSO", "time_outside", 120, date(2024, 1, 1), "percentage of duty time, at most 100"),
    ("PC", "arrests", 10, "2024-01-01", "effective_from: '2024-01-01' is not a date"),
    ("PC", "arrests", 10, datetime(2024, 1, 1), "is not a date"),
])
def test_bad_targets_are_refused_and_change_nothing(engine, role, criterion, value, effective, message):
    before = _snapshot(engine)
    with pytest.raises(ValidationError) as caught:
        set_target(engine, INSPECTOR, role, criterion, value, effective)
    assert message in str(caught.value)
    assert _snapshot(engine) == before


def test_an_overlong_note_is_refused(engine):
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="note: 501 characters is more than 500"):
        set_target(engine, INSPECTOR, "PC", "arrests", 10, date(2024, 1, 1), note="x" * 501)
    assert _snapshot(engine) == before
