"""Small geometry helpers shared by the ward reader, the plan check and the ward import.

Everything is in British National Grid (EPSG:27700), so areas are square metres and every tolerance
below is in metres: the thresholds say how much disagreement ONS generalisation (20 m to 200 m) can
cause before it is a real fault.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

BNG = 27700
DISPLAY_TOLERANCE_M = 50.0
CONTIGUITY_TOLERANCE_M = 25.0
SLIVER_KM2 = 0.01


def polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    """The polygon parts of ``geom`` (what ``make_valid`` leaves may include lines and points)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return shapely.union_all(parts)


def repaired(geom: BaseGeometry) -> BaseGeometry | None:
    """A valid polygonal version of ``geom``, or None when nothing with area is left."""
    return polygonal(shapely.make_valid(geom))


def km2(geoms) -> np.ndarray:
    return shapely.area(np.asarray(geoms, dtype=object)) / 1e6


def display_copies(geoms) -> np.ndarray:
    """Simplified copies for drawing, made once at import so the map never simplifies on the fly."""
    return shapely.simplify(np.asarray(geoms, dtype=object), DISPLAY_TOLERANCE_M, preserve_topology=True)


def to_wkb(geoms) -> list[bytes]:
    return list(shapely.to_wkb(np.asarray(geoms, dtype=object)))


def from_wkb(data: Iterable[bytes]) -> np.ndarray:
    return shapely.from_wkb(np.asarray(list(data), dtype=object))


def where(point: BaseGeometry) -> str:
    """A grid reference a person can find on a map: 'E 475,601 N 260,638'."""
    return f"E {point.x:,.0f} N {point.y:,.0f}"
