"""Scores for officers, beats, sectors, LPAs and the force over a period, with the previous period's.

The rules (``resources/criteria.toml`` says the same for its readers):
- A subject's *members* are the officers of a scored role with duty hours in it during the period;
  their activity logged in it counts, their hours worked in it divide (an officer who moved beats
  counts to each beat for the time worked there). A criterion's rate pools the members of a role,
  which is their rates weighted by duty hours.
- Target: the inspector's target in force on the period's last day, else the file's, else the
  force-wide median of the role's officers' rates in the previous period of the same length.
- Achievement = rate / target in percent, capped for the score; a role's score is the weighted mean
  of its criteria's achievements; a subject's members score is the roles' scores weighted by duty
  hours; beats and areas add the team measures. No duty hours: no score, never a zero.

Everything is summed with numpy over all subjects at once, from the per-period totals of ``facts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial

import numpy as np
from sqlalchemy import Engine, select
from sqlmodel import Session

from beatdesk.models import Beat, Lpa, Officer, Role, Sector
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ValidationError
from beatdesk.services.permissions import Action, require
from beatdesk.services.scoring import facts as F
from beatdesk.services.scoring.criteria import COUNT, OUTSIDE, TASKS_ON_TIME, Criteria, load_criteria
from beatdesk.services.scoring.periods import LONDON, Period, reading_time
from beatdesk.services.scoring.pooling import Pooled, pool, rows_of
from beatdesk.services.scoring.results import (
    NO_DUTY_HOURS, NO_TARGETS, CriterionScore, Level, RoleScore, Score, Subject, TeamScore,
)
from beatdesk.services.scoring.targets import effective_targets


def score_all(
    engine: Engine, actor: Actor, level: Level | str, period: Period, *, criteria: Criteria | None = None,
    now: datetime | None = None,
) -> dict[int, Score]:
    """Every subject of ``level`` (all beats, all scored officers serving in the period...) by id."""
    require(actor, Action.VIEW_FORCE)
    level = _level(level)
    with Session(engine) as session:
        ctx = _context(engine, session, criteria, now)
        current = _evaluate(ctx, session, level, period)
        previous = _evaluate(ctx, session, level, period.previous())
        return _scores(ctx, current, previous)


def score(
    engine: Engine, actor: Actor, level: Level | str, subject_id: int | None, period: Period, *,
    criteria: Criteria | None = None, now: datetime | None = None,
) -> Score:
    """One subject's score (``subject_id`` None or 0 for the force)."""
    level = _level(level)
    found = score_all(engine, actor, level, period, criteria=criteria, now=now)
    key = 0 if level is Level.FORCE else subject_id
    if key not in found:
        if level is Level.OFFICER:
            raise ValidationError(f"officer: #{subject_id} is not a scored officer serving in {period.label}.")
        raise ValidationError(f"{level.value}: no {level.value} has id {subject_id}.")
    return found[key]


# ---- context: what every period of one request shares ---------------------------------------------


@dataclass(frozen=True)
class _Context:
    engine: Engine
    criteria: Criteria
    version: tuple
    force: F.Force
    subjects: dict
    today: date
    now: datetime
    column: dict  # (role key, criterion key): its column in the facts' amounts (None: time outside)
    key: int  # the criteria's hash, computed once, for cache keys
    totals_version: tuple  # the store's activity and duty totals: what facts are keyed on
    tasks_version: tuple  # the store's tasks
    people_version: tuple  # officers, beats, sectors, LPAs, targets

    def amount_column(self, criterion) -> int | None:
        return self.column[(criterion.role, criterion.key)]


def _context(engine: Engine, session: Session, criteria: Criteria | None, now: datetime | None) -> _Context:
    criteria = criteria or load_criteria()
    now = reading_time(now)
    version, key, people = F.data_version(session), hash(criteria), F.force_version(session)
    generation, totals, tasks = F.refreshed_store(session)
    force = F.cached(engine, ("force", people, key), lambda: F.load_force(session, criteria))
    subjects = F.cached(engine, ("subjects", people), lambda: _subjects(session))
    sources = {source: j for j, source in enumerate(F.sources_of(criteria))}
    column = {(c.role, c.key): None if c.measure == OUTSIDE else sources[c.source]
              for role in criteria.roles for c in role.criteria}
    return _Context(engine, criteria, version, force, subjects, now.astimezone(LONDON).date(), now.astimezone(UTC),
                    column, key, (generation, totals), (generation, tasks), people)


