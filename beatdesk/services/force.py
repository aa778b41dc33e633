"""The force structure in the database: installing the beat plan, and reading it back."""

from __future__ import annotations


from sqlalchemy import func
from sqlmodel import Session, select

from beatdesk.models import Beat, Lpa, Meta, Sector, Ward
from beatdesk.errors import ValidationError
from beatdesk.plan import BeatPlan, structural_problems
from beatdesk.services import audit
from beatdesk.services.actor import Actor
from beatdesk.services.permissions import Action, require


def install_beat_plan(session: Session, actor: Actor, plan: BeatPlan) -> bool:
    """Create LPAs, sectors, beats and wards from the plan. Does nothing if the force exists already."""
    require(actor, Action.INSTALL_BEAT_PLAN)
    problems = structural_problems(plan)
    if problems:
        raise ValidationError("The beat plan cannot be installed: " + "; ".join(problems))
    if session.exec(select(func.count()).select_from(Beat)).one():
        return False
    lpa_ids: dict[str, int] = {}
    for item in plan.lpas:
        row = Lpa(code=item.code, name=item.name)
        session.add(row)
        session.flush()
        lpa_ids[item.code] = row.id
    sector_ids: dict[str, int] = {}
    for item in plan.sectors:
        row = Sector(code=item.code, name=item.name, lpa_id=lpa_ids[item.lpa])
        session.add(row)
        session.flush()
        sector_ids[item.code] = row.id
    for item in plan.beats:
        beat = Beat(
            code=item.code,
            name=item.name,
            sector_id=sector_ids[item.sector],
            centroid_easting=item.centroid[0],
            centroid_northing=item.centroid[1],
        )
        session.add(beat)
        session.flush()
        council = plan.council_of_beat(item)
        session.add_all(
            Ward(
                code=w.code,
                name=w.name,
                council_code=council.council_code,
                council_name=council.council_name,
                beat_id=beat.id,
            )
            for w in item.wards
        )
    audit.record(session, actor, "install_beat_plan", "force", plan.force, beats=len(plan.beats))
    return True


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key) or Meta(key=key)
    row.value = value
    session.add(row)


DEMO_NOTICE = "fictitious people and activity"


def demo_notice(seed: str | int) -> str:
    """What the interface says across a database that holds the generated demo force."""
    return f"Demo force (seed {seed}) — {DEMO_NOTICE}"
