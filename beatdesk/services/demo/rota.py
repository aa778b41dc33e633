"""When each demo officer worked, and how much of each duty they spent outside the station.

Neighbourhood rotas alternate weeks of earlies and lates (urban and town-centre PCs add a week of
nights), with rest days that move round the week so weekends are shared. Full-timers work five 8-hour
or four 10-hour duties a week, part-timers three 8-hour duties on fixed days; leave blocks, odd days off and short
sicknesses take some away, and at least 11 hours' rest separate two duties. Inspectors and staff work
office days. Specials volunteer an evening or two a week. Shift times are Europe/London wall-clock
times, stored in UTC.

From ``planned_from`` on, the same pattern gives the planned rota: rostered times only, with no
overtime and no time outside, since neither is known before the duty is worked.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from beatdesk.models import Role
from beatdesk.services.demo.establishment import Member, Setting

LONDON = ZoneInfo("Europe/London")
MIN_REST = timedelta(hours=11)

# Local start time by shift and planned length in hours; a 10-hour late runs to midnight.
_SHIFTS: dict[str, dict[int, time]] = {
    "early": {8: time(7), 10: time(7)},
    "late": {8: time(14), 10: time(14)},
    "night": {8: time(22), 10: time(21)},
}
_PCSO_SHIFTS: dict[str, dict[int, time]] = {"early": {8: time(8), 10: time(8)}, "late": {8: time(14), 10: time(13)}}
_NIGHT_HOURS = {8: 9, 10: 10}
# Seasonal nudge to time outside: summer patrols last longer than wet winter ones.
_OUTSIDE_SEASON = (-0.015, -0.015, -0.005, 0.0, 0.01, 0.015, 0.015, 0.015, 0.005, 0.0, -0.01, -0.015)


@dataclass(frozen=True, slots=True)
class Duty:
    member: Member
    duty_date: date
    start: datetime
    end: datetime
    shift: str
    minutes_outside: int | None
    local_start_minute: int  # minutes after local midnight: which day an entry's clock time falls on
    minutes: int  # length of the duty

    def row(self) -> dict:
        return {
            "officer_id": self.member.officer_id,
            "duty_date": self.duty_date,
            "start": self.start,
            "end": self.end,
            "minutes_outside": self.minutes_outside,
            # the beat worked, as the officer's row has it: none for those posted to a sector
            "beat_id": None if self.member.sector_id is not None or self.member.beat is None else self.member.beat.id,
        }


def duties_for(
    member: Member, rng: random.Random, period_start: date, period_end: date, planned_from: date | None = None
) -> list[Duty]:
    """Every duty ``member`` worked (or, from ``planned_from``, is rostered for) between the period's
    dates, within their dates of service. Leave runs on across the two, as it does in a real rota."""
    first = max(period_start, member.start_date)
    last = min(period_end, member.end_date or period_end)
    if first > last:
        return []
    away = _days_away(rng, first, last)
    worked_end = planned_from or period_end + timedelta(days=1)
    span = max(1, (worked_end - period_start).days - 1)
    duties: list[Duty] = []
    last_end: datetime | None = None
    day = first
    while day <= last:
        shift = _shift_on(member, rng, day) if day not in away else None
        if shift is not None:
            local_start, hours = _start_and_hours(member, shift, day, rng)
            start = local_start.astimezone(UTC)
            if last_end is None or start - last_end >= MIN_REST:
                end = start + timedelta(hours=hours)
                if day >= worked_end:
                    outside = None
                else:
                    if member.role in (Role.PC, Role.SERGEANT, Role.SPECIAL) and rng.random() < 0.08:
                        end += timedelta(minutes=rng.choice((30, 45, 60, 90, 120)))  # overtime: a late arrest
                    progress = (day - period_start).days / span
                    outside = _outside(member, rng, shift, day, start, end, progress)
                minute = local_start.hour * 60 + local_start.minute
                length = int((end - start).total_seconds() // 60)
                duties.append(Duty(member, day, start, end, shift, outside, minute, length))
                last_end = end
        day += timedelta(days=1)
    return duties


def _shift_on(member: Member, rng: random.Random, day: date) -> str | None:
    """The shift ``member`` is rostered for on ``day``, or None for a rest day."""
    weekday = day.weekday()
    week = (day.toordinal() - 1) // 7 + member.rota_offset  # weeks run Monday to Sunday
    if member.role in (Role.INSPECTOR, Role.STAFF):
        days = 3 if member.part_time else 5
        return "day" if weekday < days else None
    if member.role is Role.SPECIAL:
        if weekday in (4, 5) and rng.random() < 0.55:
            return "evening"
        return "evening" if weekday == 3 and rng.random() < 0.15 else None
    if member.part_time:
        first_day = member.rota_offset % 5
        on = first_day <= weekday < first_day + 3
    else:
        working = 5 if member.shift_hours == 8 else 4
        rest_start = (week * 2) % 7
        on = (weekday - rest_start) % 7 >= 7 - working
    if not on:
        return None
    if member.role is Role.PC and member.beat.setting in (Setting.TOWN_CENTRE, Setting.URBAN):
        cycle = ("early", "late", "early", "late", "night")
    else:
        cycle = ("early", "late")
    return cycle[week % len(cycle)]


def _start_and_hours(member: Member, shift: str, day: date, rng: random.Random) -> tuple[datetime, int]:
    """Local (Europe/London) start of the shift and its planned length in hours."""
    hours = member.shift_hours
    if shift == "day":
        local, hours = (time(8), 9) if member.role is Role.INSPECTOR else (time(8, 30), 8)
    elif shift == "evening":
        local, hours = time(18), 8
    elif member.role is Role.PCSO:
        local = _PCSO_SHIFTS[shift][hours]
    else:
        local = _SHIFTS[shift][hours]
        if shift == "night":
            hours = _NIGHT_HOURS[hours]
    start = datetime.combine(day, local, tzinfo=LONDON)
    if shift in ("early", "late") and rng.random() < 0.15:
        start += timedelta(minutes=rng.choice((-60, -30, 30, 60)))  # covering an event or a briefing
    return start, hours


def _outside(member: Member, rng: random.Random, shift: str, day: date, start: datetime, end: datetime,
             progress: float) -> int | None:
    """Minutes outside the station. Staff work inside and record none.

    Nights lose time to custody and paperwork; the force improves slightly over the period, as it did
    from 57.5 % to 58.9 % in 2021.
    """
    if member.role is Role.STAFF:
        return None
    share = member.outside + _OUTSIDE_SEASON[day.month - 1] + 0.02 * (progress - 0.5) + rng.gauss(0, 0.07)
    if shift == "night":
        share -= 0.04
    minutes = (end - start).total_seconds() / 60
    return round(minutes * min(0.92, max(0.05, share)))


def _days_away(rng: random.Random, first: date, last: date) -> set[date]:
    """Annual leave (blocks, often in the summer holidays), odd days off and short sicknesses."""
    away: set[date] = set()
    days = (last - first).days + 1
    for _ in range(round(days / 365 * 2.5 + rng.random() - 0.5)):
        length = rng.randint(5, 14)
        if rng.random() < 0.4:  # summer holidays
            year = first.year if first.month <= 8 else first.year + 1
            begin = date(year, 7, rng.randint(15, 31)) + timedelta(days=rng.randint(0, 25))
        else:
            begin = first + timedelta(days=rng.randrange(days))
        away.update(begin + timedelta(days=i) for i in range(length))
    day = first
    while day <= last:
        if rng.random() < 0.025:
            away.add(day)
        if rng.random() < 0.004:
            away.update(day + timedelta(days=i) for i in range(rng.randint(1, 5)))
        day += timedelta(days=1)
    return away
