"""Places: hotspots, high-risk and vulnerable locations on a beat, for tasking and for the map.

Every write checks the actor may manage places, validates the whole place with specific messages
before anything is written, then writes the row and its audit entry in one transaction. A place is
retired (kept, with who, when and why), never deleted. Geometry is a point or a polygon in British
National Grid (EPSG:27700); ``parse_coordinates`` turns typed grid references or WGS84 latitude and
longitude into one. When the beat's outline is loaded a place must lie within it (a polygon mostly
within it); before ward boundaries are imported it must lie within the force area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import time
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity
from sqlalchemy import Engine, func, select, update
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.geo.shapes import where
from beatdesk.models import Beat, Place, PlaceKind, utcnow
from beatdesk.services import audit, scope
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict, ValidationError
from beatdesk.services.permissions import Action, require

ENTITY = "place"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MIN_POLYGON_M2 = 100.0
MOSTLY_WITHIN = 0.8  # share of a polygon's area that must lie inside its beat
FORCE_MARGIN_M = 15_000.0  # around the beats' centroids, while no outlines are loaded
MAX_NAME = 120
# British National Grid's own extent: anything outside is not a grid reference
BNG_EASTING = (0.0, 700_000.0)
BNG_NORTHING = (0.0, 1_300_000.0)


@dataclass(frozen=True)
class PlaceInput:
    """A place as typed. ``beat`` is a beat id or code; ``geometry`` a shapely point or polygon in
    EPSG:27700, or coordinate text for :func:`parse_coordinates`; ``peak_days`` weekday numbers
    (0 Monday) or names ("Fri"); ``peak_start``/``peak_end`` a ``time`` or "HH:MM" (end before start
    wraps past midnight)."""

    beat: int | str
    name: str
    kind: PlaceKind | str
    geometry: BaseGeometry | str
    peak_days: frozenset[int] | tuple = frozenset()
    peak_start: time | str | None = None
    peak_end: time | str | None = None
    note: str = ""


EDITABLE = frozenset(f.name for f in fields(PlaceInput))


@dataclass(frozen=True)
class PlaceView:
    """A live place as the map and lists show it."""

    id: int
    version: int
    beat_code: str
    beat_name: str
    name: str
    kind: PlaceKind
    geometry: BaseGeometry
    peak_text: str
    note: str = ""

    def tooltip_lines(self) -> list[str]:
        lines = [self.name, self.kind.label, f"Beat {self.beat_code} {self.beat_name}"]
        lines.append(f"Peak: {self.peak_text}" if self.peak_text else "Peak: none recorded")
        if self.note:
            lines.append(self.note)
        return lines


@dataclass(frozen=True)
class _Checked:
    beat_id: int
    name: str
    kind: PlaceKind
    geometry: BaseGeometry
    peak_days: int
    peak_start: int | None
    peak_end: int | None
    note: str

    def columns(self) -> dict[str, Any]:
        return {
            "beat_id": self.beat_id, "name": self.name, "kind": self.kind, "geometry_wkb": shapely.to_wkb(self.geometry),
            "peak_days": self.peak_days, "peak_start": self.peak_start, "peak_end": self.peak_end, "note": self.note,
        }


# ---- writes -------------------------------------------------------------------------------------


def create_place(engine: Engine, actor: Actor, data: PlaceInput) -> int:
    """Store a new place and audit it; returns its id."""
    require(actor, Action.MANAGE_PLACES)
    with session_scope(engine) as session:
        return add_place(session, actor, data)


def add_place(session: Session, actor: Actor, data: PlaceInput) -> int:
    """``create_place`` inside the caller's transaction (the demo force seeds its places with it)."""
    require(actor, Action.MANAGE_PLACES)
    checked = _check(session, data)
    _require_beat(session, actor, checked.beat_id)
    row = Place(**checked.columns())
    session.add(row)
    session.flush()
    audit.record(session, actor, "create_place", ENTITY, row.id, **_plain(checked.columns()))
    return row.id


