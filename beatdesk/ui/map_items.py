"""The items the beat map is drawn with: a beat's area, a ward outline and a beat label."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from beatdesk.ui import palette

BEAT_Z = 0.0
WARD_Z = 1.0
HOVER_Z = 2.0
SELECTED_Z = 3.0
LABEL_Z = 10.0
SCORE_OUTLINE = "#8C929A"
HALO_ALPHA = 110  # drawn eight times over, shifted: about as strong as one 150 stroke was


def _cosmetic_pen(colour: str | QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    if isinstance(colour, str):
        return _named_pen(colour, width, style)
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)  # width in screen pixels, whatever the zoom
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


@lru_cache(maxsize=64)
def _named_pen(colour: str, width: float, style: Qt.PenStyle) -> QPen:
    """One pen per colour and width (a recolour restyles every beat: making pens was a fifth of it)."""
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)  # width in screen pixels, whatever the zoom
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


@lru_cache(maxsize=1024)
def _label_colours(fill: str) -> tuple[str, str]:
    """Text and halo colours on ``fill``, worked out once per colour: recolouring 600 beats stays cheap."""
    return palette.text_colour(fill), palette.halo_colour(fill)


@lru_cache(maxsize=1024)
def _label_qcolours(fill: str) -> tuple[QColor, QColor]:
    """The same as colours to paint with (shared: labels only read them)."""
    text, halo = _label_colours(fill)
    halo_colour = QColor(halo)
    halo_colour.setAlpha(HALO_ALPHA)
    return QColor(text), halo_colour


_WIDTHS: dict[tuple[str, str], float] = {}  # (font key, text): width in pixels; values and names repeat


def _width(metrics: QFontMetricsF, font_key: str, text: str) -> float:
    key = (font_key, text)
    width = _WIDTHS.get(key)
    if width is None:
        if len(_WIDTHS) > 20_000:
            _WIDTHS.clear()
        width = _WIDTHS[key] = metrics.horizontalAdvance(text)
    return width


class BeatItem(QGraphicsPathItem):
    """One beat's area (its outline or its hexagon), filled with its sector's colour.

    It paints in C++ (no Python ``paint``: with 600 beats that call was most of a map paint); the
    "no score" hatching and the selected beat's double line are child items shown when needed.
    """

    def __init__(self, code: str, path: QPainterPath, fill: str, tooltip: str, on_hover=None):
        super().__init__(path)
        self.code = code
        self.fill = QColor(fill)
        self.sector_fill = QColor(fill)  # what ``set_fill(None)`` goes back to
        self.hatched = False  # "no score": a grey fill drawn hatched
        self._on_hover = on_hover
        self._hovered = False
        self._selected = False
        self.setToolTip(tooltip)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._hatching: tuple[QGraphicsPathItem, ...] | None = None
        self._double_line: tuple[QGraphicsPathItem, ...] | None = None
        self._restyle()

    @property
    def hovered(self) -> bool:
        return self._hovered

    @property
    def selected(self) -> bool:
        return self._selected

    def set_selected(self, selected: bool) -> None:
        if selected != self._selected:
            self._selected = selected
            self._restyle()

    def set_hovered(self, hovered: bool) -> None:
        if hovered != self._hovered:
            self._hovered = hovered
            self._restyle()

    def set_fill(self, fill: str | QColor | None, hatched: bool = False) -> None:
        """Fill with ``fill`` (None: the sector's colour again); only the brush changes, never the path."""
        colour = QColor(fill) if fill is not None else QColor(self.sector_fill)
        hatched = bool(hatched) and fill is not None
        if colour == self.fill and hatched == self.hatched:
            return  # the same colour again (a beat whose value did not change): nothing to restyle
        self.fill, self.hatched = colour, hatched
        self._restyle()

    def _restyle(self) -> None:
        fill = QColor(self.fill)
        if self._hovered and not self._selected:
            fill = fill.lighter(118)
        self.setBrush(QBrush(fill))
        if self._selected:
            self.setPen(_cosmetic_pen(palette.SELECTED_OUTLINE, 3.2))
            self.setZValue(SELECTED_Z)
        elif self._hovered:
            self.setPen(_cosmetic_pen(palette.HOVER_OUTLINE, 2.2))
            self.setZValue(HOVER_Z)
        else:
            # 1 px: Qt draws cosmetic lines up to 1 px on a fast path; at 1.4 px the 36 outlines took
            # three quarters of every map paint
            # on score colours, whose middle is near-white, a grey outline keeps pale beats apart
            outline = palette.OUTLINE if self.fill == self.sector_fill else SCORE_OUTLINE
            self.setPen(_cosmetic_pen(outline, 1.0))
            self.setZValue(BEAT_Z)
        if self.hatched or self._hatching is not None:
            # "no score" reads as a pattern too, not only as a shade of grey
            hatch = (Qt.PenStyle.NoPen, QBrush(QColor("#7A7A7A"), Qt.BrushStyle.BDiagPattern))
            self._overlay("_hatching", [hatch])[0].setVisible(self.hatched)
        if self._selected or self._double_line is not None:
            # a black-and-white double line shows on every fill, dark or light
            for line in self._overlay("_double_line", [(_cosmetic_pen(palette.SELECTED_OUTLINE, 5.0), None),
                                                       (_cosmetic_pen("#FFFFFF", 2.0), None)]):
                line.setVisible(self._selected)

    def _overlay(self, name: str, styles: list) -> tuple:
        """Child items over the beat's own path (made on first use), which take no events."""
        items = getattr(self, name)
        if items is None:
            made = []
            for pen, brush in styles:
                item = QGraphicsPathItem(self.path(), self)
                item.setPen(QPen(pen) if isinstance(pen, Qt.PenStyle) else pen)
                item.setBrush(brush if brush is not None else QBrush(Qt.BrushStyle.NoBrush))
                item.setAcceptHoverEvents(False)
                item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
                made.append(item)
            items = tuple(made)
            setattr(self, name, items)
        return items

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.set_hovered(True)
        if self._on_hover:
            self._on_hover(self.code)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802
        self.set_hovered(False)
        if self._on_hover:
            self._on_hover(None)
        super().hoverLeaveEvent(event)


class WardOutlineItem(QGraphicsPathItem):
    """A ward's outline, drawn thin over the beat that contains it; it takes no mouse events."""

    def __init__(self, code: str, name: str, path: QPainterPath):
        super().__init__(path)
        self.code = code
        self.name = name
        # solid, thin and faint: a dashed pen costs a third of every map paint
        self.setPen(_cosmetic_pen(QColor(255, 255, 255, 100), 0.7))
        self.setBrush(Qt.BrushStyle.NoBrush)
        self.setAcceptHoverEvents(False)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(WARD_Z)


class BeatLabel(QGraphicsItem):
    """A beat's code (and, when there is room, its name) at a fixed screen size, with a halo.

    It ignores the view's zoom, so it stays legible at every scale; the map hides labels that would
    overlap and shows names only where the beat is big enough on screen. The text is drawn as text
    (from the glyph cache) with its halo drawn as the same text shifted a pixel each way: filling
    the text and its stroked outline as painter paths took four fifths of every map paint.
    """

    PADDING = 2.0
    HALO_SHIFTS = tuple(QPointF(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy)

    def __init__(self, code: str, name: str, fill: str):
        super().__init__()
        self.code = code
        self.name = name
        self.value = ""  # "87% ▲" in score mode, written after the code
        self._set_colours(fill)
        self._code_font, self._name_font = _label_fonts()
        self._code_metrics, self._name_metrics = QFontMetricsF(self._code_font), QFontMetricsF(self._name_font)
        self._code_key, self._name_key = self._code_font.key(), self._name_font.key()
        self._show_name = False
        self._sector_fill = fill
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setZValue(LABEL_Z)
        self._runs, self._rect = self._lay_out()

    def _set_colours(self, fill: str) -> None:
        self._text, self._halo = _label_qcolours(fill)

    @property
    def head(self) -> str:
        """The first line: the code, and the value when one is shown ("NT01 · 87% ▲")."""
        return f"{self.code} · {self.value}" if self.value else self.code

    def set_value(self, value: str, fill: str | None = None) -> None:
        """Show ``value`` after the code ("" for none), legible on ``fill`` (the sector's colour if None)."""
        self._set_colours(fill or self._sector_fill)
        if value != self.value:
            self.prepareGeometryChange()
            self.value = value
            self._runs, self._rect = self._lay_out()
        else:
            self.update()

    @property
    def show_name(self) -> bool:
        return self._show_name

    def set_show_name(self, show: bool) -> None:
        if show != self._show_name:
            self.prepareGeometryChange()
            self._show_name = show
            self._runs, self._rect = self._lay_out()

    def _name_lines(self) -> list[str]:
        """The name on one line, or on two balanced lines when it is long."""
        words = self.name.split()
        if len(self.name) <= 14 or len(words) < 2:
            return [self.name]
        best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
        return [" ".join(words[:best]), " ".join(words[best:])]

    def size_with_name(self) -> tuple[float, float]:
        """Width and height in pixels the label needs when it shows the name too."""
        code, name = self._code_metrics, self._name_metrics
        lines = self._name_lines()
        heads = self._head_lines()
        width = max([_width(code, self._code_key, h) for h in heads] +
                    [_width(name, self._name_key, line) for line in lines])
        return width + 2 * self.PADDING, len(heads) * code.height() + len(lines) * name.height() + 2 * self.PADDING

    def _head_lines(self) -> list[str]:
        """The code, and the value under it: two short lines fit a small beat where one long one would not."""
        return [self.code, self.value] if self.value else [self.code]

    def _lay_out(self) -> tuple[list[tuple[QPointF, str, QFont]], QRectF]:
        """Where each line's baseline starts (lines centred on the label's position), and the text's box;
        the last few kept, as switching between colourings shows the same values again."""
        key = (self.value, self._show_name)
        cache = self.__dict__.setdefault("_layouts", {})
        if key not in cache:
            if len(cache) >= 8:
                cache.clear()
            cache[key] = self._measure()
        return cache[key]

    def _measure(self) -> tuple[list[tuple[QPointF, str, QFont]], QRectF]:
        code, name = (self._code_font, self._code_metrics, self._code_key), (self._name_font, self._name_metrics,
                                                                             self._name_key)
        lines = [(head, *code) for head in self._head_lines()]
        if self._show_name:
            lines += [(line, *name) for line in self._name_lines()]
        widths = [_width(m, key, text) for text, _, m, key in lines]
        heights = [m.height() for _, _, m, _ in lines]
        height, width = sum(heights), max(widths)
        y = -height / 2
        runs = []
        for (text, font, m, _), w, h in zip(lines, widths, heights):
            runs.append((QPointF(-w / 2, y + m.ascent()), text, font))
            y += h
        return runs, QRectF(-width / 2, -height / 2, width, height)

    def boundingRect(self) -> QRectF:  # noqa: N802
        pad = self.PADDING + 1  # the halo reaches a pixel beyond the text
        return self._rect.adjusted(-pad, -pad, pad, pad)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setPen(self._halo)  # every halo first: no line's halo covers another line's text
        for origin, text, font in self._runs:
            painter.setFont(font)
            for shift in self.HALO_SHIFTS:
                painter.drawText(origin + shift, text)
        painter.setPen(self._text)
        for origin, text, font in self._runs:
            painter.setFont(font)
            painter.drawText(origin, text)


@lru_cache(maxsize=1)
def _label_fonts() -> tuple[QFont, QFont]:
    """The code's font (bold) and the name's (a point smaller), made once for every label."""
    code = QFont()
    code.setBold(True)
    code.setPointSizeF(max(8.5, code.pointSizeF()))
    name = QFont()
    name.setPointSizeF(max(7.5, name.pointSizeF() - 1))
    return code, name
