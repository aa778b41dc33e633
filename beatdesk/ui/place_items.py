"""The places layer of the beat map: hotspots, high-risk and vulnerable locations.

Each kind has its own colour and its own shape, so kinds stay apart for colour-blind readers and in
greyscale print: colours are from Paul Tol's colour-blind-safe "vibrant" scheme (none of them a
sector fill). Points are symbols of fixed screen size with a white outline and a dark rim, legible on
every sector; polygons are translucent and hatched so the beat beneath still shows. The layer sits
above beats and ward outlines and below beat labels, and takes no clicks: a click still selects the
beat beneath, while the map view finds a place under the pointer (``place_of``) to open or retire it.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPainterPathStroker, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from beatdesk.models import PlaceKind
from beatdesk.ui.geometry_path import painter_path, scene_point

PLACE_AREA_Z = 4.0
PLACE_POINT_Z = 5.0  # beat labels are at 10: a label is never hidden under a symbol

KIND_COLOURS: dict[PlaceKind, str] = {
    PlaceKind.HOTSPOT: "#EE7733",  # orange, triangle
    PlaceKind.HIGH_RISK: "#CC3311",  # red, diamond
    PlaceKind.VULNERABLE: "#0077BB",  # blue, square
}
KIND_SHAPES: dict[PlaceKind, str] = {
    PlaceKind.HOTSPOT: "triangle",
    PlaceKind.HIGH_RISK: "diamond",
    PlaceKind.VULNERABLE: "square",
}
SYMBOL_PX = 12.0


def tooltip_html(lines: list[str]) -> str:
    if not lines:
        return ""
    return "<p style='margin:0'>" + "<br>".join([f"<b>{escape(lines[0])}</b>", *map(escape, lines[1:])]) + "</p>"


def symbol_path(kind: PlaceKind, size: float = SYMBOL_PX) -> QPainterPath:
    """The kind's symbol centred on (0, 0), ``size`` pixels across."""
    h = size / 2
    path = QPainterPath()
    shape = KIND_SHAPES[kind]
    if shape == "triangle":
        path.addPolygon(QPolygonF([QPointF(0, -h * 1.1), QPointF(h * 1.1, h * 0.8), QPointF(-h * 1.1, h * 0.8)]))
    elif shape == "diamond":
        path.addPolygon(QPolygonF([QPointF(0, -h * 1.15), QPointF(h * 1.15, 0), QPointF(0, h * 1.15), QPointF(-h * 1.15, 0)]))
    else:
        path.addRect(QRectF(-h * 0.85, -h * 0.85, h * 1.7, h * 1.7))
    path.closeSubpath()
    return path


class PlacePointItem(QGraphicsItem):
    """A place that is a point: its kind's symbol at a fixed screen size."""

    def __init__(self, place):
        super().__init__()
        self.place = place
        self.kind = place.kind
        self._path = symbol_path(place.kind)
        self._fill = QColor(KIND_COLOURS[place.kind])
        self.setPos(scene_point(place.geometry.x, place.geometry.y))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(tooltip_html(place.tooltip_lines()))
        self.setZValue(PLACE_POINT_Z)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._path.boundingRect().adjusted(-3, -3, 3, 3)

    def shape(self) -> QPainterPath:
        return self._path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        draw_symbol(painter, self._path, self._fill)


def draw_symbol(painter: QPainter, path: QPainterPath, fill: QColor) -> None:
    """A place symbol as the map draws it: a dark rim, so the white outline shows on pale fills too.

    The rim and outline are filled, pre-stroked shapes: stroking wide pens on every paint is Qt's slow
    path, and a map holds dozens of symbols."""
    rim, outline = _strokes(path)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.fillPath(rim, RIM_COLOUR)
    painter.fillPath(path, fill)
    painter.fillPath(outline, OUTLINE_COLOUR)


RIM_COLOUR = QColor(0, 0, 0, 170)
OUTLINE_COLOUR = QColor("#FFFFFF")
_STROKES: dict[tuple, tuple[QPainterPath, QPainterPath]] = {}


def _strokes(path: QPainterPath) -> tuple[QPainterPath, QPainterPath]:
    """The 4 px dark rim and the 2 px white outline around ``path``, made once per symbol shape."""
    key = tuple((path.elementAt(i).x, path.elementAt(i).y) for i in range(path.elementCount()))
    if key not in _STROKES:
        strokes = []
        for width in (4.0, 2.0):
            stroker = QPainterPathStroker()
            stroker.setWidth(width)
            stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
            stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            strokes.append(stroker.createStroke(path).united(path) if width == 4.0 else stroker.createStroke(path))
        _STROKES[key] = (strokes[0], strokes[1])
    return _STROKES[key]


def symbol_pixmap(kind: PlaceKind, size: int = 18) -> QPixmap:
    """The kind's symbol on a transparent square, for the map key."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.translate(size / 2, size / 2)
    draw_symbol(painter, symbol_path(kind, size - 6), QColor(KIND_COLOURS[kind]))
    painter.end()
    return pixmap


class PlaceAreaItem(QGraphicsPathItem):
    """A place that is a polygon: translucent, hatched in its kind's colour, with a white-edged outline."""

    def __init__(self, place):
        super().__init__(painter_path(place.geometry))
        self.place = place
        self.kind = place.kind
        colour = QColor(KIND_COLOURS[place.kind])
        self._hatch = QColor(colour)
        translucent = QColor(colour)
        translucent.setAlpha(70)
        self.setBrush(QBrush(translucent))
        pen = QPen(colour, 2.0)
        pen.setCosmetic(True)
        self.setPen(pen)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(tooltip_html(place.tooltip_lines()))
        self.setZValue(PLACE_AREA_Z)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        halo = QPen(QColor("#FFFFFF"), 4.0)
        halo.setCosmetic(True)
        painter.setPen(halo)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        super().paint(painter, option, widget)
        # hatching in screen pixels: the same spacing at every zoom
        painter.save()
        hatch = QBrush(self._hatch, Qt.BrushStyle.BDiagPattern)
        hatch.setTransform(painter.worldTransform().inverted()[0])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(hatch)
        painter.drawPath(self.path())
        painter.restore()


def place_item(place) -> QGraphicsItem:
    """The item that draws ``place`` (a ``PlaceView``): a symbol for a point, an area for a polygon."""
    if place.geometry.geom_type == "Point":
        return PlacePointItem(place)
    return PlaceAreaItem(place)


def place_of(item: QGraphicsItem):
    """The ``PlaceView`` that ``item`` draws, or None for any other item on the map."""
    return item.place if isinstance(item, PlacePointItem | PlaceAreaItem) else None