def _subjects(session: Session) -> dict:
    officers = session.execute(
        select(Officer.id, Officer.collar_number, Officer.name, Officer.role, Officer.start_date, Officer.end_date)
    ).all()
    return {
        Level.OFFICER: {o.id: (Subject(Level.OFFICER, o.id, o.collar_number, o.name), Role(o.role), o.start_date,
                               o.end_date) for o in officers},
        **{
            level: {i: Subject(level, i, code, name) for i, code, name in session.execute(select(t.id, t.code, t.name))}
            for level, t in ((Level.BEAT, Beat), (Level.SECTOR, Sector), (Level.LPA, Lpa))
        },
        Level.FORCE: {0: Subject(Level.FORCE, 0, "force", "Force")},
    }


def period_facts(ctx: _Context, session: Session, period: Period) -> F.SlotFacts:
    key = ("facts", ctx.totals_version, ctx.people_version, ctx.key, period.start, period.end, ctx.today)
    return F.cached(ctx.engine, key, lambda: F.load_facts(session, ctx.criteria, ctx.force, period, ctx.today))


def period_tasks(ctx: _Context, session: Session, period: Period) -> dict:
    key = ("tasks", ctx.tasks_version, ctx.key, period.start, period.end, ctx.now)
    return F.cached(ctx.engine, key, lambda: F.load_tasks(session, period, ctx.now, ctx.criteria))


# ---- evaluation: rates, targets, achievements, scores ------------------------------------------------


@dataclass(frozen=True)
class _Target:
    value: float | None
    source: str


@dataclass(frozen=True)
class _Evaluated:
    period: Period
    subjects: list[Subject]
    pooled: Pooled
    rates: dict  # (group, criterion key): array over subjects
    targets: dict  # (group, criterion key): _Target
    counted: dict
    role_scores: np.ndarray  # (subjects, groups), nan where none
    members_score: np.ndarray
    team: dict  # measure key: (numerator, denominator, value) arrays
    value: np.ndarray


def _ids(ctx: _Context, level: Level, period: Period) -> tuple[np.ndarray, list[Subject]]:
    table = ctx.subjects[level]
    if level is Level.OFFICER:
        scored = {r for g in ctx.criteria.roles for r in g.roles}
        chosen = sorted(
            oid for oid, (_, role, start, end) in table.items()
            if role in scored and start <= period.end and (end is None or end >= period.start)
        )
        return np.asarray(chosen, dtype=np.int64), [table[i][0] for i in chosen]
    chosen = sorted(table)
    return np.asarray(chosen, dtype=np.int64), [table[i] for i in chosen]


