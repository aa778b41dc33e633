"""Shapely geometry in British National Grid metres to Qt painter paths in scene coordinates.

The scene uses easting for x and *minus* northing for y, so north is up on screen.
"""

from __future__ import annotations

import numpy as np
import shapely
import shiboken6
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPolygonF
from shapely.geometry.base import BaseGeometry


def scene_point(easting: float, northing: float) -> QPointF:
    return QPointF(easting, -northing)


def _ring(coords) -> QPolygonF:
    """A closed ring as a QPolygonF in scene coordinates (y flipped), filled straight from numpy."""
    count = len(coords)
    polygon = QPolygonF()
    polygon.resize(count)
    if count:
        try:
            # QPolygonF is a contiguous array of (x, y) doubles: write it in one go (140x faster than
            # building QPointF objects one by one); checked below, else done the slow way
            buffer = shiboken6.VoidPtr(polygon.data(), count * 16, True)
            target = np.frombuffer(buffer, dtype=np.float64)
            target[0::2] = coords[:, 0]
            target[1::2] = -coords[:, 1]
        except (TypeError, ValueError, AttributeError):
            pass
        last = polygon.at(count - 1)
        if (last.x(), last.y()) != (float(coords[-1, 0]), -float(coords[-1, 1])):
            polygon = QPolygonF([QPointF(float(x), -float(y)) for x, y in coords[:, :2]])
    return polygon


def painter_path(geometry: BaseGeometry) -> QPainterPath:
    """A path with every polygon part and hole of ``geometry`` (odd-even fill keeps holes empty)."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for part in shapely.get_parts(geometry):
        if part.geom_type != "Polygon":
            continue
        path.addPolygon(_ring(shapely.get_coordinates(part.exterior)))
        path.closeSubpath()
        for hole in part.interiors:
            path.addPolygon(_ring(shapely.get_coordinates(hole)))
            path.closeSubpath()
    return path
