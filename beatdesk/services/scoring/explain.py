"""The evidence behind a score: the entries, duties and tasks a criterion was counted from, and the
score written out as lines of text (for tooltips, reports and tests).

A drill-down reads one subject's raw rows, so it uses plain SQL over the entries, with the same
membership rule as the engine: officers of the role with duty hours in the subject in the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from beatdesk.models import ActivityEntry, Beat, DutyRecord, Officer, Sector, Task, utcnow
from beatdesk.services.actor import Actor
from beatdesk.services import scope
from beatdesk.services.errors import PermissionDenied, ValidationError
from beatdesk.services.permissions import Action, require
from beatdesk.services.scoring.criteria import OUTSIDE, Criteria, Criterion, RoleCriteria, load_criteria
from beatdesk.services.scoring.facts import task_on_time_sql
from beatdesk.services.scoring.periods import LONDON, Period
from beatdesk.services.scoring.results import Level, Score


@dataclass(frozen=True)
class TaskBehind:
    """A task due in the period and whether it was done on time (the tasks-on-time measure)."""

    task: Task
    on_time: bool


def entries_behind(
    engine: Engine, actor: Actor, level: Level | str, subject_id: int | None, role: str, criterion: str,
    period: Period, *, criteria: Criteria | None = None, now: datetime | None = None,
) -> list[ActivityEntry]:
    """The live entries a criterion of ``role`` counted for the subject in ``period``, oldest first."""
    require(actor, Action.VIEW_FORCE)
    group, found = _criterion(criteria or load_criteria(), role, criterion)
    if found.measure == OUTSIDE:
        raise ValidationError(f"criterion: {found.label} is read from duties, not entries; see the duties behind it.")
    e = ActivityEntry
    first, after = period.utc_bounds()
    with Session(engine) as session:
        level = Level(level)
        beats = _beats(session, level, subject_id)
        _may_read(session, actor, level, subject_id, beats)
        members = _members(session, level, subject_id, beats, group, period, _today(now))
        query = select(e).where(
            e.deleted_at.is_(None), e.kind == found.kind, e.occurred_at >= first, e.occurred_at < after,
            e.officer_id.in_(members),
        ).order_by(e.occurred_at, e.id)
        for key, value in found.where:
            query = query.where(getattr(e, key) == value)
        if beats is not None:
            query = query.where(e.beat_id.in_(beats))
        return list(session.execute(query).scalars())


def duties_behind(
    engine: Engine, actor: Actor, level: Level | str, subject_id: int | None, role: str | None, period: Period, *,
    criteria: Criteria | None = None, now: datetime | None = None,
) -> list[DutyRecord]:
    """The duties whose hours (and time outside) the subject's ``role`` criteria were divided by; with
    ``role`` None, those of every scored role (the team's time outside)."""
    require(actor, Action.VIEW_FORCE)
    criteria = criteria or load_criteria()
    groups = criteria.roles if role is None else [_role(criteria, role)]
    with Session(engine) as session:
        level = Level(level)
        beats = _beats(session, level, subject_id)
        _may_read(session, actor, level, subject_id, beats)
        members = [o for g in groups for o in _members(session, level, subject_id, beats, g, period, _today(now))]
        query = _duty_query(period, _today(now)).where(DutyRecord.officer_id.in_(members))
        if beats is not None:
            query = query.where(_duty_beat().in_(beats))
        return list(session.execute(query.with_only_columns(DutyRecord).order_by(DutyRecord.start)).scalars())


def tasks_behind(
    engine: Engine, actor: Actor, level: Level | str, subject_id: int | None, period: Period, *,
    criteria: Criteria | None = None, now: datetime | None = None,
) -> list[TaskBehind]:
    """The tasks due in the period on the subject's beats, each marked on time or not."""
    require(actor, Action.VIEW_FORCE)
    criteria = criteria or load_criteria()
    measure = next((m for m in criteria.team if m.measure == "tasks_on_time"), None)
    if measure is None:
        return []
    level = Level(level)
    if level is Level.OFFICER:
        raise ValidationError("level: tasks on time is a team measure of beats and areas, not of one officer.")
    t = Task
    with Session(engine) as session:
        beats = _beats(session, level, subject_id)
        _may_read(session, actor, level, subject_id, beats)
        on_time = task_on_time_sql(session.get_bind().dialect.name, measure.grace_hours)
        query = select(t, on_time).where(
            t.duty_date >= period.start, t.duty_date <= period.end, t.window_end <= (now or utcnow()),
        ).order_by(t.duty_date, t.window_start, t.id)
        if beats is not None:
            query = query.where(t.beat_id.in_(beats))
        return [TaskBehind(task, bool(ok)) for task, ok in session.execute(query)]


def explain_lines(score: Score) -> list[str]:
    """The score, its criteria and their totals as plain sentences, top down."""
    s = score.subject
    head = f"{s.code} {s.name}" if s.level is not Level.FORCE else "Force"
    lines = [f"{head}, {score.period.label}: {_score_text(score)}"]
    for role in score.roles:
        lines.append(f"  {role.label}: {_pct(role.score)} from {role.members} officer(s), "
                     f"{role.duty_hours:,.1f} duty hours")
        for c in role.criteria:
            amount = f"{c.amount:,.0f} min" if "%" in c.unit else f"{c.amount:,.0f}"
            rate = "no rate (no duty hours)" if c.rate is None else f"{c.rate:.2f} {c.unit}"
            target = "" if c.target is None else f" against {c.target:.2f} ({c.target_source})"
            achieved = (f" = {c.achievement:.0f} % {c.rag}" if c.achievement is not None
                        else f" — not scored ({c.target_source})" if c.target is None else "")
            lines.append(f"    {c.label}: {rate}{target}{achieved}; {amount} in {c.duty_hours:,.1f} h; "
                         f"weight {c.weight:g}")
    for t in score.team:
        value = "nothing to measure" if t.value is None else (
            f"{t.value:.1f} % ({t.numerator:,.0f} of {t.denominator:,.0f}) against {t.target:g} % "
            f"= {t.achievement:.0f} % {t.rag}")
        lines.append(f"  Team: {t.label}: {value}; weight {t.weight:g}")
    return lines


def _score_text(score: Score) -> str:
    if score.value is None:
        return score.reason
    text = f"{score.value:.0f} % ({score.rag})"
    if score.change is not None:
        text += f", {'up' if score.change >= 0 else 'down'} {abs(score.change):.0f} points on the previous period"
    return text


def _pct(value: float | None) -> str:
    return "no score" if value is None else f"{value:.0f} %"


# ---- membership, as the engine counts it ----------------------------------------------------------


def _today(now: datetime | None) -> date:
    return (now or utcnow()).astimezone(LONDON).date()


def _duty_beat():
    return func.coalesce(DutyRecord.beat_id, Officer.beat_id)


def _duty_query(period: Period, today: date):
    d = DutyRecord
    return select(d.officer_id).join(Officer, Officer.id == d.officer_id).where(
        d.duty_date >= period.start, d.duty_date <= min(period.end, today)
    )


def _may_read(session: Session, actor: Actor, level: Level, subject_id: int | None, beats: list[int] | None) -> None:
    """The rows behind a score are records: read only within the actor's reach (``services.scope``)."""
    if level is Level.OFFICER:
        scope.require_read_officer(session, actor, subject_id)
        return
    reads = scope.reach(session, actor).reads
    if reads is None:
        return
    if beats is None or not set(beats) <= reads:
        raise PermissionDenied(f"{actor.label} ({actor.role}) may see the records behind the scores of the beats "
                               f"they work or direct, not this {level.value}'s.")


def _beats(session: Session, level: Level, subject_id: int | None) -> list[int] | None:
    """The subject's beats (None: any beat, for an officer or the force)."""
    if level in (Level.OFFICER, Level.FORCE):
        return None
    if level is Level.BEAT:
        query = select(Beat.id).where(Beat.id == subject_id)
    elif level is Level.SECTOR:
        query = select(Beat.id).where(Beat.sector_id == subject_id)
    else:
        query = select(Beat.id).join(Sector, Sector.id == Beat.sector_id).where(Sector.lpa_id == subject_id)
    beats = list(session.execute(query).scalars())
    if not beats:
        raise ValidationError(f"{level.value}: no {level.value} with beats has id {subject_id}.")
    return beats


def _members(session: Session, level: Level, subject_id: int | None, beats: list[int] | None,
             group: RoleCriteria, period: Period, today: date) -> list[int]:
    """Officers of the role with duty hours in the subject during the period."""
    query = _duty_query(period, today).where(Officer.role.in_([r.value for r in group.roles])).distinct()
    if level is Level.OFFICER:
        query = query.where(DutyRecord.officer_id == subject_id)
    if beats is not None:
        query = query.where(_duty_beat().in_(beats))
    return list(session.execute(query).scalars())


def _role(criteria: Criteria, role: str) -> RoleCriteria:
    try:
        return criteria.role(role)
    except KeyError:
        raise ValidationError(f"role: {role!r} is not scored (the criteria file scores "
                              f"{', '.join(r.key for r in criteria.roles)}).") from None


def _criterion(criteria: Criteria, role: str, key: str) -> tuple[RoleCriteria, Criterion]:
    group = _role(criteria, role)
    try:
        return group, group.criterion(key)
    except KeyError:
        raise ValidationError(f"criterion: {role} has no criterion {key!r}.") from None
