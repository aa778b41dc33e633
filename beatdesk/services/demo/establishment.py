"""Who is posted where in the demo force, and the traits that shape their duties and activity.

Team sizes follow the beat's setting: the Castle town-centre beat (NT01) has the largest team, urban
beats larger teams than market towns, rural beats the smallest. Postings:

* PCs, PCSOs and special constables are posted to a beat.
* A sergeant supervises two or three neighbouring beats of one sector (:func:`sergeant_groups`) and is
  posted to the first of them, their *lead beat*; ``BeatSergeant`` rows record every beat they direct.
* An inspector and a member of police staff are posted to each sector.

A few PC and PCSO posts change hands during the period (a leaver, then a joiner after a vacancy), and
a few people work part time.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from beatdesk.models import Role
from beatdesk.services.demo.names import Namer


class Setting(StrEnum):
    """How busy and how built-up a beat is; drives team size and activity rates."""

    TOWN_CENTRE = "town centre"
    URBAN = "urban"
    TOWN = "market town"
    RURAL = "rural"


BEAT_SETTINGS: dict[str, Setting] = {
    "NT01": Setting.TOWN_CENTRE,
    **dict.fromkeys(
        "NT02 NT03 NT04 NT05 NS01 NS02 NS03 NS04 NS05 NS06 CB02 CB03 CB04 KT01 KT02 WB01 WB02".split(),
        Setting.URBAN,
    ),
    **dict.fromkeys("KT03 KT04 KT05 EN03 EN04 EN05 DV01 SN01 SN02".split(), Setting.TOWN),
    **dict.fromkeys("CB01 EN01 EN02 WB03 WB04 DV02 DV03 DV04 SN03".split(), Setting.RURAL),
}

# (PCs, PCSOs) as inclusive ranges per setting.
_TEAM_SIZE: dict[Setting, tuple[tuple[int, int], tuple[int, int]]] = {
    Setting.TOWN_CENTRE: ((7, 7), (5, 5)),
    Setting.URBAN: ((4, 6), (3, 4)),
    Setting.TOWN: ((3, 4), (2, 3)),
    Setting.RURAL: ((2, 3), (2, 3)),
}
SPECIALS = 12
PART_TIME_SHARE = 0.08
TURNOVER_SHARE = 0.07
# Team share of duty time outside the station: spread evenly over this range, then shuffled, so every
# seed has teams clearly under and clearly over the 60 % target and a force average near 58–59 %.
TEAM_OUTSIDE_RANGE = (0.50, 0.69)
ROLE_OUTSIDE_OFFSET = {
    Role.PC: -0.01,
    Role.PCSO: 0.03,
    Role.SPECIAL: 0.08,
    Role.SERGEANT: -0.10,
    Role.INSPECTOR: -0.28,
    Role.STAFF: 0.0,
}


@dataclass(frozen=True)
class BeatInfo:
    id: int
    code: str
    sector_id: int
    sector_code: str
    easting: float
    northing: float
    setting: Setting = Setting.TOWN

    @classmethod
    def of(cls, id: int, code: str, sector_id: int, sector_code: str, easting: float, northing: float) -> BeatInfo:
        """A beat with its setting from :data:`BEAT_SETTINGS` (a market town if the plan gains a beat)."""
        return cls(id, code, sector_id, sector_code, easting, northing, BEAT_SETTINGS.get(code, Setting.TOWN))


@dataclass(frozen=True)
class Team:
    """Traits shared by a beat's team: how much time it spends outside and how busy it is."""

    beat: BeatInfo
    outside: float
    busyness: float


@dataclass
class Member:
    """An officer to be created, with the hidden traits the rota and activity generators read."""

    collar_number: str
    name: str
    role: Role
    phone: str
    email: str
    start_date: date
    end_date: date | None
    beat: BeatInfo | None  # where their activity happens: own beat, or a sergeant's lead beat
    sector_id: int | None = None  # set for sector postings only
    covers: tuple[BeatInfo, ...] = ()
    part_time: bool = False
    shift_hours: int = 8
    drive: float = 1.0  # personal activity multiplier: some high, some low performers
    outside: float = 0.58  # usual share of duty time outside the station
    busyness: float = 1.0
    rota_offset: int = 0
    officer_id: int | None = field(default=None, compare=False)

    def row(self) -> dict:
        return {
            "collar_number": self.collar_number,
            "name": self.name,
            "role": self.role,
            "beat_id": None if self.sector_id is not None else self.beat.id,
            "sector_id": self.sector_id,
            "phone": self.phone,
            "email": self.email,
            "start_date": self.start_date,
            "end_date": self.end_date,
        }


def sergeant_groups(beat_codes: list[str]) -> list[list[str]]:
    """Split a sector's beats (in code order) into runs of two or three, one per sergeant.

    The first beat of each run is the sergeant's lead beat, where they are posted.
    """
    codes = sorted(beat_codes)
    if len(codes) <= 3:
        return [codes] if codes else []
    groups = math.ceil(len(codes) / 3)
    base, extra = divmod(len(codes), groups)
    sizes = [base + (1 if i < extra else 0) for i in range(groups)]
    out, at = [], 0
    for size in sizes:
        out.append(codes[at : at + size])
        at += size
    return out


