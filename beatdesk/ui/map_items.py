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
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)  # width in screen pixels, whatever the zoom
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


@lru_cache(maxsize=1024)
def _label_colours(fill: str) -> tuple[str, str]:
    """Text and halo colours on ``fill``, worked out once per colour: recolouring 600 beats stays cheap."""
    return palette.text_colour(fill), palette.halo_colour(fill)


class BeatItem(QGraphicsPathItem):
    """One beat's area (its outline or its hexagon), filled with its sector's colour."""

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
        self.fill = QColor(fill) if fill is not None else QColor(self.sector_fill)
        self.hatched = bool(hatched) and fill is not None
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

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        super().paint(painter, option, widget)
        if self.hatched:  # "no score" reads as a pattern too, not only as a shade of grey
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor("#7A7A7A"), Qt.BrushStyle.BDiagPattern))
            painter.drawPath(self.path())
        if self._selected:  # a black-and-white double line shows on every fill, dark or light
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(_cosmetic_pen(palette.SELECTED_OUTLINE, 5.0))
            painter.drawPath(self.path())
            painter.setPen(_cosmetic_pen("#FFFFFF", 2.0))
            painter.drawPath(self.path())

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
        self._show_name = False
        self._sector_fill = fill
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setZValue(LABEL_Z)
        self._runs, self._rect = self._lay_out()

    def _set_colours(self, fill: str) -> None:
        text, halo = _label_colours(fill)
        self._text, self._halo = QColor(text), QColor(halo)
        self._halo.setAlpha(HALO_ALPHA)

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
        width = max([code.horizontalAdvance(h) for h in heads] + [name.horizontalAdvance(line) for line in lines])
        return width + 2 * self.PADDING, len(heads) * code.height() + len(lines) * name.height() + 2 * self.PADDING

    def _head_lines(self) -> list[str]:
        """The code, and the value under it: two short lines fit a small beat where one long one would not."""
        return [self.code, self.value] if self.value else [self.code]

    def _lay_out(self) -> tuple[list[tuple[QPointF, str, QFont]], QRectF]:
        """Where each line's baseline starts (lines centred on the label's position), and the text's box."""
        lines = [(head, self._code_font, self._code_metrics) for head in self._head_lines()]
        if self._show_name:
            lines += [(line, self._name_font, self._name_metrics) for line in self._name_lines()]
        height = sum(m.height() for _, _, m in lines)
        width = max(m.horizontalAdvance(text) for text, _, m in lines)
        y = -height / 2
        runs = []
        for text, font, m in lines:
            runs.append((QPointF(-m.horizontalAdvance(text) / 2, y + m.ascent()), text, font))
            y += m.height()
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
