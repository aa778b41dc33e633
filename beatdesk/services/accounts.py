"""Accounts and signing in: argon2 password hashes, slowed retries, the first administrator.

A wrong username and a wrong password get the same answer, after the same work, so a failed sign-in
never tells whether the account exists. After ``FREE_ATTEMPTS`` failures in a row an account makes
each further try wait twice as long as the last (up to ``MAX_WAIT``); a success clears the count.
Every sign-in, failed or not, is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Engine, func, select, update
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import Account, Officer, Role, utcnow
from beatdesk.services import audit
from beatdesk.services.actor import ADMINISTRATOR, Actor
from beatdesk.services.errors import Conflict, ServiceError, ValidationError
from beatdesk.services.permissions import Action, require

ENTITY = "account"
MIN_PASSWORD = 10
FREE_ATTEMPTS = 3
MAX_WAIT = timedelta(minutes=5)
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,59}")
ROLES = (ADMINISTRATOR, *(r.value for r in Role))
NOT_RECOGNISED = "Username or password not recognised."


class SignInRefused(ServiceError):
    """The sign-in failed; ``wait`` says how long before another try is accepted, if at all."""

    def __init__(self, message: str, wait: timedelta | None = None):
        super().__init__(message)
        self.wait = wait


@dataclass(frozen=True)
class AccountView:
    id: int
    username: str
    display_name: str
    role: str
    officer_id: int | None
    active: bool
    version: int


@cache
def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so that answer costs the same time."""
    return _hasher().hash("not a password anyone has")


def has_accounts(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Account)))


def create_first_administrator(engine: Engine, username: str, display_name: str, password: str) -> Actor:
    """The administrator a new database asks for on first start; refused once any account exists."""
    username = check_username(username)
    check_password(password)
    display_name = _display_name(display_name)
    with session_scope(engine) as session:
        if has_accounts(session):
            raise ValidationError("accounts: this database already has accounts; sign in as an administrator.")
        actor = Actor(label=username, role=ADMINISTRATOR)
        account_id = _add(session, actor, username, display_name, password, ADMINISTRATOR, None)
        audit.record(session, actor, "create_first_administrator", ENTITY, account_id, username=username)
        return actor


def create_account(
    engine: Engine, actor: Actor, username: str, display_name: str, password: str, role: str,
    officer_id: int | None = None,
) -> int:
    require(actor, Action.MANAGE_USERS)
    with session_scope(engine) as session:
        return _create(session, actor, username, display_name, password, role, officer_id)


def add_accounts(session: Session, actor: Actor, rows: list[dict]) -> None:
    """Accounts made in bulk inside the caller's transaction (the demo force's documented accounts).

    Each row: username, display_name, password, role and officer_id, checked like ``create_account``."""
    require(actor, Action.MANAGE_USERS)
    for row in rows:
        _create(session, actor, row["username"], row["display_name"], row["password"], row["role"],
                row.get("officer_id"))


def _create(session: Session, actor: Actor, username: str, display_name: str, password: str, role: str,
            officer_id: int | None) -> int:
    """One account checked, added and audited: what ``create_account`` and ``add_accounts`` share."""
    username = check_username(username)
    check_password(password)
    display_name = _display_name(display_name)
    if role not in ROLES:
        raise ValidationError(f"role: {role!r} is not one of {', '.join(ROLES)}.")
    _check_officer(session, role, officer_id)
    account_id = _add(session, actor, username, display_name, password, role, officer_id)
    audit.record(session, actor, "create_account", ENTITY, account_id, username=username, role=role,
                 officer_id=officer_id)
    return account_id


def list_accounts(session: Session, actor: Actor) -> list[AccountView]:
    require(actor, Action.MANAGE_USERS)
    rows = session.scalars(select(Account).order_by(Account.username))
    return [AccountView(a.id, a.username, a.display_name, a.role, a.officer_id, a.active, a.version) for a in rows]


def set_password(engine: Engine, actor: Actor, account_id: int, new_password: str,
                 current_password: str | None = None) -> None:
    """Change a password: one's own with the current password, anyone's as an administrator."""
    check_password(new_password)
    with session_scope(engine) as session:
        account = _account(session, account_id)
        own = account.username == actor.label
        if not own:
            require(actor, Action.MANAGE_USERS)
        elif not actor.is_administrator and not _matches(account, current_password or ""):
            raise ValidationError("current password: not recognised; the password was not changed.")
        _bump(session, account, {"password_hash": _hasher().hash(new_password), "failed_attempts": 0})
        audit.record(session, actor, "set_password", ENTITY, account_id, username=account.username)


def set_active(engine: Engine, actor: Actor, account_id: int, active: bool, expected_version: int) -> int:
    require(actor, Action.MANAGE_USERS)
    with session_scope(engine) as session:
        account = _account(session, account_id)
        was = account.active
        if not active and account.username == actor.label:
            raise ValidationError("active: you cannot switch off the account you are signed in with.")
        version = _bump(session, account, {"active": bool(active)}, expected_version)
        audit.record(session, actor, "set_account_active", ENTITY, account_id, username=account.username,
                     old={"active": was}, new={"active": bool(active)})
        return version