def build(rng: random.Random, beats: list[BeatInfo], period_start: date, period_end: date) -> list[Member]:
    """The whole demo force, deterministic for a given ``rng`` state."""
    namer = Namer(rng)
    shares = [
        TEAM_OUTSIDE_RANGE[0] + (TEAM_OUTSIDE_RANGE[1] - TEAM_OUTSIDE_RANGE[0]) * i / max(1, len(beats) - 1)
        for i in range(len(beats))
    ]
    rng.shuffle(shares)
    teams = {
        b.id: Team(b, outside=share, busyness=math.exp(rng.gauss(0, 0.2)))
        for b, share in zip(beats, shares, strict=True)
    }
    maker = _MemberMaker(rng, namer, period_start, period_end)
    members: list[Member] = []
    for beat in beats:
        team = teams[beat.id]
        (pc_lo, pc_hi), (pcso_lo, pcso_hi) = _TEAM_SIZE[beat.setting]
        for role, size in ((Role.PC, rng.randint(pc_lo, pc_hi)), (Role.PCSO, rng.randint(pcso_lo, pcso_hi))):
            for _ in range(size):
                members.extend(maker.post(role, team))
    by_sector: dict[int, list[BeatInfo]] = {}
    for beat in beats:
        by_sector.setdefault(beat.sector_id, []).append(beat)
    by_code = {b.code: b for b in beats}
    for sector_id, sector_beats in by_sector.items():
        for group in sergeant_groups([b.code for b in sector_beats]):
            covered = tuple(by_code[c] for c in group)
            sergeant = maker.person(Role.SERGEANT, teams[covered[0].id])
            sergeant.covers = covered
            members.append(sergeant)
        lead_team = teams[sector_beats[0].id]
        members.append(maker.person(Role.INSPECTOR, lead_team, sector_id=sector_id))
        members.append(maker.person(Role.STAFF, lead_team, sector_id=sector_id))
    # Specials volunteer where they live; the town centre's night-time economy always gets two.
    town_centre = [b for b in beats if b.setting is Setting.TOWN_CENTRE]
    special_beats = town_centre[:1] * 2 + rng.sample(beats, min(len(beats), SPECIALS - 2 * len(town_centre[:1])))
    for beat in special_beats:
        members.append(maker.person(Role.SPECIAL, teams[beat.id]))
    return members


class _MemberMaker:
    def __init__(self, rng: random.Random, namer: Namer, period_start: date, period_end: date):
        self.rng, self.namer = rng, namer
        self.period_start, self.period_end = period_start, period_end

    def post(self, role: Role, team: Team) -> list[Member]:
        """One post on a beat: usually one person; sometimes a leaver and, after a vacancy, a joiner."""
        first = self.person(role, team)
        if self.rng.random() >= TURNOVER_SHARE:
            return [first]
        span = (self.period_end - self.period_start).days
        first.end_date = self.period_start + timedelta(days=self.rng.randint(0, max(0, int(span * 0.7))))
        joiner = self.person(role, team)
        joiner.start_date = min(self.period_end, first.end_date + timedelta(days=self.rng.randint(14, 70)))
        return [first, joiner]

    def person(self, role: Role, team: Team, sector_id: int | None = None) -> Member:
        rng = self.rng
        name = self.namer.name()
        part_time = role in (Role.PC, Role.PCSO, Role.STAFF) and rng.random() < PART_TIME_SHARE
        drive = math.exp(rng.gauss(0, 0.25))
        if rng.random() < 0.1:
            drive *= 1.6  # a proactive high performer
        elif rng.random() < 0.1:
            drive *= 0.6
        return Member(
            collar_number=self.namer.collar_number(role),
            name=name,
            role=role,
            phone=self.namer.phone(role),
            email=self.namer.email(name),
            start_date=self.period_start - timedelta(days=self._service_days(role)),
            end_date=None,
            beat=team.beat,
            sector_id=sector_id,
            covers=(team.beat,),
            part_time=part_time,
            shift_hours=8 if part_time or rng.random() < 0.7 else 10,
            drive=drive,
            outside=team.outside + ROLE_OUTSIDE_OFFSET[role] + rng.gauss(0, 0.03),
            busyness=team.busyness,
            rota_offset=rng.randrange(70),
        )

    def _service_days(self, role: Role) -> int:
        """Length of service before the period: many recent recruits (the uplift), some long servers."""
        years = {
            Role.INSPECTOR: (12, 26),
            Role.SERGEANT: (7, 22),
            Role.SPECIAL: (1, 8),
        }.get(role)
        if years is None:
            years = (1, 4) if self.rng.random() < 0.45 else (4, 26)
        return int(self.rng.uniform(*years) * 365.25)
