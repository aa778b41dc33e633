"""Whose records and which beats an actor may act on: the scope half of the permissions.

``permissions.require`` says whether a role may do a kind of thing at all; this module says where:

| role | writes records of | directs (tasks, places) | reads |
|---|---|---|---|
| PC, PCSO, special constable | themselves | no beat | their own beat |
| sergeant | themselves and the team on the beats they direct | the beats they direct | those beats |
| inspector | everyone in their sector | their sector's beats | their sector |
| administrator | everyone | every beat | everything |
| staff | nobody | no beat | their own beat |

Postings come from the officer the actor is (``Actor.officer_id``): a sergeant's beats from
``beat_sergeant``, an inspector's sector from their posting. An actor who is no officer and not an
administrator reaches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlmodel import Session

from beatdesk.models import Beat, BeatSergeant, Officer, Role
from beatdesk.services.actor import Actor
from beatdesk.services.errors import PermissionDenied
from beatdesk.services.permissions import Action, require

OWN_RECORDS_ONLY = frozenset({Role.PC.value, Role.PCSO.value, Role.SPECIAL.value, Role.STAFF.value})


@dataclass(frozen=True)
class Reach:
    """``None`` means everything; otherwise the ids within reach."""

    officers: frozenset[int] | None  # whose entries, duties and own tasks the actor may write
    directs: frozenset[int] | None  # beats whose tasks and places the actor manages
    reads: frozenset[int] | None  # beats whose records the actor may read

    def has_officer(self, officer_id: int | None) -> bool:
        return self.officers is None or officer_id in self.officers

    def directs_beat(self, beat_id: int | None) -> bool:
        return self.directs is None or beat_id in self.directs

    def reads_beat(self, beat_id: int | None) -> bool:
        return self.reads is None or beat_id in self.reads


EVERYTHING = Reach(None, None, None)
NOTHING = Reach(frozenset(), frozenset(), frozenset())


def reach(session: Session, actor: Actor) -> Reach:
    if actor.is_administrator:
        return EVERYTHING
    officer = session.get(Officer, actor.officer_id) if actor.officer_id is not None else None
    if officer is None:
        return NOTHING
    me = frozenset({officer.id})
    own_beat = frozenset({officer.beat_id}) if officer.beat_id is not None else frozenset()
    if actor.role in OWN_RECORDS_ONLY:
        return Reach(me if actor.role != Role.STAFF.value else frozenset(), frozenset(), own_beat)
    if actor.role == Role.SERGEANT.value:
        beats = frozenset(session.scalars(select(BeatSergeant.beat_id).where(BeatSergeant.officer_id == officer.id)))
        return Reach(me | _posted_to(session, beats, ()), beats, beats | own_beat)
    if actor.role == Role.INSPECTOR.value:
        sector = officer.sector_id or (session.get(Beat, officer.beat_id).sector_id if officer.beat_id else None)
        beats = frozenset(session.scalars(select(Beat.id).where(Beat.sector_id == sector))) if sector else frozenset()
        return Reach(me | _posted_to(session, beats, (sector,) if sector else ()), beats, beats)
    return NOTHING


def require_officer(session: Session, actor: Actor, action: Action, officer_id: int) -> None:
    """``action`` on officer ``officer_id``'s records: allowed for the role and within reach."""
    require(actor, action)
    if not reach(session, actor).has_officer(officer_id):
        raise PermissionDenied(f"{actor.label} ({actor.role}) may {action} only for {_whom(actor)}, "
                               f"not officer #{officer_id}.")


def require_beat(session: Session, actor: Actor, action: Action, beat: Beat) -> None:
    """``action`` (managing tasks or places) on ``beat``: allowed for the role and a beat they direct."""
    require(actor, action)
    if not reach(session, actor).directs_beat(beat.id):
        raise PermissionDenied(f"{actor.label} ({actor.role}) may {action} only on {_where(actor)}, "
                               f"not beat {beat.code} ({beat.name}).")


def require_read_officer(session: Session, actor: Actor, officer_id: int) -> None:
    """Reading an officer's records: their own, or someone on a beat (or in a sector) the actor reads."""
    require(actor, Action.VIEW_FORCE)
    mine = reach(session, actor)
    if mine.has_officer(officer_id) or mine.reads is None:
        return
    officer = session.get(Officer, officer_id)
    if officer is not None and (officer.beat_id in mine.reads or _sector_read(session, mine, officer)):
        return
    raise PermissionDenied(f"{actor.label} ({actor.role}) may see the records of {_whom(actor)} and of the "
                           f"beats they work, not officer #{officer_id}'s.")


def _sector_read(session: Session, mine: Reach, officer: Officer) -> bool:
    """A sector-posted officer (sergeant, inspector) is read by whoever reads a beat of their sector."""
    if officer.beat_id is not None or officer.sector_id is None:
        return False
    return bool(mine.reads) and session.scalar(
        select(Beat.id).where(Beat.sector_id == officer.sector_id, Beat.id.in_(mine.reads)).limit(1)
    ) is not None


def _posted_to(session: Session, beats: frozenset[int], sectors: tuple[int, ...]) -> frozenset[int]:
    if not beats and not sectors:
        return frozenset()
    where = [Officer.beat_id.in_(beats)] if beats else []
    if sectors:
        where.append(Officer.sector_id.in_(sectors))
    return frozenset(session.scalars(select(Officer.id).where(or_(*where))))


def _whom(actor: Actor) -> str:
    return {Role.SERGEANT.value: "themselves and the team on the beats they direct",
            Role.INSPECTOR.value: "the officers in their sector"}.get(actor.role, "themselves")


def _where(actor: Actor) -> str:
    return {Role.SERGEANT.value: "the beats they direct",
            Role.INSPECTOR.value: "the beats of their sector"}.get(actor.role, "no beat")
