"""The beat activity logged on each demo duty, by the Blueprint measure of the officer's role.

Rates are per 8 hours on duty and multiply by the beat's setting, the team's and the person's
drive, the shift and the month. They are set so a typical beat team is well below the busy Priority
Area Team of 2020 (DESIGN.md) and the town-centre team comes near it; neighbourhood stop-searches
total roughly a third of the force's 262–345 a month, about a quarter of them positive.
"""

from __future__ import annotations

import math
import random
import heapq
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from beatdesk.models import ActivityKind as K
from beatdesk.models import IntelSource, Role
from beatdesk.services.demo.establishment import Member, Setting
from beatdesk.services.demo.notes import notes_for
from beatdesk.services.demo.places import BeatPlaces
from beatdesk.services.demo.rota import Duty

RATES: dict[Role, dict[K, float]] = {
    Role.PC: {K.ARREST: 0.075, K.STOP_SEARCH: 0.03, K.WARRANT: 0.03, K.PPN: 0.15, K.INCIDENT: 0.42,
              K.INTELLIGENCE: 0.22},
    Role.PCSO: {K.ENGAGEMENT: 2.6, K.WATCH_SCHEME: 0.007, K.PPN: 0.08, K.INTELLIGENCE: 0.2},
    Role.SERGEANT: {K.ARREST: 0.03, K.INCIDENT: 0.2, K.PPN: 0.05, K.INTELLIGENCE: 0.08},
    Role.SPECIAL: {K.ARREST: 0.1, K.STOP_SEARCH: 0.05, K.INCIDENT: 0.7, K.INTELLIGENCE: 0.15},
}
PCSO_PATROLS = 2.2  # dedicated-place patrols per 8 hours
_PATROL_MINUTES = (15, 20, 30, 30, 45, 45, 60, 90)

_SETTING_FACTOR: dict[Setting, dict[K, float]] = {
    Setting.TOWN_CENTRE: {K.ARREST: 2.0, K.STOP_SEARCH: 2.6, K.WARRANT: 1.3, K.PPN: 1.2, K.INCIDENT: 1.5,
                          K.INTELLIGENCE: 1.3, K.ENGAGEMENT: 1.15, K.WATCH_SCHEME: 0.6, K.DEDICATED_PLACE: 1.3},
    Setting.URBAN: {K.ARREST: 1.2, K.STOP_SEARCH: 1.3, K.WARRANT: 1.2, K.PPN: 1.15, K.INCIDENT: 1.15,
                    K.INTELLIGENCE: 1.1, K.ENGAGEMENT: 1.0, K.WATCH_SCHEME: 0.9, K.DEDICATED_PLACE: 1.1},
    Setting.TOWN: {K.ARREST: 0.85, K.STOP_SEARCH: 0.7, K.WARRANT: 0.9, K.PPN: 0.95, K.INCIDENT: 0.9,
                   K.INTELLIGENCE: 0.95, K.ENGAGEMENT: 1.0, K.WATCH_SCHEME: 1.1, K.DEDICATED_PLACE: 0.95},
    Setting.RURAL: {K.ARREST: 0.45, K.STOP_SEARCH: 0.35, K.WARRANT: 0.6, K.PPN: 0.7, K.INCIDENT: 0.6,
                    K.INTELLIGENCE: 0.85, K.ENGAGEMENT: 0.85, K.WATCH_SCHEME: 1.6, K.DEDICATED_PLACE: 0.8},
}
# Warrants go in early in the morning; arrests and searches come with the night-time economy.
_SHIFT_FACTOR: dict[str, dict[K, float]] = {
    "early": {K.WARRANT: 1.8, K.ARREST: 0.9, K.STOP_SEARCH: 0.7, K.INCIDENT: 0.85, K.ENGAGEMENT: 1.1},
    "late": {K.WARRANT: 0.5, K.ARREST: 1.1, K.STOP_SEARCH: 1.3, K.INCIDENT: 1.15, K.ENGAGEMENT: 0.9},
    "night": {K.WARRANT: 0.3, K.ARREST: 1.8, K.STOP_SEARCH: 1.6, K.INCIDENT: 1.3, K.PPN: 0.8},
    "evening": {K.ARREST: 1.3, K.STOP_SEARCH: 1.4, K.INCIDENT: 1.2},
}
# Month factors, January first: engagement peaks in summer; dark nights bring burglary, watch schemes
# and intelligence; December adds the night-time economy and domestic abuse.
_SEASON: dict[K, tuple[float, ...]] = {
    K.ENGAGEMENT: (0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.3, 1.3, 1.1, 1.0, 0.85, 0.75),
    K.DEDICATED_PLACE: (0.9, 0.9, 0.95, 1.0, 1.05, 1.1, 1.1, 1.1, 1.0, 1.0, 0.95, 0.9),
    K.WATCH_SCHEME: (1.3, 1.1, 0.9, 0.8, 0.8, 0.7, 0.7, 0.8, 0.9, 1.3, 1.6, 1.4),
    K.INTELLIGENCE: (1.1, 1.05, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.15, 1.15),
    K.INCIDENT: (0.9, 0.9, 0.95, 1.0, 1.05, 1.15, 1.2, 1.15, 1.0, 1.0, 1.0, 1.1),
    K.ARREST: (1.05, 1.0, 1.0, 1.0, 1.0, 1.05, 1.1, 1.05, 1.0, 1.0, 1.05, 1.1),
    K.STOP_SEARCH: (1.1, 1.05, 1.0, 0.95, 0.95, 1.0, 1.05, 1.0, 1.0, 1.1, 1.15, 1.15),
    K.PPN: (1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.05, 1.0, 1.0, 1.05, 1.2),
}
_FLAT = (1.0,) * 12
_NEXT_DAY = timedelta(days=1)
_DAY_MINUTES = 24 * 60
DARK_MONTHS = frozenset({1, 2, 10, 11, 12})
POSITIVE_SEARCH = 0.25

