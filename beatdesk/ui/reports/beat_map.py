"""The beat profile's small map: the beat's outline (or its hexagon before ward boundaries are loaded)
with its wards, the beats around it for context, a scale bar and north, painted as a sharp image."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QTransform

from beatdesk.services.force_view import BOUNDARIES
from beatdesk.services.reports.profile import BeatProfile
from beatdesk.ui.geometry_path import painter_path
from beatdesk.ui.reports.pages import IMAGE_SCALE

BEAT_FILL, BEAT_LINE = "#CFE0F3", "#1F4E79"
OTHER_FILL, OTHER_LINE, OTHER_TEXT = "#EEF0F3", "#A0A8B2", "#5F6975"
FRAME = "#B8BEC6"


def beat_map_image(profile: BeatProfile, width: int, height: int, font_pt: float = 7.0) -> QImage:
    """``width`` x ``height`` screen pixels of map, north up, the beat filling most of it."""
    image = QImage(round(width * IMAGE_SCALE), round(height * IMAGE_SCALE), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(IMAGE_SCALE)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    try:
        _paint(painter, profile, width, height, font_pt)
    finally:
        painter.end()  # also when drawing failed: a painter left active on the image crashes Qt
    return image


def _paint(painter: QPainter, profile: BeatProfile, width: int, height: int, font_pt: float) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(font_pt)
    painter.setFont(font)
    x0, y0, x1, y1 = profile.outline.bounds
    span = max(x1 - x0, y1 - y0, 1.0)
    pad = span * 0.08
    k = min((width - 8) / (x1 - x0 + 2 * pad), (height - 8) / (y1 - y0 + 2 * pad))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    to_image = QTransform().translate(width / 2, height / 2).scale(k, k).translate(-cx, cy)

    def path(geometry) -> QPainterPath:
        return to_image.map(painter_path(geometry))

    def at(point) -> QPointF:
        return to_image.map(QPointF(point.x, -point.y))

    frame = QRectF(0, 0, width, height)
    painter.setClipRect(frame)
    for code, shape in profile.neighbours:
        painter.setPen(QPen(QColor(OTHER_LINE), 0.8))
        painter.setBrush(QColor(OTHER_FILL))
        painter.drawPath(path(shape))
    painter.setPen(QPen(QColor(BEAT_LINE), 1.8))
    painter.setBrush(QColor(BEAT_FILL))
    painter.drawPath(path(profile.outline))
    wards = [w for w in profile.wards if w.outline is not None] if profile.outline_kind == BOUNDARIES else []
    taken = list(_furniture(width, height))  # labels never cover each other, the arrow or the scale
    if len(wards) > 1:
        painter.setPen(QPen(QColor(BEAT_LINE), 0.8, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for ward in wards:
            painter.drawPath(path(ward.outline))
        for ward in sorted(wards, key=lambda w: -w.outline.area):  # the largest place their labels first
            _label(painter, _free_spot(painter, at(_inside(ward.outline)), ward.name, taken), ward.name, BEAT_LINE)
    else:
        bold = QFont(font)
        bold.setBold(True)
        bold.setPointSizeF(font_pt * 1.25)
        painter.setFont(bold)
        spot = at(_inside(profile.outline))
        taken.append(_box(painter, spot, profile.code))
        _label(painter, spot, profile.code, BEAT_LINE)
        painter.setFont(font)
    shown = _frame_shape(to_image, frame)
    for code, shape in profile.neighbours:  # where there is room, in the part of them on the map
        part = shape.intersection(shown)
        if part.is_empty:
            continue
        spot = at(_inside(part))
        box = _box(painter, spot, code)
        if frame.contains(box) and not any(box.intersects(r) for r in taken):
            taken.append(box)
            _label(painter, spot, code, OTHER_TEXT)
    painter.setClipping(False)
    if profile.outline_kind == BOUNDARIES:
        _scale_bar(painter, k, height)
        _north(painter, width)
    else:
        painter.setPen(QColor(OTHER_TEXT))
        painter.drawText(QRectF(4, height - 16, width - 8, 14), Qt.AlignmentFlag.AlignLeft,
                         "Hexagon map: not to scale")
    painter.setPen(QPen(QColor(FRAME), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(frame.adjusted(0.5, 0.5, -0.5, -0.5))


def _frame_shape(to_image: QTransform, frame: QRectF):
    """The map's frame in British National Grid metres."""
    from shapely.geometry import box

    back, _ = to_image.inverted()
    corner_a, corner_b = back.map(frame.topLeft()), back.map(frame.bottomRight())
    return box(min(corner_a.x(), corner_b.x()), -max(corner_a.y(), corner_b.y()),
               max(corner_a.x(), corner_b.x()), -min(corner_a.y(), corner_b.y()))


