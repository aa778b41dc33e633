"""Drawing a place on the beat map: one click for a point, clicked corners for an area.

While a drawing is under way the map view hands its clicks, pointer moves and keys here and keeps its
own pan and zoom (a drag still pans, the wheel still zooms), so an outline can be drawn across zooms.
The finished geometry is a shapely point or polygon in British National Grid metres: the scene's y is
minus the northing (see ``geometry_path``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import QGraphicsItem, QLabel, QStyleOptionGraphicsItem, QWidget
from shapely.geometry import Point, Polygon

POINT, AREA = "point", "area"
SKETCH_Z = 20.0  # above beat labels: what is being drawn is never hidden
MIN_GAP_PX = 4  # a click this close to the last corner adds none (the second click of a double-click)
CORNER_PX = 7.0
INK = QColor("#FFD700")  # yellow on a black rim: stands out on every sector colour and on places
RIM = QColor("#000000")
HINTS = {
    POINT: "Click the place on the map.  Esc cancels.",
    AREA: "Click the corners of the area: double-click or Enter finishes, Backspace removes the last "
          "corner, Esc cancels.",
}
FINISH_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
UNDO_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)
KEYS = (*FINISH_KEYS, *UNDO_KEYS, Qt.Key.Key_Escape)


class SketchItem(QGraphicsItem):
    """The area being drawn: its corners, a rubber band to the pointer and a dashed edge back to the
    first corner, so the user sees the polygon that Enter would make."""

    def __init__(self) -> None:
        super().__init__()
        self.corners: list[QPointF] = []
        self.pointer: QPointF | None = None
        self.setZValue(SKETCH_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_state(self, corners: list[QPointF], pointer: QPointF | None) -> None:
        self.prepareGeometryChange()
        self.corners, self.pointer = list(corners), pointer
        self.update()

    def _points(self) -> list[QPointF]:
        return self.corners + ([self.pointer] if self.pointer is not None else [])

    def boundingRect(self) -> QRectF:  # noqa: N802
        points = self._points()
        if not points:
            return QRectF()
        views = self.scene().views() if self.scene() else []
        scale = views[0].transform().m11() if views else 1.0
        pad = 12.0 / scale if scale else 12.0  # corner squares and pens are in screen pixels
        return QPolygonF(points).boundingRect().adjusted(-pad, -pad, pad, pad)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        points = self._points()
        if not points:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if len(points) >= 3:
            fill = QColor(INK)
            fill.setAlpha(60)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(fill))
            painter.drawPolygon(QPolygonF(points))
        drawn = QPainterPath(points[0])
        for point in points[1:]:
            drawn.lineTo(point)
        closing = QPainterPath(points[-1])
        closing.lineTo(points[0])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for path, style in ((drawn, Qt.PenStyle.SolidLine), (closing, Qt.PenStyle.DashLine)):
            if path.elementCount() < 2 or len(points) < 2:
                continue
            for colour, width in ((RIM, 4.0), (INK, 2.0)):
                pen = QPen(colour, width, style if colour == INK else Qt.PenStyle.SolidLine)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.drawPath(path)
        # corner squares of fixed screen size
        to_screen = painter.worldTransform()
        painter.save()
        painter.setWorldTransform(QTransform())
        painter.setPen(QPen(RIM, 1.5))
        painter.setBrush(QBrush(INK))
        h = CORNER_PX / 2
        for corner in self.corners:
            at = to_screen.map(corner)
            painter.drawRect(QRectF(at.x() - h, at.y() - h, CORNER_PX, CORNER_PX))
        painter.restore()


class HintLabel(QLabel):
    """What to do next, on the map itself while drawing (the status bar is taken by hover text)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("drawingHint")
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel#drawingHint { background: rgba(27, 27, 27, 215); color: white; padding: 6px 10px;"
            " border-radius: 4px; }"
        )
        self.hide()

    def show_text(self, text: str) -> None:
        parent = self.parentWidget()
        self.setText(text)
        wanted = self.fontMetrics().horizontalAdvance(text) + 24  # one line when it fits
        width = min(wanted, 560, max(200, parent.width() - 24))
        self.setFixedWidth(width)
        self.adjustSize()
        self.move((parent.width() - width) // 2, 10)
        self.show()
        self.raise_()


class MapDrawing(QObject):
    """The drawing state of one map view. ``finished`` carries the geometry once the user is done;
    the view is back to normal panning and selecting before it is emitted."""

    finished = Signal(object)  # shapely Point or Polygon in British National Grid metres
    cancelled = Signal()

    def __init__(self, view) -> None:
        super().__init__(view)
        self.view = view
        self.kind: str | None = None
        self.corners: list[QPointF] = []
        self.sketch: SketchItem | None = None
        self.hint = HintLabel(view)

    @property
    def active(self) -> bool:
        return self.kind is not None

    def start(self, kind: str) -> None:
        """Begin drawing a ``POINT`` or an ``AREA`` (a drawing already under way is dropped)."""
        self._stop()
        self.kind = kind
        self.corners = []
        if kind == AREA:
            self.sketch = SketchItem()
            self.view.scene().addItem(self.sketch)
        self.restore_cursor()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.hint.show_text(HINTS[kind])

    def restore_cursor(self) -> None:
        """The crosshair while drawing (the view's hand-drag resets the cursor after each press)."""
        if self.active:
            self.view.viewport().setCursor(Qt.CursorShape.CrossCursor)

    def click(self, scene_pos: QPointF, view_pos: QPoint) -> None:
        if self.kind == POINT:
            self._finish(Point(scene_pos.x(), -scene_pos.y()))
            return
        if self.corners:
            last = self.view.mapFromScene(self.corners[-1])
            if (last - view_pos).manhattanLength() < MIN_GAP_PX:
                return
        self.corners.append(QPointF(scene_pos))
        self._update(scene_pos)

    def move(self, scene_pos: QPointF) -> None:
        if self.kind == AREA and self.corners:
            self._update(scene_pos)

    def finish(self) -> bool:
        """End an area at its last corner; refused (drawing goes on) with fewer than three corners."""
        if self.kind != AREA:
            return False
        if len(self.corners) < 3:
            left = 3 - len(self.corners)
            self.hint.show_text(
                f"An area needs at least 3 corners: click {left} more, or Esc to cancel."
            )
            return False
        self._finish(Polygon([(p.x(), -p.y()) for p in self.corners]))
        return True

    def remove_last(self) -> None:
        if self.corners:
            self.corners.pop()
            self._update(self.sketch.pointer if self.sketch else None)

    def cancel(self) -> None:
        if self.active:
            self._stop()
            self.cancelled.emit()

    def key(self, key: int) -> bool:
        """Handle a key pressed while drawing; True when it was one of the drawing keys."""
        if not self.active or key not in KEYS:
            return False
        if key == Qt.Key.Key_Escape:
            self.cancel()
        elif key in UNDO_KEYS:
            self.remove_last()
        else:
            self.finish()
        return True

    def _update(self, pointer: QPointF | None) -> None:
        if self.sketch is not None:
            self.sketch.set_state(self.corners, pointer)
        if self.kind == AREA:
            count = len(self.corners)
            self.hint.show_text(f"{count} corner{'s' if count != 1 else ''} so far. {HINTS[AREA]}")

    def _finish(self, geometry) -> None:
        self._stop()
        self.finished.emit(geometry)

    def _stop(self) -> None:
        if self.sketch is not None and self.sketch.scene() is not None:
            self.sketch.scene().removeItem(self.sketch)
        self.sketch = None
        self.kind = None
        self.corners = []
        self.hint.hide()
        self.view.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
