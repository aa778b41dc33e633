"""What scoring returns: a score that explains itself, criterion by criterion, down to its totals.

``Score`` > ``CriterionScore`` / ``TeamScore`` (rate, target and where it came from, achievement,
weight, RAG) > their totals (amount, duty hours, members). The entries behind a criterion come from
``explain.entries_behind`` with the same subject, role, criterion and period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from beatdesk.services.scoring.periods import Period

NO_DUTY_HOURS = "no score (no duty hours)"
NO_TARGETS = "no score (no criterion has a target)"


class Level(StrEnum):
    OFFICER = "officer"
    BEAT = "beat"
    SECTOR = "sector"
    LPA = "lpa"
    FORCE = "force"


@dataclass(frozen=True)
class Subject:
    level: Level
    id: int  # 0 for the force
    code: str
    name: str


@dataclass(frozen=True)
class CriterionScore:
    """One criterion of one role for a subject.

    ``amount`` is the count, or minutes (time in places, time outside), summed over the members'
    entries or duties; ``duty_hours`` the hours it is divided by (for time outside: hours of the duties
    with time outside recorded). ``rate`` is in ``unit``; ``achievement`` = rate / target, in percent;
    ``counted`` the achievement as it enters the score (capped).
    """

    role: str
    key: str
    label: str
    principle: str
    unit: str
    weight: float
    amount: float
    duty_hours: float
    members: int
    rate: float | None
    target: float | None
    target_source: str
    achievement: float | None
    counted: float | None
    rag: str | None
    previous_rate: float | None = None

    @property
    def change(self) -> float | None:
        """Rate now minus the rate in the previous period of the same length."""
        if self.rate is None or self.previous_rate is None:
            return None
        return self.rate - self.previous_rate


@dataclass(frozen=True)
class TeamScore:
    """A team measure of a beat, sector, LPA or the force: ``value`` is ``numerator / denominator`` in %."""

    key: str
    label: str
    principle: str
    unit: str
    weight: float
    numerator: float
    denominator: float
    value: float | None
    target: float
    achievement: float | None
    counted: float | None
    rag: str | None
    previous_value: float | None = None


@dataclass(frozen=True)
class RoleScore:
    """The members of one role (PC, PCSO) within a subject: their pooled criteria and score."""

    role: str
    label: str
    duty_hours: float
    members: int
    score: float | None
    criteria: tuple[CriterionScore, ...]


@dataclass(frozen=True)
class Score:
    """The overall score (percent of target, weighted) of a subject for a period.

    ``value`` is None with ``reason`` saying why (no duty hours; no targets). ``roles`` holds the
    criteria by role (one for an officer), ``team`` the team measures (none for an officer); both are
    worked out when first read, so a map of 600 beats pays only for the headline figures.
    """

    subject: Subject
    period: Period
    value: float | None
    rag: str | None
    reason: str
    duty_hours: float
    members_score: float | None
    previous_value: float | None
    breakdown: Callable[[], tuple[tuple[RoleScore, ...], tuple[TeamScore, ...]]] = field(repr=False, compare=False)

    @property
    def change(self) -> float | None:
        """Score now minus the score in the previous period of the same length (percentage points)."""
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value

    @cached_property
    def _parts(self) -> tuple[tuple[RoleScore, ...], tuple[TeamScore, ...]]:
        return self.breakdown()

    @property
    def roles(self) -> tuple[RoleScore, ...]:
        return self._parts[0]

    @property
    def team(self) -> tuple[TeamScore, ...]:
        return self._parts[1]

    @property
    def criteria(self) -> tuple[CriterionScore, ...]:
        return tuple(c for r in self.roles for c in r.criteria)

    def criterion(self, role: str, key: str) -> CriterionScore:
        return next(c for c in self.criteria if c.role == role and c.key == key)

    def team_measure(self, key: str) -> TeamScore:
        return next(t for t in self.team if t.key == key)
