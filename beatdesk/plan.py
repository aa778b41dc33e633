"""The beat plan (``boundaries/beat_plan.toml``): which wards make which beat, in which sector and LPA.

Loading checks the plan's own consistency (codes unique, references resolve, every ward in one beat,
beat counts as declared). Checks that need ward geometry live in ``beatdesk.geo.plan_check``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from beatdesk.paths import beat_plan_file


class PlanError(ValueError):
    """The beat plan is not usable; ``problems`` names each fault."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class PlanLpa:
    code: str
    name: str
    council_code: str
    council_name: str
    beats: int


@dataclass(frozen=True)
class PlanSector:
    code: str
    name: str
    lpa: str
    beats: int


@dataclass(frozen=True)
class PlanWard:
    code: str
    name: str


@dataclass(frozen=True)
class PlanBeat:
    code: str
    name: str
    sector: str
    centroid: tuple[float, float]
    wards: tuple[PlanWard, ...]


@dataclass(frozen=True)
class BeatPlan:
    force: str
    lpas: tuple[PlanLpa, ...]
    sectors: tuple[PlanSector, ...]
    beats: tuple[PlanBeat, ...]

    def sector(self, code: str) -> PlanSector:
        return next(s for s in self.sectors if s.code == code)

    def lpa_of_sector(self, sector_code: str) -> PlanLpa:
        lpa_code = self.sector(sector_code).lpa
        return next(lpa for lpa in self.lpas if lpa.code == lpa_code)

    def ward_to_beat(self) -> dict[str, str]:
        return {ward.code: beat.code for beat in self.beats for ward in beat.wards}

    def council_of_beat(self, beat: PlanBeat) -> PlanLpa:
        return self.lpa_of_sector(beat.sector)


def load_plan(path: Path | None = None) -> BeatPlan:
    import tomllib  # read once, when a database is created or checked: kept off the start-up path

    path = path or beat_plan_file()
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(str(path), [f"not valid TOML: {exc}"]) from None
    except OSError as exc:
        raise PlanError(str(path), [f"cannot read: {exc.strerror}"]) from None
    try:
        plan = BeatPlan(
            force=str(raw.get("force", "")),
            lpas=tuple(PlanLpa(**item) for item in raw.get("lpa", [])),
            sectors=tuple(PlanSector(**item) for item in raw.get("sector", [])),
            beats=tuple(
                PlanBeat(
                    code=item["code"],
                    name=item["name"],
                    sector=item["sector"],
                    centroid=(float(item["centroid"][0]), float(item["centroid"][1])),
                    wards=tuple(PlanWard(**w) for w in item["wards"]),
                )
                for item in raw.get("beat", [])
            ),
        )
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        raise PlanError(str(path), [f"malformed entry: {exc!r}"]) from None
    problems = structural_problems(plan)
    if problems:
        raise PlanError(str(path), problems)
    return plan


def structural_problems(plan: BeatPlan) -> list[str]:
    """Every fault of the plan that can be seen without ward geometry, each named specifically."""
    problems: list[str] = []
    for kind, codes in (
        ("LPA", [x.code for x in plan.lpas]),
        ("sector", [x.code for x in plan.sectors]),
        ("beat", [x.code for x in plan.beats]),
    ):
        problems += [f"{kind} code {code} is used {n} times" for code, n in Counter(codes).items() if n > 1]
    lpa_codes = {lpa.code for lpa in plan.lpas}
    sector_codes = {s.code for s in plan.sectors}
    problems += [f"sector {s.code} names unknown LPA {s.lpa}" for s in plan.sectors if s.lpa not in lpa_codes]
    problems += [f"beat {b.code} names unknown sector {b.sector}" for b in plan.beats if b.sector not in sector_codes]
    problems += [f"beat {b.code} has no wards" for b in plan.beats if not b.wards]

    ward_beats: dict[str, list[str]] = {}
    for beat in plan.beats:
        for ward in beat.wards:
            ward_beats.setdefault(ward.code, []).append(beat.code)
    problems += [
        f"ward {code} is in {len(beats)} beats ({', '.join(beats)})"
        for code, beats in ward_beats.items()
        if len(beats) > 1
    ]

    per_sector = Counter(b.sector for b in plan.beats)
    for sector in plan.sectors:
        if per_sector[sector.code] != sector.beats:
            problems.append(
                f"sector {sector.code} ({sector.name}) has {per_sector[sector.code]} beats, "
                f"the Blueprint gives it {sector.beats}"
            )
    for lpa in plan.lpas:
        count = sum(per_sector[s.code] for s in plan.sectors if s.lpa == lpa.code)
        if count != lpa.beats:
            problems.append(f"LPA {lpa.code} ({lpa.name}) has {count} beats, the Blueprint gives it {lpa.beats}")
    return problems