def sign_in(engine: Engine, username: str, password: str, now: datetime | None = None) -> Actor:
    """The actor for these credentials, or SignInRefused saying why (and how long to wait, if slowed).

    A refusal is raised after its transaction commits: the failed attempt and its audit entry stay."""
    now = now or utcnow()
    name = (username or "").strip().lower()
    with session_scope(engine) as session:
        outcome = _try(session, name, password, now)
    if isinstance(outcome, SignInRefused):
        raise outcome
    return outcome


def _try(session: Session, name: str, password: str, now: datetime) -> Actor | SignInRefused:
    # the row is locked (PostgreSQL; SQLite's write lock comes with the first UPDATE) so that attempts
    # made at the same moment are counted one after another, none slipping past the wait
    account = session.scalar(select(Account).where(Account.username == name).with_for_update())
    if account is None:
        _hasher().verify(_dummy_hash(), "not a password anyone has")  # the same work as a real check
        # never the text typed: people type their password into the username field
        audit.record(session, Actor(label="(unknown username)", role="unknown"), "sign_in_refused", ENTITY, "",
                     reason="unknown username")
        return SignInRefused(NOT_RECOGNISED)
    wait = _wait(account, now)
    if wait is not None:
        return SignInRefused(f"Too many failed attempts: try again in {_seconds(wait)}.", wait)
    matches = _matches(account, password)  # checked for a switched-off account too: the same time either way
    if not account.active or not matches:
        session.execute(update(Account).where(Account.id == account.id)
                        .values(failed_attempts=Account.failed_attempts + 1, last_failed_at=now))
        attempts = session.scalar(select(Account.failed_attempts).where(Account.id == account.id))
        audit.record(session, _actor_of(account), "sign_in_refused", ENTITY, account.id,
                     reason="wrong password" if account.active else "account switched off", attempts=attempts)
        account.failed_attempts, account.last_failed_at = attempts, now
        wait = _wait(account, now)
        slowed = f" Too many failed attempts: wait {_seconds(wait)} before the next try." if wait else ""
        return SignInRefused(NOT_RECOGNISED + slowed, wait)
    values = {"failed_attempts": 0, "last_sign_in_at": now}
    if _hasher().check_needs_rehash(account.password_hash):
        values["password_hash"] = _hasher().hash(password)
    session.execute(update(Account).where(Account.id == account.id).values(**values))
    actor = _actor_of(account)
    audit.record(session, actor, "sign_in", ENTITY, account.id)
    return actor


def check_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not USERNAME.fullmatch(name):
        raise ValidationError("username: 3 to 60 letters, digits, dots, dashes or underscores, starting with a "
                              f"letter or digit (got {username!r}).")
    return name


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(f"password: at least {MIN_PASSWORD} characters.")
    if (password or "").strip() != password:
        raise ValidationError("password: must not start or end with a space.")


# ---- inside -------------------------------------------------------------------------------------


def _add(session: Session, actor: Actor, username: str, display_name: str, password: str, role: str,
         officer_id: int | None) -> int:
    if session.scalar(select(Account.id).where(Account.username == username)) is not None:
        raise ValidationError(f"username: {username} is taken; choose another.")
    account = Account(username=username, display_name=display_name, role=role, officer_id=officer_id,
                      password_hash=_hasher().hash(password), created_by=actor.label)
    session.add(account)
    session.flush()
    return account.id


def _check_officer(session: Session, role: str, officer_id: int | None) -> None:
    if officer_id is None:
        if role != ADMINISTRATOR:
            raise ValidationError(f"officer: a {role} account belongs to an officer; choose one.")
        return
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise ValidationError(f"officer: no officer has id {officer_id}.")
    if role != ADMINISTRATOR and Role(officer.role).value != role:
        raise ValidationError(f"role: {officer.name} is a {Role(officer.role).value}, not a {role}.")


def _display_name(text: str) -> str:
    name = (text or "").strip()
    if not name:
        raise ValidationError("name: say whose account this is.")
    if len(name) > 120:
        raise ValidationError("name: at most 120 characters.")
    return name


def _account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise ValidationError(f"account: no account has id {account_id}.")
    return account


def _bump(session: Session, account: Account, values: dict, expected: int | None = None) -> int:
    """Write ``values`` and the next version, only if nobody else has written since ``expected``."""
    expected = account.version if expected is None else expected
    done = session.execute(
        update(Account).where(Account.id == account.id, Account.version == expected)
        .values(**values, version=expected + 1).execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        raise Conflict(f"account {account.username} was changed by someone else since you opened it: reload it.")
    return expected + 1


def _matches(account: Account, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _wait(account: Account, now: datetime) -> timedelta | None:
    """How much longer this account must wait before its next try, or None."""
    over = account.failed_attempts - FREE_ATTEMPTS
    if over < 0 or account.last_failed_at is None:
        return None
    left = account.last_failed_at + min(timedelta(seconds=2 ** min(over, 16)), MAX_WAIT) - now
    return left if left > timedelta(0) else None


def _seconds(wait: timedelta) -> str:
    seconds = max(1, round(wait.total_seconds()))
    return f"{seconds} s" if seconds < 120 else f"{round(seconds / 60)} min"


def _actor_of(account: Account) -> Actor:
    return Actor(label=account.username, role=account.role, officer_id=account.officer_id)
