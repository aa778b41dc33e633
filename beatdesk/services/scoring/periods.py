"""Scoring periods: runs of Europe/London calendar days, and the period of equal length before each.

Days are the ones officers write on forms (``daily_total.day``, ``duty_record.duty_date``). Every
named period ends on a given day, inclusive; its ``previous`` is the same number of days just before
it, which is what the change arrows and the median baseline compare with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from beatdesk.errors import ValidationError

LONDON = ZoneInfo("Europe/London")


def reading_time(now: datetime | None) -> datetime:
    """The moment scores are read at: ``now`` as given (tests, reprints), else the current hour. To the
    hour, because tasks fall due by the hour: the map, the tables and a report then share cached reads."""
    if now is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    if now.tzinfo is None:
        raise ValidationError(f"now: {now!r} has no time zone.")
    return now


class PeriodKind(StrEnum):
    WEEK = "week"
    DAYS_28 = "28 days"
    QUARTER = "quarter"
    YEAR = "12 months"
    CUSTOM = "custom"


_DAYS = {PeriodKind.WEEK: 7, PeriodKind.DAYS_28: 28, PeriodKind.QUARTER: 91}


@dataclass(frozen=True, order=True)
class Period:
    """``start`` to ``end``, both London days and both included."""

    start: date
    end: date
    kind: PeriodKind = PeriodKind.CUSTOM

    def __post_init__(self):
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, date) or isinstance(value, datetime):
                raise ValidationError(f"period: {name} {value!r} is not a date.")
        if self.end < self.start:
            raise ValidationError(f"period: ends on {self.end} before it starts on {self.start}.")

    @classmethod
    def ending(cls, kind: PeriodKind | str, end: date) -> Period:
        """A week (7 days), 28 days, quarter (13 weeks) or rolling 12 months ending on ``end``."""
        try:
            kind = PeriodKind(kind)
        except ValueError:
            raise ValidationError(f"period: {kind!r} is not one of {', '.join(k.value for k in PeriodKind)}.") from None
        if kind is PeriodKind.CUSTOM:
            raise ValidationError("period: a custom period needs its start; use Period.custom(start, end).")
        if kind is PeriodKind.YEAR:
            return cls(_year_before(end) + timedelta(days=1), end, kind)
        return cls(end - timedelta(days=_DAYS[kind] - 1), end, kind)

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        return cls(start, end, PeriodKind.CUSTOM)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, self.kind)

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The instants the period starts and ends (exclusive), for columns stored in UTC."""
        first = datetime.combine(self.start, time(0), tzinfo=LONDON).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=LONDON).astimezone(UTC)
        return first, after

    @property
    def label(self) -> str:
        span = f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"
        return span if self.kind is PeriodKind.CUSTOM else f"{self.kind.value} to {self.end:%d %b %Y} ({span})"


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
