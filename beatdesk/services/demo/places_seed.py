"""The demo force's places: a few hotspots, high-risk and vulnerable locations on every beat.

Deterministic for a given ``rng``: beats in code order, each drawing its places in turn. A busy beat
gets more (town centre 4, urban 3, market town 2, rural 1). Points lie inside the beat's outline when
ward boundaries are loaded, else near its centroid; every place goes through the places service, so
it meets the same rules and is audited like one typed in.
"""

from __future__ import annotations

import random

import shapely
from shapely.geometry import Point, box
from sqlalchemy import select
from sqlmodel import Session

from beatdesk.models import Beat, PlaceKind
from beatdesk.services.actor import Actor
from beatdesk.services.demo.establishment import BEAT_SETTINGS, Setting
from beatdesk.services.places import PlaceInput, add_place

PER_BEAT = {Setting.TOWN_CENTRE: 4, Setting.URBAN: 3, Setting.TOWN: 2, Setting.RURAL: 1}
SPREAD_M = {Setting.TOWN_CENTRE: 250.0, Setting.URBAN: 400.0, Setting.TOWN: 600.0, Setting.RURAL: 1500.0}

NAMES: dict[PlaceKind, tuple[str, ...]] = {
    PlaceKind.HOTSPOT: (
        "Market Square", "Bus Station", "High Street north end", "Retail Park car park", "Riverside Walk",
        "Recreation Ground", "Railway Station forecourt", "Shopping Parade", "Skate Park", "Night-time economy strip",
    ),
    PlaceKind.HIGH_RISK: (
        "Underpass by the ring road", "Canal towpath", "Allotments lane", "Empty mill yard", "Garage block",
        "Footbridge", "Industrial estate service road",
    ),
    PlaceKind.VULNERABLE: (
        "Sheltered housing court", "Primary school gates", "Care home", "Youth centre", "Community library",
        "Hostel",
    ),
}
# (days, start, end): weekday numbers (0 Monday) and peak hours
PEAKS = (
    ((4, 5), "22:00", "03:00"),
    ((0, 1, 2, 3, 4), "15:00", "17:30"),
    ((5, 6), "12:00", "18:00"),
    ((), "20:00", "23:00"),
    ((4, 5, 6), None, None),
    ((), None, None),
)
RURAL_KINDS = (PlaceKind.HIGH_RISK, PlaceKind.HOTSPOT, PlaceKind.VULNERABLE)


def seed_places(session: Session, actor: Actor, rng: random.Random) -> int:
    """Add the demo places to every beat, in the caller's transaction; returns how many."""
    beats = session.execute(
        select(Beat.id, Beat.code, Beat.centroid_easting, Beat.centroid_northing, Beat.geometry_wkb)
        .order_by(Beat.code)
    ).all()
    added = 0
    for beat_id, code, easting, northing, wkb in beats:
        setting = BEAT_SETTINGS.get(code, Setting.TOWN)
        outline = shapely.from_wkb(wkb) if wkb is not None else None
        centre = outline.representative_point() if outline is not None else Point(easting, northing)
        used: set[str] = set()
        for i in range(PER_BEAT[setting]):
            kind = _kind(setting, i, rng)
            name = rng.choice([n for n in NAMES[kind] if n not in used] or NAMES[kind])
            used.add(name)
            point = _point(rng, centre, SPREAD_M[setting], outline)
            geometry = box(point.x - 60, point.y - 40, point.x + 60, point.y + 40) if (
                setting is Setting.TOWN_CENTRE and i == 0 and _inside(outline, point, 80)
            ) else point
            days, start, end = rng.choice(PEAKS)
            add_place(session, actor, PlaceInput(
                beat=beat_id, name=name, kind=kind, geometry=geometry, peak_days=frozenset(days),
                peak_start=start, peak_end=end, note="Demo place (fictitious).",
            ))
            added += 1
    return added


def _kind(setting: Setting, index: int, rng: random.Random) -> PlaceKind:
    if setting is Setting.RURAL:
        return rng.choice(RURAL_KINDS)
    return (PlaceKind.HOTSPOT, PlaceKind.HIGH_RISK, PlaceKind.VULNERABLE, PlaceKind.HOTSPOT)[index]


def _point(rng: random.Random, centre: Point, spread: float, outline) -> Point:
    for _ in range(50):
        point = Point(round(centre.x + rng.gauss(0, spread), 1), round(centre.y + rng.gauss(0, spread), 1))
        if outline is None or _inside(outline, point, 0):
            return point
    return centre


def _inside(outline, point: Point, margin: float) -> bool:
    return outline is None or outline.contains(point.buffer(margin) if margin else point)
