"""The demo force's documented accounts: one for each role, on the town-centre team (NT01).

Their password is public (README, sign-in dialog): they exist only in a demo database, to let anyone
try BeatDesk as an administrator, inspector, sergeant, PC or PCSO.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlmodel import Session

from beatdesk.models import Account, Beat, BeatSergeant, Officer, Role
from beatdesk.services import audit
from beatdesk.services.accounts import ADMINISTRATOR, add_accounts
from beatdesk.services.actor import Actor

DEMO_PASSWORD = "demo-password"
TEAM_BEAT = "NT01"
DOCUMENTED = ({"username": "admin.demo"}, {"username": "inspector.demo"}, {"username": "sergeant.demo"},
              {"username": "pc.demo"}, {"username": "pcso.demo"})


def demo_accounts(session: Session) -> list[dict]:
    """Who each demo account is: the NT01 team's PC, PCSO and sergeant, and its sector's inspector."""
    beat = session.scalar(select(Beat).where(Beat.code == TEAM_BEAT))
    on_beat = select(Officer).where(Officer.beat_id == beat.id).order_by(Officer.id)
    pc = session.scalars(on_beat.where(Officer.role == Role.PC)).first()
    pcso = session.scalars(on_beat.where(Officer.role == Role.PCSO)).first()
    sergeant = session.scalars(select(Officer).join(BeatSergeant, BeatSergeant.officer_id == Officer.id)
                               .where(BeatSergeant.beat_id == beat.id).order_by(Officer.id)).first()
    inspector = session.scalars(select(Officer).where(Officer.role == Role.INSPECTOR,
                                                      Officer.sector_id == beat.sector_id).order_by(Officer.id)).first()
    rows = [{"username": "admin.demo", "display_name": "Demo administrator", "role": ADMINISTRATOR, "officer_id": None}]
    for username, officer in (("inspector.demo", inspector), ("sergeant.demo", sergeant), ("pc.demo", pc),
                              ("pcso.demo", pcso)):
        if officer is not None:
            rows.append({"username": username, "display_name": f"{officer.name} (demo)",
                         "role": Role(officer.role).value, "officer_id": officer.id})
    return [{**row, "password": DEMO_PASSWORD} for row in rows]


def add_demo_accounts(session: Session, actor: Actor) -> tuple[str, ...]:
    """Add the documented accounts not already there; returns their usernames.

    Only on a database whose accounts are the demo's own and at most the one generating it (a new
    desk's first administrator): accounts with a public password never join a database people use."""
    documented = {row["username"] for row in DOCUMENTED}
    taken = set(session.scalars(select(Account.username)))
    if taken - documented - {actor.label}:
        return ()
    rows = [row for row in demo_accounts(session) if row["username"] not in taken]
    add_accounts(session, actor, rows)
    return tuple(row["username"] for row in rows)


def release_demo_officers(session: Session, actor: Actor) -> None:
    """Before the demo's people are replaced: the documented accounts go (they come back with the new
    people), and any other account tied to a demo officer is switched off and untied, never deleted."""
    names = [row["username"] for row in DOCUMENTED]
    gone = session.scalars(select(Account.id).where(Account.username.in_(names))).all()
    session.execute(delete(Account).where(Account.username.in_(names)))
    tied = session.scalars(select(Account.id).where(Account.officer_id.is_not(None))).all()
    session.execute(update(Account).where(Account.id.in_(tied))
                    .values(officer_id=None, active=False, version=Account.version + 1))
    audit.record(session, actor, "release_demo_accounts", "account", "", deleted=list(gone), switched_off=list(tied))
