"""Accounts and signing in: hashes not passwords, the same answer for unknown users, slowed retries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import Account, AuditEntry, Officer, Role, utcnow
from beatdesk.services import accounts
from beatdesk.services.accounts import SignInRefused
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict, PermissionDenied, ValidationError

PASSWORD = "correct horse battery"


def _officer(engine, collar: str, role: Role) -> int:
    with session_scope(engine) as session:
        officer = Officer(collar_number=collar, name=f"Officer {collar}", role=role, beat_id=1,
                          start_date=date(2020, 1, 1))
        session.add(officer)
        session.flush()
        return officer.id


def _snapshot(engine):
    with Session(engine) as session:
        return (session.scalar(select(func.count()).select_from(Account)),
                session.scalar(select(func.count()).select_from(AuditEntry)),
                sorted(session.execute(select(Account.username, Account.password_hash, Account.failed_attempts)).all()))


def test_first_administrator_then_sign_in(engine):
    with Session(engine) as session:
        assert not accounts.has_accounts(session)
    actor = accounts.create_first_administrator(engine, " Sgt.Admin ", "Force Administrator", PASSWORD)
    assert actor.label == "sgt.admin" and actor.is_administrator
    with Session(engine) as session:
        stored = session.scalar(select(Account.password_hash))
    assert stored.startswith("$argon2") and PASSWORD not in stored
    signed_in = accounts.sign_in(engine, "SGT.ADMIN", PASSWORD)
    assert signed_in == actor
    with pytest.raises(ValidationError, match="already has accounts"):
        accounts.create_first_administrator(engine, "second", "Another", PASSWORD)


@pytest.mark.parametrize(("username", "password", "message"), [
    ("ab", PASSWORD, "username: 3 to 60"),
    ("has space", PASSWORD, "username: 3 to 60"),
    ("fine.name", "short", "password: at least 10"),
    ("fine.name", " padded password ", "must not start or end with a space"),
])
def test_bad_first_administrator_changes_nothing(engine, username, password, message):
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match=message):
        accounts.create_first_administrator(engine, username, "Name", password)
    assert _snapshot(engine) == before


def test_accounts_belong_to_officers_of_their_role(engine, admin):
    pc = _officer(engine, "1001", Role.PC)
    account = accounts.create_account(engine, admin, "pc1001", "PC 1001", PASSWORD, "PC", pc)
    assert accounts.sign_in(engine, "pc1001", PASSWORD) == Actor("pc1001", "PC", pc)
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="is a PC, not a Sergeant"):
        accounts.create_account(engine, admin, "sgt", "Sgt", PASSWORD, "Sergeant", pc)
    with pytest.raises(ValidationError, match="a PCSO account belongs to an officer"):
        accounts.create_account(engine, admin, "pcso", "PCSO", PASSWORD, "PCSO")
    with pytest.raises(ValidationError, match="username: pc1001 is taken"):
        accounts.create_account(engine, admin, "PC1001", "Again", PASSWORD, "PC", pc)
    with pytest.raises(ValidationError, match="role: 'Chief' is not one of"):
        accounts.create_account(engine, admin, "chief", "Chief", PASSWORD, "Chief")
    with pytest.raises(PermissionDenied, match="may not manage user accounts"):
        accounts.create_account(engine, Actor("pc1001", "PC", pc), "other", "Other", PASSWORD, "Administrator")
    assert _snapshot(engine) == before
    assert account > 0


def test_unknown_user_and_wrong_password_get_the_same_answer_and_are_audited(engine, admin):
    accounts.create_account(engine, admin, "casey", "Casey", PASSWORD, "Administrator")
    answers = []
    for username in ("nobody", "casey"):
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in(engine, username, "wrong password!")
        answers.append(str(refused.value))
    assert answers == [accounts.NOT_RECOGNISED] * 2
    with Session(engine) as session:
        refused = session.execute(select(AuditEntry.actor, AuditEntry.detail).where(
            AuditEntry.action == "sign_in_refused").order_by(AuditEntry.seq)).all()
        assert len(refused) == 2 and "unknown username" in refused[0].detail and "wrong password" in refused[1].detail
        assert refused[0].actor == "(unknown username)"  # never what was typed: it may be a password
        assert session.scalar(select(Account.failed_attempts).where(Account.username == "casey")) == 1


def test_failed_attempts_slow_further_tries_and_success_clears_them(engine, admin):
    accounts.create_account(engine, admin, "casey", "Casey", PASSWORD, "Administrator")
    start = utcnow()
    for attempt in range(accounts.FREE_ATTEMPTS):
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in(engine, "casey", "wrong password!", now=start + timedelta(seconds=attempt))
    assert refused.value.wait is not None and "wait 1 s" in str(refused.value)
    last = start + timedelta(seconds=accounts.FREE_ATTEMPTS - 1)
    with pytest.raises(SignInRefused, match="Too many failed attempts: try again in 1 s"):
        accounts.sign_in(engine, "casey", PASSWORD, now=last)  # even the right password waits
    with pytest.raises(SignInRefused, match="wait 2 s"):
        accounts.sign_in(engine, "casey", "wrong again!!", now=last + timedelta(seconds=1))
    later = last + timedelta(seconds=3)
    assert accounts.sign_in(engine, "casey", PASSWORD, now=later).label == "casey"
    with Session(engine) as session:
        assert session.scalar(select(Account.failed_attempts)) == 0


def test_a_switched_off_account_cannot_sign_in(engine, admin):
    account = accounts.create_account(engine, admin, "casey", "Casey", PASSWORD, "Administrator")
    accounts.set_active(engine, admin, account, False, 1)
    with pytest.raises(SignInRefused, match="not recognised"):
        accounts.sign_in(engine, "casey", PASSWORD)


def test_passwords_change_with_the_current_one_or_by_an_administrator(engine, admin):
    pc = _officer(engine, "1001", Role.PC)
    account = accounts.create_account(engine, admin, "pc1001", "PC 1001", PASSWORD, "PC", pc)
    me = accounts.sign_in(engine, "pc1001", PASSWORD)
    with pytest.raises(ValidationError, match="current password: not recognised"):
        accounts.set_password(engine, me, account, "a brand new one", current_password="guess guess")
    accounts.set_password(engine, me, account, "a brand new one", current_password=PASSWORD)
    assert accounts.sign_in(engine, "pc1001", "a brand new one") == me
    accounts.set_password(engine, admin, account, "reset by the admin")
    assert accounts.sign_in(engine, "pc1001", "reset by the admin") == me
    other = Actor("someone", "PC", pc + 1)
    with pytest.raises(PermissionDenied):
        accounts.set_password(engine, other, account, "not theirs to set")


def test_many_failures_keep_the_wait_at_its_cap_and_never_crash(engine, admin):
    accounts.create_account(engine, admin, "casey", "Casey", PASSWORD, "Administrator")
    with session_scope(engine) as session:
        session.execute(update(Account).values(failed_attempts=60, last_failed_at=utcnow()))
    with pytest.raises(SignInRefused) as refused:
        accounts.sign_in(engine, "casey", PASSWORD)
    assert refused.value.wait <= accounts.MAX_WAIT and "try again in 5 min" in str(refused.value)
    assert accounts.sign_in(engine, "casey", PASSWORD, now=utcnow() + accounts.MAX_WAIT).label == "casey"


def test_switching_an_account_off_audits_old_and_new_and_refuses_a_stale_version(engine, admin):
    account = accounts.create_account(engine, admin, "casey", "Casey", PASSWORD, "Administrator")
    version = accounts.set_active(engine, admin, account, False, 1)
    with Session(engine) as session:
        detail = session.scalar(select(AuditEntry.detail).where(AuditEntry.action == "set_account_active"))
    assert '"old": {"active": true}' in detail and '"new": {"active": false}' in detail
    with pytest.raises(Conflict, match="changed by someone else"):
        accounts.set_active(engine, admin, account, True, version - 1)