def _furniture(width: float, height: float) -> tuple[QRectF, QRectF]:
    """Where the north arrow and the scale bar go: no label there."""
    return QRectF(width - 24, 0, 24, 28), QRectF(0, height - 22, 110, 22)


def _inside(shape):
    """A point well inside the largest part of ``shape`` (its pole of inaccessibility)."""
    import shapely
    from shapely.ops import polylabel

    parts = [p for p in shapely.get_parts(shape) if p.geom_type == "Polygon" and p.area > 0]
    if not parts:
        return shape.representative_point()
    largest = max(parts, key=lambda p: p.area)
    return polylabel(largest, tolerance=max(10.0, largest.area ** 0.5 / 50))


def _free_spot(painter: QPainter, spot: QPointF, text: str, taken: list[QRectF]) -> QPointF:
    """``spot``, or the nearest spot above or below it where the label clears those placed already."""
    step = painter.fontMetrics().height() + 2
    for shift in (0, 1, -1, 2, -2, 3, -3):
        moved = QPointF(spot.x(), spot.y() + shift * step)
        box = _box(painter, moved, text)
        if not any(box.intersects(other) for other in taken):
            taken.append(box)
            return moved
    return spot


def _box(painter: QPainter, spot: QPointF, text: str) -> QRectF:
    metrics = painter.fontMetrics()
    box = QRectF(0, 0, metrics.horizontalAdvance(text) + 6, metrics.height() + 2)
    box.moveCenter(spot)
    return box


def _label(painter: QPainter, spot: QPointF, text: str, colour: str) -> None:
    """``text`` centred on ``spot`` over a white halo, so it reads on any fill."""
    metrics = painter.fontMetrics()
    box = _box(painter, spot, text)
    outline = QPainterPath()
    outline.addText(box.left() + 3, box.top() + 1 + metrics.ascent(), painter.font(), text)
    painter.save()
    painter.setPen(QPen(QColor("#FFFFFF"), 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                        Qt.PenJoinStyle.RoundJoin))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(outline)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawPath(outline)
    painter.restore()


def _scale_bar(painter: QPainter, k: float, height: float) -> None:
    """A bar of a round length about a quarter of the map's width (k: pixels per metre)."""
    target = 60 / k
    step = 10 ** math.floor(math.log10(target))
    metres = max(m * step for m in (1, 2, 5) if m * step <= target) if target >= 1 else 1.0
    length = metres * k
    y, x = height - 8, 8
    painter.setPen(QPen(QColor("#333333"), 1.4))
    painter.drawLine(QPointF(x, y), QPointF(x + length, y))
    for end in (x, x + length):
        painter.drawLine(QPointF(end, y - 3), QPointF(end, y + 1))
    text = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    painter.drawText(QRectF(x + length + 4, y - 10, 60, 14), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     text)


def _north(painter: QPainter, width: float) -> None:
    x, top = width - 12, 6
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 210))  # readable over the beat's outline
    painter.drawRoundedRect(QRectF(x - 8, top - 3, 16, 27), 3, 3)
    arrow = QPainterPath()
    arrow.moveTo(x, top)
    arrow.lineTo(x + 4, top + 10)
    arrow.lineTo(x - 4, top + 10)
    arrow.closeSubpath()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#333333"))
    painter.drawPath(arrow)
    painter.setPen(QColor("#333333"))
    painter.drawText(QRectF(x - 8, top + 10, 16, 12), Qt.AlignmentFlag.AlignCenter, "N")