_INTEL_SOURCES = tuple(IntelSource)
_EVEN = (25, 25, 25, 25)
_INTEL_WEIGHTS: dict[Role, tuple[int, ...]] = {  # Community, Partnership, Police activity, Observations
    Role.PCSO: (45, 15, 10, 30),
    Role.PC: (20, 15, 40, 25),
}

PREFIX = {K.ARREST: "ARR", K.STOP_SEARCH: "SS", K.WARRANT: "WAR", K.PPN: "PPN", K.INCIDENT: "INC",
          K.ENGAGEMENT: "ENG", K.WATCH_SCHEME: "WS", K.INTELLIGENCE: "INT", K.DEDICATED_PLACE: "DP"}

_Rate = tuple[K, float, dict[str, float], tuple[float, ...]]  # kind, personal rate, by shift, by month


class ActivityMaker:
    """Turns duties into activity-entry rows, numbering references per kind and day in time order."""

    def __init__(self, seed: int, places: dict[int, BeatPlaces]):
        self._seed = seed
        self._places = places
        self._people: dict[str, tuple[random.Random, list[_Rate]]] = {}
        self._refs_rng = random.Random(f"{seed}:references")
        self._counters: dict[tuple[str, date], int] = {}
        self._day_text: dict[date, str] = {}
        self.duties_seen = 0

    def rows(self, duties: Iterable[Duty]) -> Iterator[dict]:
        """Every entry of ``duties`` (given in order of start), yielded in time order with its reference.

        An entry cannot precede its duty's start, so once a duty starts, every held entry before that
        moment is final: a heap keeps the stream ordered without holding the whole year.
        """
        held: list[tuple[datetime, int, date, dict]] = []
        order = 0
        for duty in duties:
            while held and held[0][0] < duty.start:
                yield self._numbered(*heapq.heappop(held)[2:])
            midnight = duty.start + timedelta(minutes=_DAY_MINUTES - duty.local_start_minute)
            for row in self.entries(duty):
                day = duty.duty_date if row["occurred_at"] < midnight else duty.duty_date + _NEXT_DAY
                heapq.heappush(held, (row["occurred_at"], order, day, row))
                order += 1
        while held:
            yield self._numbered(*heapq.heappop(held)[2:])

    def entries(self, duty: Duty) -> list[dict]:
        """One duty's entries, not yet numbered."""
        self.duties_seen += 1
        member = duty.member
        rng, rates = self._person(member)
        if not rates:
            return []
        month0 = duty.duty_date.month - 1
        shifts = duty.minutes / 480
        rows = []
        for kind, rate, by_shift, season in rates:
            for _ in range(_poisson(rng, shifts * rate * by_shift.get(duty.shift, 1.0) * season[month0])):
                rows.append(self._row(rng, duty, kind, int(rng.random() * duty.minutes), None))
        if member.role is Role.PCSO:
            rows.extend(self._patrols(rng, duty, shifts))
        return rows

    def _person(self, member: Member) -> tuple[random.Random, list[_Rate]]:
        """The member's own random stream and per-kind rates, worked out once."""
        found = self._people.get(member.collar_number)
        if found is None:
            setting = member.beat.setting
            rates = [
                (kind, rate * member.drive * member.busyness * _SETTING_FACTOR[setting][kind],
                 {shift: f[kind] for shift, f in _SHIFT_FACTOR.items() if kind in f}, _SEASON.get(kind, _FLAT))
                for kind, rate in RATES.get(member.role, {}).items()
            ]
            found = random.Random(f"{self._seed}:activity:{member.collar_number}"), rates
            self._people[member.collar_number] = found
        return found

    def _patrols(self, rng: random.Random, duty: Duty, shifts: float) -> list[dict]:
        """Dedicated-place patrols, which together never exceed the duty's time outside."""
        member = duty.member
        setting_factor = _SETTING_FACTOR[member.beat.setting][K.DEDICATED_PLACE]
        season = _SEASON[K.DEDICATED_PLACE][duty.duty_date.month - 1]
        lam = shifts * PCSO_PATROLS * member.drive * member.busyness * setting_factor * season
        budget = int((duty.minutes_outside or 0) * 0.7)
        rows = []
        for _ in range(_poisson(rng, lam)):
            minutes = min(budget, _pick(rng, _PATROL_MINUTES))
            if minutes < 15 or duty.minutes - minutes <= 30:
                break
            budget -= minutes
            offset = 20 + int(rng.random() * (duty.minutes - minutes - 20))
            rows.append(self._row(rng, duty, K.DEDICATED_PLACE, offset, minutes))
        return rows

    def _row(self, rng: random.Random, duty: Duty, kind: K, offset: int, minutes: int | None) -> dict:
        member = duty.member
        beat = _pick(rng, member.covers) if member.role is Role.SERGEANT else member.beat
        east, north = self._places[beat.id].point(rng, True if kind is K.DEDICATED_PLACE else None)
        source = None
        if kind is K.INTELLIGENCE:
            source = rng.choices(_INTEL_SOURCES, _INTEL_WEIGHTS.get(member.role, _EVEN))[0]
        return {
            "kind": kind,
            "count": 1,
            "minutes": minutes,
            "officer_id": member.officer_id,
            "beat_id": beat.id,
            "occurred_at": duty.start + timedelta(minutes=offset),
            "reference": None,  # numbered in time order by rows()
            "note": _pick(rng, notes_for(kind, duty.duty_date.month in DARK_MONTHS, beat.setting)),
            "point_easting": east,
            "point_northing": north,
            "intel_source": source,
            "outcome_linked": (rng.random() < POSITIVE_SEARCH) if kind is K.STOP_SEARCH else None,
            "created_at": duty.end,  # logged at the end of the duty
        }

    def _numbered(self, day: date, row: dict) -> dict:
        """``INC-20240512-0412``: a running number per kind and local day, with gaps for other teams."""
        key = (PREFIX[row["kind"]], day)
        number = self._counters.get(key, 0) + 1 + int(self._refs_rng.random() * 3)
        self._counters[key] = number
        text = self._day_text.get(day)
        if text is None:
            text = self._day_text[day] = day.strftime("%Y%m%d")
        row["reference"] = f"{key[0]}-{text}-{number:04d}"
        return row


def _pick(rng: random.Random, items):
    """``rng.choice`` without its overhead: this runs a few hundred thousand times."""
    return items[int(rng.random() * len(items))]


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method: fine for the small means used here."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