def update_place(engine: Engine, actor: Actor, place_id: int, changes: dict, expected_version: int) -> int:
    """Change fields of a live place opened at ``expected_version``; returns the new version."""
    require(actor, Action.MANAGE_PLACES)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(f"{', '.join(sorted(unknown))}: cannot be changed on a place.")
    with session_scope(engine) as session:
        row = _live(session, place_id, expected_version)
        _require_beat(session, actor, row.beat_id)
        before = _input_of(row)
        checked = _check(session, replace(before, **changes), geometry_too=bool({"geometry", "beat"} & set(changes)))
        _require_beat(session, actor, checked.beat_id)  # and moving it only to a beat they direct
        old = _check(session, before, geometry_too=False).columns()
        new = checked.columns()
        old_diff = {k: v for k, v in old.items() if new[k] != v}
        if not old_diff:
            return row.version
        version = _bump(session, place_id, expected_version, {**new, "updated_at": utcnow()})
        audit.record(
            session, actor, "update_place", ENTITY, place_id,
            old=_plain(old_diff), new=_plain({k: new[k] for k in old_diff}),
        )
        return version


def retire_place(engine: Engine, actor: Actor, place_id: int, reason: str) -> None:
    """Take a place off the map and out of tasking; it stays, with who retired it, when and why."""
    require(actor, Action.MANAGE_PLACES)
    if not reason or not reason.strip():
        raise ValidationError("reason: say why the place is retired.")
    with session_scope(engine) as session:
        row = _live(session, place_id, None)
        _require_beat(session, actor, row.beat_id)
        now = utcnow()
        _bump(session, place_id, row.version, {
            "active": False, "retired_at": now, "retired_by": actor.label, "retired_reason": reason.strip(),
            "updated_at": now,
        })
        audit.record(session, actor, "retire_place", ENTITY, place_id, name=row.name, reason=reason.strip())


# ---- reads --------------------------------------------------------------------------------------


def places_for_map(session: Session, actor: Actor) -> list[PlaceView]:
    """Every live place, by beat and name, with its geometry and peak times as text."""
    require(actor, Action.VIEW_FORCE)
    rows = session.execute(
        select(Place, Beat.code, Beat.name).join(Beat, Beat.id == Place.beat_id)
        .where(Place.active.is_(True)).order_by(Beat.code, Place.name, Place.id)
    ).all()
    return [
        PlaceView(
            id=p.id, version=p.version, beat_code=code, beat_name=beat_name, name=p.name, kind=PlaceKind(p.kind),
            geometry=shapely.from_wkb(p.geometry_wkb), peak_text=peak_text(p.peak_days, p.peak_start, p.peak_end),
            note=p.note,
        )
        for p, code, beat_name in rows
    ]


@dataclass(frozen=True)
class PlaceForm:
    """A live place as the edit dialog fills its fields: coordinates and peak hours as text, with the
    version it was read at (the edit is saved against it)."""

    id: int
    version: int
    beat_code: str
    name: str
    kind: PlaceKind
    geometry: BaseGeometry
    peak_days: frozenset[int]
    peak_start: str | None
    peak_end: str | None
    note: str


def place_for_edit(session: Session, actor: Actor, place_id: int) -> PlaceForm:
    """One live place for editing; a retired or unknown place is refused with what happened to it."""
    require(actor, Action.VIEW_FORCE)
    row = _live(session, place_id, None)
    beat = session.get(Beat, row.beat_id)
    return PlaceForm(
        id=row.id, version=row.version, beat_code=beat.code, name=row.name, kind=PlaceKind(row.kind),
        geometry=shapely.from_wkb(row.geometry_wkb),
        peak_days=frozenset(i for i in range(7) if row.peak_days >> i & 1),
        peak_start=None if row.peak_start is None else _hhmm(row.peak_start),
        peak_end=None if row.peak_end is None else _hhmm(row.peak_end),
        note=row.note,
    )


