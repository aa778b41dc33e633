"""The evidence behind one criterion or team measure of a score, as rows of text for the map's panel.

Read-only. It picks the drill-down that fits the measure (entries for counts and minutes, duties for
time outside, tasks for tasks on time) from ``scoring.explain`` and names the officers, so the
interface shows the rows as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlmodel import Session

from beatdesk.models import Officer
from beatdesk.services.actor import Actor
from beatdesk.services.scoring import Level, Period, duties_behind, entries_behind, load_criteria, tasks_behind
from beatdesk.services.scoring.criteria import OUTSIDE, TASKS_ON_TIME
from beatdesk.services.scoring.periods import LONDON

TEAM = "team"  # the role given for a team measure


@dataclass(frozen=True)
class EvidenceRow:
    when: str  # London time, as officers wrote it
    officer: str  # "1001 Zara Ahmed"
    what: str
    amount: str

    @property
    def text(self) -> str:
        return f"{self.when} · {self.officer} · {self.what} · {self.amount}"


def evidence_rows(
    engine: Engine, actor: Actor, level: Level | str, subject_id: int, role: str, key: str, period: Period,
) -> list[EvidenceRow]:
    """What criterion ``key`` of ``role`` (or team measure ``key`` when ``role`` is ``TEAM``) counted."""
    criteria = load_criteria()
    if role == TEAM:
        measure = next(m for m in criteria.team if m.key == key)
        if measure.measure == TASKS_ON_TIME:
            tasks = tasks_behind(engine, actor, level, subject_id, period)
            names = _names(engine, {t.task.officer_id for t in tasks if t.task.officer_id})
            return [EvidenceRow(_when(t.task.window_start), names.get(t.task.officer_id, "unassigned"),
                                f"{t.task.type.label}: {t.task.status.value}",
                                "on time" if t.on_time else "not on time") for t in tasks]
        return _duties(engine, duties_behind(engine, actor, level, subject_id, None, period))
    if criteria.role(role).criterion(key).measure == OUTSIDE:
        return _duties(engine, duties_behind(engine, actor, level, subject_id, role, period))
    entries = entries_behind(engine, actor, level, subject_id, role, key, period)
    names = _names(engine, {e.officer_id for e in entries})
    return [EvidenceRow(_when(e.occurred_at), names.get(e.officer_id, f"#{e.officer_id}"),
                        e.reference or e.kind.label,
                        f"{e.minutes} min" if e.minutes is not None else f"× {e.count}") for e in entries]


def _duties(engine: Engine, duties: list) -> list[EvidenceRow]:
    names = _names(engine, {d.officer_id for d in duties})
    return [EvidenceRow(_when(d.start), names.get(d.officer_id, f"#{d.officer_id}"),
                        f"duty {(d.end - d.start).total_seconds() / 3600:.1f} h",
                        "outside not recorded" if d.minutes_outside is None else f"{d.minutes_outside} min outside")
            for d in duties]


def _names(engine: Engine, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    with Session(engine) as session:
        rows = session.execute(select(Officer.id, Officer.collar_number, Officer.name).where(Officer.id.in_(ids)))
        return {i: f"{collar} {name}" for i, collar, name in rows}


def _when(moment) -> str:
    return f"{moment.astimezone(LONDON):%a %d %b %Y %H:%M}"