def _evaluate(ctx: _Context, session: Session, level: Level, period: Period) -> _Evaluated:
    ids, subjects = _ids(ctx, level, period)
    tasks = period_tasks(ctx, session, period) if level is not Level.OFFICER else {}
    pooled = pool(ctx.force, len(ctx.criteria.roles), period_facts(ctx, session, period), tasks, level, ids)
    targets = _targets(ctx, session, period)
    criteria, cap = ctx.criteria, ctx.criteria.rag.cap
    rates, counted = {}, {}
    role_scores = np.full((len(ids), len(criteria.roles)), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        for g, role in enumerate(criteria.roles):
            weighted, weights = np.zeros(len(ids)), np.zeros(len(ids))
            for c in role.criteria:
                rate = _rate(c.measure, pooled, g, ctx.amount_column(c))
                rates[(g, c.key)] = rate
                target = targets[(g, c.key)].value
                achieved = np.full(len(ids), np.nan) if not target else np.minimum(rate / target * 100, cap)
                counted[(g, c.key)] = achieved
                ok = ~np.isnan(achieved)
                weighted += np.where(ok, achieved * c.weight, 0)
                weights += np.where(ok, c.weight, 0)
            role_scores[:, g] = np.where((weights > 0) & (pooled.hours[:, g] > 0), weighted / weights, np.nan)
        hours = pooled.hours
        scored_hours = np.where(np.isnan(role_scores), 0, hours)
        members_score = np.where(scored_hours.sum(1) > 0,
                                 np.nansum(role_scores * scored_hours, 1) / scored_hours.sum(1), np.nan)
        team, value = {}, members_score
        if level is not Level.OFFICER:
            team, value = _team(ctx, pooled, members_score)
        value = np.where(hours.sum(1) > 0, value, np.nan)
    return _Evaluated(period, subjects, pooled, rates, targets, counted, role_scores, members_score, team, value)


def _rate(measure: str, pooled: Pooled, g: int, j: int | None) -> np.ndarray:
    amount, minutes = _amount(measure, pooled, g, j)
    scale = 6000.0 if measure == COUNT else 100.0  # per 100 hours (of minutes); percent of minutes
    return np.where(minutes > 0, amount / np.where(minutes > 0, minutes, 1) * scale, np.nan)


def _amount(measure: str, pooled: Pooled, g: int, j: int | None) -> tuple[np.ndarray, np.ndarray]:
    """What a criterion sums, and the duty minutes it is divided by, per subject."""
    if measure == OUTSIDE:
        return pooled.outside[:, g], pooled.base[:, g]
    return pooled.amounts[:, g, j], pooled.hours[:, g]


def _team(ctx: _Context, pooled: Pooled, members_score: np.ndarray) -> tuple[dict, np.ndarray]:
    criteria, cap = ctx.criteria, ctx.criteria.rag.cap
    mw = criteria.members_weight
    weighted = np.where(np.isnan(members_score), 0, members_score * mw)
    weights = np.where(np.isnan(members_score), 0, mw)
    team = {}
    for m in criteria.team:
        if m.measure == TASKS_ON_TIME:
            num, den = pooled.tasks_done, pooled.tasks_due
        else:
            num, den = pooled.outside.sum(1), pooled.base.sum(1)
        value = np.where(den > 0, num / np.where(den > 0, den, 1) * 100, np.nan)
        achieved = np.minimum(value / m.target * 100, cap)
        team[m.key] = (num, den, value, achieved)
        ok = ~np.isnan(achieved)
        weighted += np.where(ok, achieved * m.weight, 0)
        weights += np.where(ok, m.weight, 0)
    return team, np.where(weights > 0, weighted / np.where(weights > 0, weights, 1), np.nan)


def _targets(ctx: _Context, session: Session, period: Period) -> dict:
    """(group, criterion): the inspector's target, the file's, or the median baseline."""
    key = ("targets", ctx.totals_version, ctx.people_version, ctx.key, period.start, period.end, ctx.today)
    return F.cached(ctx.engine, key, lambda: _resolve_targets(ctx, session, period))


def _resolve_targets(ctx: _Context, session: Session, period: Period) -> dict:
    set_ = effective_targets(session, period.end)
    baseline = None
    result = {}
    for g, role in enumerate(ctx.criteria.roles):
        for c in role.criteria:
            record = set_.get((role.key, c.key))
            file_target = ctx.criteria.file_target(c)
            if record is not None:
                result[(g, c.key)] = _Target(record.value, record.source)
            elif file_target is not None:
                what = "force target" if c.measure == OUTSIDE and c.target is None else "target"
                result[(g, c.key)] = _Target(file_target, f"{what} in {ctx.criteria.source}")
            else:
                if baseline is None:
                    baseline = _baselines(ctx, session, period.previous())
                result[(g, c.key)] = baseline[(g, c.key)]
    return result


def _baselines(ctx: _Context, session: Session, previous: Period) -> dict:
    """Each criterion's force-wide median rate over the role's officers with duty hours in ``previous``.

    Where the median is 0 (rare events: most officers execute no warrant in 28 days) the role's
    pooled force-wide rate stands in, so the criterion still counts; the source says so."""
    ids, _ = _ids(ctx, Level.OFFICER, previous)
    pooled = pool(ctx.force, len(ctx.criteria.roles), period_facts(ctx, session, previous), {}, Level.OFFICER, ids)
    span = f"{previous.start:%d %b %Y} – {previous.end:%d %b %Y}"
    result = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for g, role in enumerate(ctx.criteria.roles):
            for c in role.criteria:
                j = ctx.amount_column(c)
                rate = _rate(c.measure, pooled, g, j)
                has_hours = ~np.isnan(rate)
                if not has_hours.any():
                    result[(g, c.key)] = _Target(None, f"no target: no {role.key} had duty hours in {span}")
                    continue
                median = float(np.median(rate[has_hours]))
                who = f"{int(has_hours.sum())} {role.key}s, {span}"
                if median > 0:
                    result[(g, c.key)] = _Target(median, f"baseline: force median of {who}")
                    continue
                amount, minutes = _amount(c.measure, pooled, g, j)
                pooled_rate = float(amount[has_hours].sum() / minutes[has_hours].sum()) * (
                    6000.0 if c.measure == COUNT else 100.0)
                if pooled_rate > 0:
                    result[(g, c.key)] = _Target(pooled_rate, f"baseline: force rate of {who} (the median is 0)")
                else:
                    result[(g, c.key)] = _Target(None, f"no target: none logged by {who}")
    return result


# ---- results ------------------------------------------------------------------------------------------


def _num(value) -> float | None:
    value = float(value)
    return None if value != value else value  # NaN: not a number, so no value


def _scores(ctx: _Context, now: _Evaluated, before: _Evaluated) -> dict[int, Score]:
    """The headline of every subject at once; each breakdown is built when first asked for."""
    rag, p = ctx.criteria.rag, now.pooled
    before_row = rows_of(before.pooled.ids, p.ids).tolist()
    values, previous = now.value.tolist(), before.value.tolist()
    hours, members = (p.hours.sum(1) / 60).tolist(), now.members_score.tolist()
    result = {}
    for i, subject in enumerate(now.subjects):
        j = before_row[i]
        value = None if values[i] != values[i] else values[i]
        before_value = None if j < 0 or previous[j] != previous[j] else previous[j]
        reason = "" if value is not None else NO_DUTY_HOURS if hours[i] == 0 else NO_TARGETS
        result[subject.id] = Score(
            subject, now.period, value, rag.of(value), reason, hours[i],
            None if members[i] != members[i] else members[i], before_value,
            partial(_breakdown, ctx, now, before, i, None if j < 0 else j),
        )
    return result


def _breakdown(ctx: _Context, now: _Evaluated, before: _Evaluated, i: int, j: int | None) -> tuple[tuple, tuple]:
    """One subject's criteria by role, and its team measures."""
    criteria, p = ctx.criteria, now.pooled
    rag = criteria.rag
    subject = now.subjects[i]
    roles = []
    for g, role in enumerate(criteria.roles):
        if subject.level is Level.OFFICER and not _is_role(ctx, subject.id, g):
            continue  # an officer's score shows their own role only
        items = []
        for c in role.criteria:
            target = now.targets[(g, c.key)]
            rate = _num(now.rates[(g, c.key)][i])
            amount, minutes = _amount(c.measure, p, g, ctx.amount_column(c))
            achieved = None if rate is None or not target.value else rate / target.value * 100
            items.append(CriterionScore(
                role.key, c.key, c.label, c.principle, c.unit, c.weight, float(amount[i]), float(minutes[i] / 60),
                int(p.members[i, g]), rate, target.value, target.source, achieved,
                _num(now.counted[(g, c.key)][i]), rag.of(achieved),
                None if j is None else _num(before.rates[(g, c.key)][j]),
            ))
        roles.append(RoleScore(role.key, role.label, float(p.hours[i, g] / 60), int(p.members[i, g]),
                               _num(now.role_scores[i, g]), tuple(items)))
    team = []
    for m in criteria.team if subject.level is not Level.OFFICER else ():
        num, den, value, counted = now.team[m.key]
        v = _num(value[i])
        achieved = None if v is None else v / m.target * 100
        team.append(TeamScore(
            m.key, m.label, m.principle, m.unit, m.weight, float(num[i]), float(den[i]), v, m.target, achieved,
            _num(counted[i]), rag.of(achieved), None if j is None else _num(before.team[m.key][2][j]),
        ))
    return tuple(roles), tuple(team)


def _is_role(ctx: _Context, officer_id: int, g: int) -> bool:
    return int(F.lookup(ctx.force.officer_group, np.asarray([officer_id]))[0]) == g


def _index(ids: np.ndarray, subject_id: int) -> int | None:
    k = int(np.searchsorted(ids, subject_id))
    return k if k < len(ids) and ids[k] == subject_id else None


def _level(level: Level | str) -> Level:
    try:
        return Level(level)
    except ValueError:
        raise ValidationError(f"level: {level!r} is not one of {', '.join(x.value for x in Level)}.") from None
