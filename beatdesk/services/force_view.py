"""The force as the map, the tree and the beat panel show it: a Qt-free read model.

``load_force_map`` reads LPAs, sectors, beats, wards and the active neighbourhood teams in one
session and returns plain frozen dataclasses with shapely geometry in British National Grid
(EPSG:27700) metres. When every beat has a display outline the map draws the real boundaries;
otherwise it draws the equal-area hexagon map of ``beatdesk.geo.hexmap``, placed by centroid. The
text the interface shows about a beat (tooltip lines, the status line, the demo banner) is composed
here too, so it can be tested without a display.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel
from sqlalchemy import Engine, or_, select
from sqlmodel import Session

from beatdesk.models import Beat, BeatSergeant, Lpa, Officer, Role, Sector, Ward
from beatdesk.models.meta import DEMO_SEED, WARDS_SOURCE, Meta
from beatdesk.services.actor import Actor
from beatdesk.services.permissions import Action, require

BOUNDARIES = "boundaries"
HEXAGONS = "hexagons"
NO_BOUNDARIES = "No ward boundaries loaded — hexagon map"

# the order a team is listed in: supervisors first, then constables, PCSOs, specials and staff
RANK_ORDER: dict[Role, int] = {
    Role.INSPECTOR: 0,
    Role.SERGEANT: 1,
    Role.PC: 2,
    Role.PCSO: 3,
    Role.SPECIAL: 4,
    Role.STAFF: 5,
}
# Posted to a sector rather than a beat, these serve every beat of it: supervisors and support staff.
SECTOR_TEAM = frozenset({Role.SERGEANT, Role.INSPECTOR, Role.STAFF})


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: Role
    collar_number: str
    phone: str
    email: str
    sector_supervisor: bool  # posted to the whole sector rather than to this beat

    @property
    def role_name(self) -> str:
        return self.role.value

    @property
    def short_title(self) -> str:
        """'Sgt Jane Smith (1234)': how a team member is named in a list or tooltip."""
        return f"{self.role.short} {self.name} ({self.collar_number})"


@dataclass(frozen=True)
class WardView:
    code: str
    name: str
    council_name: str
    area_km2: float | None
    geometry: BaseGeometry | None  # display outline, or None before boundaries are imported


@dataclass(frozen=True)
class BeatView:
    code: str
    name: str
    sector_code: str
    sector_name: str
    lpa_code: str
    lpa_name: str
    centroid: tuple[float, float]
    geometry: BaseGeometry | None  # real display outline, or None before boundaries are imported
    hexagon: BaseGeometry | None  # its cell on the hexagon map; only worked out when the map draws hexagons
    wards: tuple[WardView, ...]
    team: tuple[TeamMember, ...]

    @property
    def title(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def ward_names(self) -> list[str]:
        return [w.name for w in self.wards]


@dataclass(frozen=True)
class SectorView:
    code: str
    name: str
    lpa_code: str
    beat_codes: tuple[str, ...]


@dataclass(frozen=True)
class LpaView:
    code: str
    name: str
    sector_codes: tuple[str, ...]


@dataclass(frozen=True)
class ForceMap:
    lpas: tuple[LpaView, ...]
    sectors: tuple[SectorView, ...]
    beats: tuple[BeatView, ...]
    has_boundaries: bool
    boundary_source: str | None
    demo_seed: str | None

    @property
    def mode(self) -> str:
        return BOUNDARIES if self.has_boundaries else HEXAGONS

    def beat(self, code: str) -> BeatView:
        for beat in self.beats:
            if beat.code == code:
                return beat
        raise KeyError(code)

    def has_beat(self, code: str) -> bool:
        return any(beat.code == code for beat in self.beats)

    def sector(self, code: str) -> SectorView:
        return next(s for s in self.sectors if s.code == code)

    def lpa(self, code: str) -> LpaView:
        return next(lpa for lpa in self.lpas if lpa.code == code)

    def sectors_of(self, lpa_code: str) -> list[SectorView]:
        return [s for s in self.sectors if s.lpa_code == lpa_code]

    def beats_of(self, sector_code: str) -> list[BeatView]:
        return [b for b in self.beats if b.sector_code == sector_code]

    def shape(self, beat: BeatView) -> BaseGeometry:
        """What the map draws for ``beat``: its outline when boundaries are loaded, else its hexagon."""
        return beat.geometry if self.has_boundaries else beat.hexagon

    def label_point(self, beat: BeatView) -> tuple[float, float]:
        """Where the beat's label goes: well inside its outline, or the centre of its hexagon."""
        if not self.has_boundaries:
            c = beat.hexagon.centroid
            return c.x, c.y
        return _inside_point(beat.geometry)

    @property
    def ward_count(self) -> int:
        return sum(len(b.wards) for b in self.beats)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min easting, min northing, max easting, max northing) of everything the map draws."""
        if not self.beats:
            return (0.0, 0.0, 1.0, 1.0)
        return tuple(shapely.total_bounds([self.shape(b) for b in self.beats]).tolist())


def load_force_map(session: Session, actor: Actor, *, today: date | None = None) -> ForceMap:
    """The whole force for drawing: structure, outlines or hexagons, wards, and active teams.

    Read with Core selects of the columns it shows, not ORM objects: it is the first read of every
    start, and building the ORM's mappings and some five hundred officer objects cost more than the
    reading (see ``benchmarks/run.py startup``).
    """
    require(actor, Action.VIEW_FORCE)
    today = today or date.today()
    lpa, sector, beat_t, ward = Lpa.__table__.c, Sector.__table__.c, Beat.__table__.c, Ward.__table__.c
    officer, link, meta = Officer.__table__.c, BeatSergeant.__table__.c, Meta.__table__.c
    conn = session.connection()
    lpas = conn.execute(select(lpa.id, lpa.code, lpa.name).order_by(lpa.id)).all()
    sectors = conn.execute(select(sector.id, sector.code, sector.name, sector.lpa_id).order_by(sector.id)).all()
    beats = conn.execute(
        select(beat_t.id, beat_t.code, beat_t.name, beat_t.sector_id, beat_t.centroid_easting,
               beat_t.centroid_northing, beat_t.display_wkb).order_by(beat_t.code)
    ).all()
    wards = conn.execute(
        select(ward.code, ward.name, ward.council_name, ward.area_km2, ward.beat_id, ward.display_wkb)
        .order_by(ward.name)
    ).all()
    officers = conn.execute(
        select(officer.id, officer.name, officer.role, officer.collar_number, officer.phone, officer.email,
               officer.beat_id, officer.sector_id)
        .where(officer.start_date <= today, or_(officer.end_date.is_(None), officer.end_date >= today))
    ).all()
    links = conn.execute(select(link.beat_id, link.officer_id)).all()
    facts = dict(conn.execute(select(meta.key, meta.value).where(meta.key.in_((WARDS_SOURCE, DEMO_SEED)))).all())

    lpa_by_id = {lpa.id: lpa for lpa in lpas}
    sector_by_id = {s.id: s for s in sectors}
    beat_geoms = _decode(b.display_wkb for b in beats)
    ward_geoms = _decode(w.display_wkb for w in wards)
    has_boundaries = bool(beats) and all(g is not None for g in beat_geoms)

    wards_of: dict[int, list[WardView]] = {}
    for ward, geom in zip(wards, ward_geoms, strict=True):
        wards_of.setdefault(ward.beat_id, []).append(
            WardView(ward.code, ward.name, ward.council_name, ward.area_km2, geom)
        )

    beat_members: dict[int, dict[int, TeamMember]] = {}
    sector_supervisors: dict[int, list[TeamMember]] = {}
    active: dict[int, TeamMember] = {}
    for row in officers:
        role = Role(row.role)
        member = active[row.id] = _member(row, role, False)
        if row.beat_id is not None:
            beat_members.setdefault(row.beat_id, {})[row.id] = member
        elif row.sector_id is not None and role in SECTOR_TEAM:
            sector_supervisors.setdefault(row.sector_id, []).append(_member(row, role, True))
    for beat_id, officer_id in links:  # the sergeant who directs a beat is on its team
        if officer_id in active:
            beat_members.setdefault(beat_id, {})[officer_id] = active[officer_id]

    hexagons = {}
    if not has_boundaries:  # the hexagon map is only laid out when it is what the map draws
        from beatdesk.geo.hexmap import hex_layout  # only needed while no boundaries are loaded

        hexagons = hex_layout(
            {b.code: (b.centroid_easting, b.centroid_northing) for b in beats},
            {b.code: sector_by_id[b.sector_id].code for b in beats},
            {b.code: lpa_by_id[sector_by_id[b.sector_id].lpa_id].code for b in beats},
        ).polygons

    beat_views = []
    for beat, geom in zip(beats, beat_geoms, strict=True):
        sector = sector_by_id[beat.sector_id]
        lpa = lpa_by_id[sector.lpa_id]
        team = list(beat_members.get(beat.id, {}).values()) + sector_supervisors.get(sector.id, [])
        beat_views.append(
            BeatView(
                code=beat.code,
                name=beat.name,
                sector_code=sector.code,
                sector_name=sector.name,
                lpa_code=lpa.code,
                lpa_name=lpa.name,
                centroid=(beat.centroid_easting, beat.centroid_northing),
                geometry=geom,
                hexagon=hexagons.get(beat.code),
                wards=tuple(wards_of.get(beat.id, [])),
                team=tuple(sorted(team, key=_rank_then_name)),
            )
        )
    sector_views = tuple(
        SectorView(s.code, s.name, lpa_by_id[s.lpa_id].code, tuple(b.code for b in beats if b.sector_id == s.id))
        for s in sectors
    )
    lpa_views = tuple(
        LpaView(lpa.code, lpa.name, tuple(s.code for s in sectors if s.lpa_id == lpa.id)) for lpa in lpas
    )
    return ForceMap(
        lpas=lpa_views,
        sectors=sector_views,
        beats=tuple(beat_views),
        has_boundaries=has_boundaries,
        boundary_source=facts.get(WARDS_SOURCE),
        demo_seed=facts.get(DEMO_SEED),
    )


def _decode(blobs: Iterable[bytes | None]) -> list[BaseGeometry | None]:
    import numpy as np

    data = np.asarray(list(blobs), dtype=object)
    if data.size == 0:
        return []
    return list(shapely.from_wkb(data))


def _member(officer, role: Role, sector_supervisor: bool) -> TeamMember:
    return TeamMember(
        name=officer.name,
        role=role,
        collar_number=officer.collar_number,
        phone=officer.phone,
        email=officer.email,
        sector_supervisor=sector_supervisor,
    )


def _rank_then_name(member: TeamMember) -> tuple[int, str, str]:
    return RANK_ORDER.get(member.role, len(RANK_ORDER)), member.name.casefold(), member.collar_number


def _inside_point(shape: BaseGeometry) -> tuple[float, float]:
    """A point well inside the largest part of ``shape`` (its pole of inaccessibility)."""
    parts = list(shapely.get_parts(shape))
    largest = max(parts, key=lambda p: p.area)
    tolerance = max(10.0, (largest.area**0.5) / 50.0)
    point = polylabel(largest, tolerance=tolerance)
    return point.x, point.y


# ---- text the interface shows, composed here so it is testable without Qt ----------------------


def tooltip_lines(beat: BeatView) -> list[str]:
    """What hovering over a beat says: the beat, its sector and LPA, its wards and its team."""
    lines = [beat.title, f"{beat.sector_name} sector · {beat.lpa_name} LPA"]
    lines.append(("Ward: " if len(beat.wards) == 1 else "Wards: ") + (", ".join(beat.ward_names) or "none"))
    if beat.team:
        lines.append("Team:")
        lines += [f"  {m.short_title}" for m in beat.team]
    else:
        lines.append("Team: no officers posted")
    return lines


def status_text(force_map: ForceMap) -> str:
    """The status bar: how many beats, and where the boundaries on the map came from."""
    beats = f"{len(force_map.beats)} beats in {len(force_map.sectors)} sectors"
    if force_map.has_boundaries:
        source = force_map.boundary_source or "imported ward file"
        return f"{beats} · {force_map.ward_count} wards · Boundaries: {source}"
    return f"{beats} · {NO_BOUNDARIES}"


def sector_legend(force_map: ForceMap) -> list[tuple[LpaView, list[tuple[SectorView, int]]]]:
    """The legend: each LPA with its sectors and how many beats each has."""
    return [(lpa, [(s, len(s.beat_codes)) for s in force_map.sectors_of(lpa.code)]) for lpa in force_map.lpas]


_UNREAD = object()


def banner_text(engine: Engine, demo_seed: str | None | object = _UNREAD) -> str | None:
    """The warning shown across the window while the database holds the generated demo force.

    Pass the ``demo_seed`` a :class:`ForceMap` already read: on real data (None) nothing more is
    read or imported, which keeps start-up quick.
    """
    if demo_seed is None:
        return None
    from beatdesk.services import force  # with the beat plan and its checks: not imported on real data

    if demo_seed is _UNREAD:
        from beatdesk.database import session_scope

        with session_scope(engine) as session:
            demo_seed = force.get_meta(session, DEMO_SEED)
    return None if demo_seed is None else force.demo_notice(demo_seed)


def overview_lines(force_map: ForceMap) -> list[str]:
    """What the beat panel says before a beat is chosen: the force in a few lines."""
    people: dict[str, TeamMember] = {}
    for beat in force_map.beats:
        for member in beat.team:
            people[member.collar_number] = member
    lines = [
        f"{len(force_map.lpas)} LPAs · {len(force_map.sectors)} sectors · "
        f"{len(force_map.beats)} beats · {force_map.ward_count} wards"
    ]
    for lpa in force_map.lpas:
        beats = sum(len(force_map.sector(code).beat_codes) for code in lpa.sector_codes)
        lines.append(f"{lpa.name} LPA: {len(lpa.sector_codes)} sectors, {beats} beats")
    if people:
        by_role: dict[Role, int] = {}
        for member in people.values():
            by_role[member.role] = by_role.get(member.role, 0) + 1
        roles = ", ".join(
            f"{count} {role.short if role in (Role.PC, Role.PCSO) else role.value.lower()}"
            f"{'s' if count != 1 and role is not Role.STAFF else ''}"
            for role, count in sorted(by_role.items(), key=lambda item: RANK_ORDER.get(item[0], 99))
        )
        lines.append(f"{len(people)} people in neighbourhood teams: {roles}")
    else:
        lines.append("No officers are posted yet.")
    return lines
