"""The beat map: beats coloured by sector, ward outlines, labels; hover, click, zoom and pan.

Drawn in British National Grid metres with y flipped (north up). It shows the real beat outlines
when ward boundaries are loaded and the hexagon map otherwise: both come from the force read model,
the view only draws them. Selection is not kept here: the view reports clicks with ``beatClicked``
and shows whatever ``set_selected`` is told, so the tree and the map follow one selection. Places
are drawn here (``start_drawing``, see ``map_drawing``) and opened from their symbols (double-click,
context menu); the view only reports what was drawn or asked for, the main window acts on it.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import QApplication, QFrame, QGraphicsScene, QGraphicsView, QMenu
from shapely.geometry import Point

from beatdesk.services.force_view import HEXAGONS, ForceMap, tooltip_lines
from beatdesk.ui import palette
from beatdesk.ui.geometry_path import painter_path, scene_point
from beatdesk.ui.map_drawing import AREA, KEYS, POINT, MapDrawing
from beatdesk.ui.map_items import BeatItem, BeatLabel, WardOutlineItem

ZOOM_STEP = 1.25
MIN_ZOOM = 0.5  # relative to the fitted scale
MAX_ZOOM = 80.0
FIT_MARGIN = 0.04


def tooltip_html(lines: list[str]) -> str:
    """Rich text for a hover tooltip: the first line bold, indented lines kept indented."""
    if not lines:
        return ""
    out = [f"<b>{escape(lines[0])}</b>"]
    for line in lines[1:]:
        stripped = line.lstrip(" ")
        out.append("&nbsp;" * (2 * (len(line) - len(stripped))) + escape(stripped))
    return "<p style='white-space:pre-wrap; margin:0'>" + "<br>".join(out) + "</p>"


class MapView(QGraphicsView):
    beatClicked = Signal(object)  # beat code, or None for a click on no beat
    beatDoubleClicked = Signal(str)
    beatHovered = Signal(object)  # beat code, or None when the pointer leaves a beat
    zoomChanged = Signal()
    placesVisibleChanged = Signal(bool)
    placeDrawn = Signal(object)  # a shapely Point or Polygon in British National Grid metres
    placeEditRequested = Signal(int)  # place id
    placeRetireRequested = Signal(int)
    forceShown = Signal()  # the beats were drawn afresh (sector fills): overlays such as scores reapply
    firstPainted = Signal()  # the map has been painted once: the window builds the rest (see MainWindow)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setObjectName("beatMap")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)  # zoom_by anchors itself
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # cosmetic outlines reach past item bounds in scene units: repaint the whole (small) map
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setBackgroundBrush(QBrush(QColor(palette.MAP_BACKGROUND)))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumSize(320, 240)
        self.setMouseTracking(True)
        self._beats: dict[str, BeatItem] = {}
        self._labels: dict[str, BeatLabel] = {}
        self._wards: list[WardOutlineItem] = []
        self._label_order: list[str] = []
        self._places: list = []  # PlaceViews to draw; kept across show_force
        self._place_items: list = []
        self._places_visible = True
        self._content = QRectF()
        self._fit_scale = 1.0
        self._auto_fit = True
        self._press_pos: QPoint | None = None
        self._selected: str | None = None
        self.mode: str | None = None
        self.painted = False  # set by every paint (``screenshot.settle`` clears it to wait for the next)
        self.first_painted = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.drawing = MapDrawing(self)
        self.drawing.finished.connect(self.placeDrawn)

    # ---- content ------------------------------------------------------------------------------

    def show_force(self, force_map: ForceMap) -> None:
        """Draw ``force_map``: outlines and wards, or hexagons; keeps the current selection if it can."""
        scene = self.scene()
        self.drawing.cancel()  # its sketch is about to go with the scene
        scene.clear()
        self._beats.clear()
        self._screen_key = None  # new items: their places on screen are worked out afresh
        self._labels.clear()
        self._wards.clear()
        self._place_items.clear()  # scene.clear() deleted them
        self.mode = force_map.mode
        areas = {}
        for beat in force_map.beats:
            shape = force_map.shape(beat)
            areas[beat.code] = shape.area
            fill = palette.colour_in(force_map, beat.sector_code)
            item = BeatItem(beat.code, painter_path(shape), fill, tooltip_html(tooltip_lines(beat)), self._hovered)
            item.base_tooltip = item.toolTip()
            scene.addItem(item)
            self._beats[beat.code] = item
            if force_map.has_boundaries:
                for ward in beat.wards:
                    if ward.geometry is None:
                        continue
                    outline = WardOutlineItem(ward.code, ward.name, painter_path(ward.geometry))
                    scene.addItem(outline)
                    self._wards.append(outline)
            label = BeatLabel(beat.code, beat.name, fill)
            label.setPos(scene_point(*force_map.label_point(beat)))
            scene.addItem(label)
            self._labels[beat.code] = label
        # big beats label first: a small beat's label gives way when they would collide
        self._label_order = sorted(self._beats, key=lambda code: (-areas[code], code))
        minx, miny, maxx, maxy = force_map.bounds
        self._content = QRectF(QPointF(minx, -maxy), QPointF(maxx, -miny))
        pad_w, pad_h = self._content.width(), self._content.height()
        scene.setSceneRect(self._content.adjusted(-pad_w, -pad_h, pad_w, pad_h))
        if self._selected not in self._beats:
            self._selected = None
        for code, item in self._beats.items():
            item.set_selected(code == self._selected)
        self._draw_places()
        self._auto_fit = True
        self.fit()
        self.forceShown.emit()

    def beat_items(self) -> dict[str, BeatItem]:
        return dict(self._beats)

    # ---- fills and values (score colouring): brushes and labels only, the scene stays ---------------

    def set_beat_fills(self, fills: dict[str, tuple[str, bool]] | None) -> None:
        """Fill each beat code with (colour, hatched); beats not named, or all with None, take their
        sector's colour again."""
        fills = fills or {}
        for code, item in self._beats.items():
            fill, hatched = fills.get(code, (None, False))
            item.set_fill(fill, hatched)

    def set_beat_values(self, values: dict[str, str] | None) -> None:
        """Write a value after each beat's code ("87% ▲"); None or a missing code: the code alone."""
        values = values or {}
        for code, label in self._labels.items():
            item = self._beats[code]
            fill = item.fill.name() if item.fill != item.sector_fill else None
            label.set_value(values.get(code, ""), fill)
        self.layout_labels()

    def set_beat_tooltips(self, tooltips: dict[str, str] | None) -> None:
        """Rich-text tooltips by beat code; None puts back the beat's own (wards and team)."""
        for code, item in self._beats.items():
            if tooltips is None:
                item.setToolTip(item.base_tooltip)
            elif code in tooltips:
                item.setToolTip(tooltips[code])

    def ward_items(self) -> list[WardOutlineItem]:
        return list(self._wards)

    def labels(self) -> dict[str, BeatLabel]:
        return dict(self._labels)

    # ---- places layer -------------------------------------------------------------------------

    def show_places(self, places: list) -> None:
        """Draw ``places`` (``PlaceView``s from ``services.places.places_for_map``) above the beats.

        Places are drawn on real outlines only: on the hexagon map their coordinates mean nothing, so
        the layer stays empty until ward boundaries are loaded (and fills when ``show_force`` redraws)."""
        self._places = list(places)
        self._draw_places()

    def _draw_places(self) -> None:
        scene = self.scene()
        for item in self._place_items:
            scene.removeItem(item)
        self._place_items = []
        if self.mode == HEXAGONS or self.mode is None or not self._places:
            return
        from beatdesk.ui.place_items import place_item  # with the places' model: not before they are drawn

        for place in self._places:
            item = place_item(place)
            item.setVisible(self._places_visible)
            scene.addItem(item)
            self._place_items.append(item)

    def place_items(self) -> list:
        return list(self._place_items)

    def place_at(self, pos: QPoint):
        """The place (``PlaceView``) whose symbol or area is under viewport position ``pos``, if shown."""
        from beatdesk.ui.place_items import place_of

        for item in self.items(pos):
            place = place_of(item)
            if place is not None and item.isVisible():
                return place
        return None

    # ---- drawing places -----------------------------------------------------------------------

    @property
    def can_draw(self) -> bool:
        """Places are drawn on real outlines only: the hexagon map's coordinates mean nothing."""
        return self.mode not in (HEXAGONS, None)

    def start_drawing(self, kind: str) -> bool:
        """Draw a ``"point"`` or an ``"area"``; ``placeDrawn`` reports the geometry. False on the hexagon map."""
        if not self.can_draw or kind not in (POINT, AREA):
            return False
        self.drawing.start(kind)
        return True

    def context_menu(self, pos: QPoint) -> QMenu | None:
        """The menu for a right-click at viewport position ``pos``: the drawing's steps while drawing, a
        place's edit and retire, else a new place at that point (on real outlines)."""
        menu = QMenu(self)
        if self.drawing.active:
            if self.drawing.kind == AREA:
                menu.addAction("Finish area", self.drawing.finish).setEnabled(len(self.drawing.corners) >= 3)
                menu.addAction("Remove last corner", self.drawing.remove_last).setEnabled(bool(self.drawing.corners))
            menu.addAction("Cancel drawing", self.drawing.cancel)
            return menu
        place = self.place_at(pos)
        if place is not None:
            menu.addAction(f"Edit place “{place.name}”…", lambda: self.placeEditRequested.emit(place.id))
            menu.addAction("Retire place…", lambda: self.placeRetireRequested.emit(place.id))
            return menu
        if self.can_draw:
            at = self.mapToScene(pos)
            menu.addAction("New place here…", lambda: self.placeDrawn.emit(Point(at.x(), -at.y())))
            return menu
        return None

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        menu = self.context_menu(event.pos())
        if menu is not None:
            self.popup(menu, event.globalPos())
            event.accept()

    def popup(self, menu: QMenu, at: QPoint) -> None:
        """Show ``menu`` at global position ``at`` until it closes (tests replace this)."""
        menu.exec(at)

    def event(self, event) -> bool:
        # while drawing, Esc, Enter and Backspace belong to the drawing, not to the window's shortcuts
        if event.type() == QEvent.Type.ShortcutOverride and self.drawing.active and event.key() in KEYS:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if self.drawing.key(event.key()):
            event.accept()
            return
        super().keyPressEvent(event)

    @property
    def places_visible(self) -> bool:
        return self._places_visible

    def set_places_visible(self, visible: bool) -> None:
        """Show or hide the places layer (the layer's menu action is wired by the main window)."""
        visible = bool(visible)
        if visible == self._places_visible:
            return
        self._places_visible = visible
        for item in self._place_items:
            item.setVisible(visible)
        self.placesVisibleChanged.emit(visible)

    # ---- selection and hover ------------------------------------------------------------------

    @property
    def selected(self) -> str | None:
        return self._selected

    def set_selected(self, code: str | None) -> None:
        """Highlight ``code`` (None clears); brings the beat into view if it is off screen."""
        if code not in self._beats:
            code = None
        if code == self._selected:
            return
        if self._selected in self._beats:
            self._beats[self._selected].set_selected(False)
        self._selected = code
        if code is not None:
            item = self._beats[code]
            item.set_selected(True)
            visible = self.mapToScene(self.viewport().rect()).boundingRect()
            if not visible.contains(item.sceneBoundingRect().center()):
                self.centerOn(item)
        self.layout_labels()

    def beat_at(self, pos: QPoint) -> str | None:
        """The beat under viewport position ``pos``, if any."""
        for item in self.items(pos):
            if isinstance(item, BeatItem):
                return item.code
        return None

    def beat_view_position(self, code: str) -> QPoint:
        """Where beat ``code``'s label sits in viewport pixels: a point inside the beat."""
        return self.mapFromScene(self._labels[code].pos())

    def _hovered(self, code: str | None) -> None:
        self.beatHovered.emit(code)

    # ---- zoom and pan -------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        """The current scale relative to the whole force fitted in the view."""
        return self.transform().m11() / self._fit_scale if self._fit_scale else 1.0

    @property
    def auto_fit(self) -> bool:
        return self._auto_fit

    def fit(self) -> None:
        """Show the whole force; the map keeps fitting itself on resize until the user zooms or pans."""
        self._auto_fit = True
        # a hidden view fits when it is shown (showEvent): fitting a size it will not have wastes start-up
        if self._content.isEmpty() or not self.isVisible() or self.viewport().width() < 2:
            return
        margin_w = self._content.width() * FIT_MARGIN
        margin_h = self._content.height() * FIT_MARGIN
        padded = self._content.adjusted(-margin_w, -margin_h, margin_w, margin_h)
        self.fitInView(padded, Qt.AspectRatioMode.KeepAspectRatio)
        self._fit_scale = self.transform().m11()
        self.layout_labels()
        self.zoomChanged.emit()

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        """Zoom by ``factor`` keeping the scene point under viewport position ``anchor`` (default: the
        centre) where it is."""
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * factor))
        factor = target / self.zoom
        if abs(factor - 1.0) < 1e-9:
            return
        anchor = anchor if anchor is not None else self.viewport().rect().center()
        fixed = self.mapToScene(anchor)
        self._auto_fit = False
        self.scale(factor, factor)
        drift = self.mapFromScene(fixed) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + drift.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + drift.y())
        self.layout_labels()
        self.zoomChanged.emit()

    def zoom_to_beat(self, code: str) -> None:
        """Fill the view with beat ``code`` (within the zoom limits)."""
        item = self._beats.get(code)
        if item is None or self._fit_scale <= 0:
            return
        rect = item.sceneBoundingRect()
        margin = max(rect.width(), rect.height()) * 0.25
        self.fitInView(rect.adjusted(-margin, -margin, margin, margin), Qt.AspectRatioMode.KeepAspectRatio)
        zoom = self.zoom
        if zoom > MAX_ZOOM or zoom < 1.0:
            factor = min(MAX_ZOOM, max(1.0, zoom)) / zoom
            self.scale(factor, factor)
            self.centerOn(item)
        self._auto_fit = False
        self.layout_labels()
        self.zoomChanged.emit()

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        left = event.button() == Qt.MouseButton.LeftButton
        if self.drawing.active:
            if left and self.drawing.kind == AREA:
                # the double-click's first click placed the last corner (click() skips the repeat)
                pos = event.position().toPoint()
                self.drawing.click(self.mapToScene(pos), pos)
                self.drawing.finish()
            self._press_pos = None
            event.accept()
            return
        place = self.place_at(event.position().toPoint()) if left else None
        if place is not None:
            self.placeEditRequested.emit(place.id)
            event.accept()
            return
        code = self.beat_at(event.position().toPoint()) if left else None
        if code:
            self.beatDoubleClicked.emit(code)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt override)
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(ZOOM_STEP**steps, event.position().toPoint())
        event.accept()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit()
        else:
            self.layout_labels()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._auto_fit:
            self.fit()

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        self.painted = True
        if not self.first_painted:
            self.first_painted = True
            self.firstPainted.emit()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        super().mouseMoveEvent(event)
        if self.drawing.active:
            self.drawing.move(self.mapToScene(event.position().toPoint()))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        self.drawing.restore_cursor()
        if event.button() != Qt.MouseButton.LeftButton or self._press_pos is None:
            return
        pos = event.position().toPoint()
        moved = (pos - self._press_pos).manhattanLength()
        self._press_pos = None
        if moved <= QApplication.startDragDistance() and self.drawing.active:
            self.drawing.click(self.mapToScene(pos), pos)  # a click while drawing places, never selects
        elif moved <= QApplication.startDragDistance():
            self.beatClicked.emit(self.beat_at(pos))
        else:
            self._auto_fit = False  # the user panned: stop re-fitting on resize

    # ---- labels -------------------------------------------------------------------------------

    def _on_screen(self) -> tuple[dict[str, QRectF], dict[str, QPointF]]:
        """Each beat's box and label centre in view pixels; kept until the view moves or the beats change
        (a recolour lays the labels out again without the view moving)."""
        t = self.viewportTransform()
        key = (len(self._beats), t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy())
        if getattr(self, "_screen_key", None) != key:
            rects = {code: QRectF(self.mapFromScene(item.sceneBoundingRect()).boundingRect())
                     for code, item in self._beats.items()}
            centres = {code: QPointF(self.mapFromScene(label.pos())) for code, label in self._labels.items()}
            self._screen_key, self._screen = key, (rects, centres)
        return self._screen

    def layout_labels(self) -> None:
        """Show each label where it fits: names only in beats big enough, no two labels overlapping.

        The selected beat's label is placed first; a beat too small on screen for its label shows none
        (its outline, the tree and the panel still show it) until the user zooms in."""
        placed = _RectGrid()
        order = self._label_order
        if self._selected in self._labels:
            order = [self._selected, *[c for c in order if c != self._selected]]
        view_rects, centres = self._on_screen()

        def name_fits(code: str) -> bool:
            width, height = self._labels[code].size_with_name()
            rect = view_rects[code]
            if self.mode == HEXAGONS:  # the widest and tallest text box a hexagon holds comfortably
                return width <= rect.width() * 0.86 and height <= rect.height() * 0.62
            return width <= rect.width() * 0.7 and height <= rect.height() * 0.5

        # on the hexagon map every beat is the same size: show all names or none, never a mixture
        all_names = self.mode == HEXAGONS and all(name_fits(code) for code in self._labels)
        for code in order:
            label = self._labels[code]
            centre = centres[code]
            want_name = all_names if self.mode == HEXAGONS else name_fits(code)
            shown = False
            for show_name in (True, False) if want_name else (False,):
                label.set_show_name(show_name)
                rect = label.boundingRect().translated(centre)
                fits_beat = rect.width() <= view_rects[code].width() * 1.6
                if fits_beat and not placed.overlaps(rect):
                    placed.add(rect)
                    shown = True
                    break
            label.setVisible(shown)


class _RectGrid:
    """Placed label boxes by 64-pixel cell, so checking a new box against them looks at its neighbours
    only (600 labels checked against each other one by one took most of a recolour)."""

    CELL = 64.0

    def __init__(self):
        self._cells: dict[tuple[int, int], list[QRectF]] = {}

    def _keys(self, rect: QRectF):
        c = self.CELL
        for x in range(int(rect.left() // c), int(rect.right() // c) + 1):
            for y in range(int(rect.top() // c), int(rect.bottom() // c) + 1):
                yield x, y

    def overlaps(self, rect: QRectF) -> bool:
        return any(rect.intersects(other) for key in self._keys(rect) for other in self._cells.get(key, ()))

    def add(self, rect: QRectF) -> None:
        for key in self._keys(rect):
            self._cells.setdefault(key, []).append(rect)