def beat_choices(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(code, "NT01 Northampton Town Centre") for every beat, by code: what a place can belong to."""
    require(actor, Action.VIEW_FORCE)
    rows = session.execute(select(Beat.code, Beat.name).order_by(Beat.code)).all()
    return [(code, f"{code} {name}") for code, name in rows]


def beat_for_geometry(session: Session, actor: Actor, geometry: BaseGeometry) -> str | None:
    """The code of the beat a drawn place lies in (for a polygon, the beat holding most of it), or None
    off every beat or before ward boundaries are loaded."""
    require(actor, Action.VIEW_FORCE)
    best, best_share = None, 0.0
    for code, wkb in session.execute(select(Beat.code, Beat.geometry_wkb).where(Beat.geometry_wkb.is_not(None))):
        outline = shapely.from_wkb(wkb)
        if geometry.geom_type == "Point":
            if outline.covers(geometry):
                return code
            continue
        share = geometry.intersection(outline).area / geometry.area if geometry.area else 0.0
        if share > best_share:
            best, best_share = code, share
    return best


def describe_coordinates(session: Session, actor: Actor, beat: int | str | None, text: str) -> str:
    """What typed coordinates read as, checked as a save would check them ("Point E 475,601 N 260,638,
    within beat NT01"), or a ValidationError naming what is wrong. Without a beat only the shape is
    checked. Writes nothing: the place dialog calls it as the user types."""
    require(actor, Action.VIEW_FORCE)
    geometry = parse_coordinates(text)
    found = None
    if beat not in (None, ""):
        found = _beat(session, beat)
        _check_geometry(session, geometry, found)
    else:
        _check_shape(geometry)
    if geometry.geom_type == "Point":
        what = f"Point {where(geometry)}"
    else:
        corners = len(geometry.exterior.coords) - 1
        what = f"Area of {corners} corners, {_area_text(geometry.area)}, around {where(geometry.centroid)}"
    if found is None:
        return what
    return f"{what}, within beat {found.code}" if found.geometry_wkb is not None else f"{what}, in the force area"


def coordinates_text(geometry: BaseGeometry, separator: str = "; ") -> str:
    """Coordinates as ``parse_coordinates`` reads them back, to the metre: 'E 475601 N 260638' for a
    point, its corners joined by ``separator`` for a polygon."""
    if geometry.geom_type == "Point":
        return _grid_text(geometry.x, geometry.y)
    corners = list(geometry.exterior.coords)[:-1]
    return separator.join(_grid_text(x, y) for x, y, *_ in corners)


def _grid_text(x: float, y: float) -> str:
    return f"E {round(x)} N {round(y)}"


def _area_text(m2: float) -> str:
    return f"{m2 / 10_000:,.1f} ha" if m2 >= 10_000 else f"{m2:,.0f} m²"


def peak_text(days: int, start: int | None, end: int | None) -> str:
    """'Fri–Sat 22:00–03:00', 'Every day 08:00–09:30', 'Mon, Wed' or '' when no peak is recorded."""
    parts = []
    if days:
        parts.append(_days_text(days))
    if start is not None and end is not None:
        parts.append(f"{_hhmm(start)}–{_hhmm(end)}")
    return " ".join(parts)


# ---- typed coordinates --------------------------------------------------------------------------

_NUMBER = r"[-+]?\d[\d,]*(?:\.\d+)?"
_GRID = re.compile(rf"^\s*E\s*({_NUMBER})\s*,?\s*N\s*({_NUMBER})\s*$", re.IGNORECASE)
_PAIR = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(?:,\s*|\s+)([-+]?\d+(?:\.\d+)?)\s*$")


def parse_coordinates(text: str) -> BaseGeometry:
    """A point or polygon in EPSG:27700 from typed coordinates.

    A point is "E 475601 N 260638", "475601, 260638" (easting, northing) or "52.2368, -0.8971"
    (latitude, longitude in WGS84). A polygon is three or more such points separated by ";".
    """
    if text is None or not str(text).strip():
        raise ValidationError(
            "coordinates: none typed. Type a point as 'E 475601 N 260638', '475601, 260638' or "
            "'52.2368, -0.8971', or a polygon as such points separated by ';'."
        )
    parts = [p for p in str(text).split(";") if p.strip()]
    points = [_parse_point(p.strip()) for p in parts]
    if len(points) == 1:
        return Point(points[0])
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    if len(set(points)) < 3:
        raise ValidationError(
            f"coordinates: {str(text).strip()!r} has {len(set(points))} distinct corners; a polygon needs at least 3."
        )
    return Polygon(points)


def _parse_point(text: str) -> tuple[float, float]:
    grid = _GRID.match(text)
    if grid:
        easting, northing = (float(g.replace(",", "")) for g in grid.groups())
        return _grid_point(text, easting, northing)
    pair = _PAIR.match(text)
    if not pair:
        raise ValidationError(
            f"coordinates: {text!r} is not a point. Type 'E 475601 N 260638', '475601, 260638' (easting, "
            "northing) or '52.2368, -0.8971' (latitude, longitude)."
        )
    a, b = float(pair.group(1)), float(pair.group(2))
    if abs(a) <= 90 and abs(b) <= 180:
        if not (49.0 <= a <= 61.5 and -9.0 <= b <= 2.5):
            raise ValidationError(
                f"coordinates: {text!r} read as latitude {a}, longitude {b} is not in Great Britain "
                "(latitude first, then longitude)."
            )
        return _from_wgs84(a, b)
    return _grid_point(text, a, b)


def _grid_point(text: str, easting: float, northing: float) -> tuple[float, float]:
    if not (BNG_EASTING[0] <= easting <= BNG_EASTING[1] and BNG_NORTHING[0] <= northing <= BNG_NORTHING[1]):
        raise ValidationError(
            f"coordinates: {text!r} is not a British National Grid reference (easting 0–700000, northing "
            "0–1300000, in metres)."
        )
    return easting, northing


def _from_wgs84(lat: float, lon: float) -> tuple[float, float]:
    x, y = _transformer().transform(lon, lat)
    return round(x, 1), round(y, 1)


@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer  # only when someone types latitude and longitude

    return Transformer.from_crs(4326, 27700, always_xy=True)


# ---- rules --------------------------------------------------------------------------------------


def _check(session: Session, data: PlaceInput, geometry_too: bool = True) -> _Checked:
    """The place as it will be stored, or a ValidationError naming the first thing wrong.

    ``geometry_too=False`` leaves the geometry as stored: an edit of a place's note or peak times is
    not refused because ward boundaries imported since put it outside its beat."""
    name = (data.name or "").strip()
    if not name:
        raise ValidationError("name: a place needs a name, e.g. 'Market Square'.")
    if len(name) > MAX_NAME:
        raise ValidationError(f"name: at most {MAX_NAME} characters, not {len(name)}.")
    kind = _kind(data.kind)
    beat = _beat(session, data.beat)
    geometry = parse_coordinates(data.geometry) if isinstance(data.geometry, str) else data.geometry
    days = _days(data.peak_days)
    start, end = _minutes("peak_start", data.peak_start), _minutes("peak_end", data.peak_end)
    if (start is None) != (end is None):
        raise ValidationError("peak hours: give both a start and an end (e.g. 22:00–03:00), or neither.")
    if start is not None and start == end:
        raise ValidationError(f"peak hours: start and end are both {_hhmm(start)}; give a period.")
    if geometry_too:
        _check_geometry(session, geometry, beat)
    return _Checked(beat.id, name, kind, geometry, days, start, end, (data.note or "").strip())


def _require_beat(session: Session, actor: Actor, beat_id: int) -> None:
    """Places are managed by whoever directs their beat (see ``beatdesk.services.scope``)."""
    scope.require_beat(session, actor, Action.MANAGE_PLACES, session.get(Beat, beat_id))


def _kind(value: PlaceKind | str) -> PlaceKind:
    try:
        return PlaceKind(value)
    except ValueError:
        known = ", ".join(k.value for k in PlaceKind)
        raise ValidationError(f"kind: {value!r} is not a kind of place; choose {known}.") from None


def _beat(session: Session, value: int | str | None) -> Beat:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError("beat: choose the beat the place is on.")
    if isinstance(value, str) and not value.strip().isdigit():
        beat = session.execute(select(Beat).where(Beat.code == value.strip().upper())).scalar_one_or_none()
    else:
        beat = session.get(Beat, int(value)) if value is not None else None
    if beat is None:
        raise ValidationError(f"beat: there is no beat {value!r}.")
    return beat


def _days(value) -> int:
    bits = 0
    for day in value or ():
        if isinstance(day, int) and 0 <= day <= 6:
            bits |= 1 << day
            continue
        key = str(day).strip()[:3].title()
        if key not in DAYS:
            raise ValidationError(f"peak days: {day!r} is not a day of the week (Mon ... Sun, or 0 to 6).")
        bits |= 1 << DAYS.index(key)
    return bits


def _minutes(label: str, value: time | str | int | None) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    match = re.fullmatch(r"\s*(\d{1,2})(?::?(\d{2}))?\s*", str(value))
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour < 24 and minute < 60:
            return hour * 60 + minute
    what = label.replace("_", " ")
    raise ValidationError(f"peak hours: {what} {value!r} is not a time of day between 00:00 and 23:59.")


def _check_geometry(session: Session, geometry: BaseGeometry, beat: Beat) -> None:
    _check_shape(geometry)
    _check_within(session, geometry, beat)


def _check_shape(geometry: BaseGeometry) -> None:
    if not isinstance(geometry, BaseGeometry) or geometry.geom_type not in ("Point", "Polygon"):
        kind = getattr(geometry, "geom_type", type(geometry).__name__)
        raise ValidationError(f"geometry: a place is a point or a polygon, not {kind}.")
    if geometry.is_empty:
        raise ValidationError("geometry: the place has no coordinates.")
    if geometry.geom_type == "Polygon":
        if not geometry.is_valid:
            reason = explain_validity(geometry)
            raise ValidationError(
                f"geometry: the polygon's edges cross ({reason}); list its corners in order around the edge."
            )
        if geometry.area < MIN_POLYGON_M2:
            raise ValidationError(
                f"geometry: the polygon covers {geometry.area:,.0f} m², too small to patrol; draw at least "
                f"{MIN_POLYGON_M2:,.0f} m² or use a point."
            )


def _check_within(session: Session, geometry: BaseGeometry, beat: Beat) -> None:
    title = f"beat {beat.code} ({beat.name})"
    if beat.geometry_wkb is not None:
        outline = shapely.from_wkb(beat.geometry_wkb)
        if geometry.geom_type == "Point":
            if not outline.covers(geometry):
                raise ValidationError(
                    f"geometry: the point {where(geometry)} is {outline.distance(geometry):,.0f} m outside {title}."
                )
        else:
            share = geometry.intersection(outline).area / geometry.area
            if share < MOSTLY_WITHIN:
                raise ValidationError(
                    f"geometry: only {share:.0%} of the polygon lies within {title}; at least "
                    f"{MOSTLY_WITHIN:.0%} must."
                )
        return
    minx, miny, maxx, maxy = _force_area(session)
    x0, y0, x1, y1 = geometry.bounds
    if x0 < minx or y0 < miny or x1 > maxx or y1 > maxy:
        raise ValidationError(
            f"geometry: {where(geometry.centroid)} is outside the force area (E {minx:,.0f}–{maxx:,.0f}, "
            f"N {miny:,.0f}–{maxy:,.0f}); check the coordinates for {title}."
        )


def _force_area(session: Session) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = session.execute(
        select(func.min(Beat.centroid_easting), func.min(Beat.centroid_northing),
               func.max(Beat.centroid_easting), func.max(Beat.centroid_northing))
    ).one()
    m = FORCE_MARGIN_M
    return minx - m, miny - m, maxx + m, maxy + m


def _live(session: Session, place_id: int, expected_version: int | None) -> Place:
    row = session.get(Place, place_id)
    if row is None:
        raise ValidationError(f"place: no place has id {place_id}.")
    if not row.active:
        raise ValidationError(
            f"place: {row.name!r} was retired on {row.retired_at:%Y-%m-%d %H:%M} by {row.retired_by}."
        )
    if expected_version is not None and row.version != expected_version:
        raise Conflict(_stale(row))
    return row


def _bump(session: Session, place_id: int, expected: int, values: dict) -> int:
    done = session.execute(
        update(Place).where(Place.id == place_id, Place.version == expected)
        .values(**values, version=expected + 1).execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        raise Conflict(f"place #{place_id} was changed by someone else since you opened it: reopen it to see their change.")
    return expected + 1


def _stale(row: Place) -> str:
    return (
        f"place {row.name!r} was changed by someone else since you opened it (it is at version {row.version}): "
        "reopen it to see their change."
    )


def _input_of(row: Place) -> PlaceInput:
    return PlaceInput(
        beat=row.beat_id, name=row.name, kind=PlaceKind(row.kind), geometry=shapely.from_wkb(row.geometry_wkb),
        peak_days=frozenset(i for i in range(7) if row.peak_days >> i & 1),
        peak_start=None if row.peak_start is None else time(*divmod(row.peak_start, 60)),
        peak_end=None if row.peak_end is None else time(*divmod(row.peak_end, 60)),
        note=row.note,
    )


def _days_text(bits: int) -> str:
    chosen = [i for i in range(7) if bits >> i & 1]
    if len(chosen) == 7:
        return "Every day"
    # start a run after a day not chosen, so Sat–Mon reads as one run across the week's end
    first = next(i for i in range(7) if not bits >> ((i - 1) % 7) & 1 and bits >> i & 1)
    order = [(first + k) % 7 for k in range(7) if bits >> ((first + k) % 7) & 1]
    runs: list[list[int]] = []
    for day in order:
        if runs and (runs[-1][-1] + 1) % 7 == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(DAYS[r[0]] if len(r) == 1 else f"{DAYS[r[0]]}–{DAYS[r[-1]]}" for r in runs)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _plain(values: dict) -> dict:
    """JSON-ready values for the audit entry: geometry as WKT, enums by value."""
    out = {}
    for key, value in values.items():
        if key == "geometry_wkb":
            out["geometry"] = shapely.from_wkb(value).wkt
        else:
            out[key] = getattr(value, "value", value)
    return out
