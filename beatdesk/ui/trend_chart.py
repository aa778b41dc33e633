"""A beat's or an officer's monthly trend drawn with QPainter: the score (% of target), time outside
the station against the force's 60 % line, and tasks done on time where there are any.

Each line has its own colour (Paul Tol's colour-blind-safe "bright" scheme), dash and marker shape, so
the lines tell apart without colour; a month with nothing to count leaves a gap, never a zero.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QToolTip, QWidget

from beatdesk.services.scoring.tables import Trend, TrendPoint

SERIES = (  # key, label, colour, pen style, marker
    ("score", "Score (% of target)", "#0077BB", Qt.PenStyle.SolidLine, "circle"),
    ("time_outside", "Time outside (% of duty)", "#EE7733", Qt.PenStyle.DashLine, "square"),
    ("tasks_on_time", "Tasks on time (%)", "#009988", Qt.PenStyle.DotLine, "triangle"),
)
TARGET_COLOUR = "#CC3311"
GRID = "#D5D9DE"
TEXT = "#222222"
MUTED = "#666666"


def _value(point: TrendPoint, key: str) -> float | None:
    return getattr(point, key)


class TrendChart(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trendChart")
        self.setMinimumSize(420, 300)
        self.setMouseTracking(True)
        self.trend: Trend | None = None
        self.message = "Select a beat or an officer to see their last 12 months."
        self.drawn: dict[str, list[QPointF]] = {}  # what the last paint put where (tests, tooltips)
        self._columns: list[float] = []

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(560, 360)

    def set_trend(self, trend: Trend | None, message: str = "") -> None:
        self.trend = trend
        self.message = message
        self.update()

    def set_message(self, message: str) -> None:
        self.trend, self.message = None, message
        self.update()

    def shown_series(self) -> list[tuple]:
        """The lines with at least one value (tasks on time only where tasks fell due)."""
        if self.trend is None:
            return []
        return [s for s in SERIES if any(_value(p, s[0]) is not None for p in self.trend.points)]

    # ---- drawing -------------------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        self.drawn, self._columns = {}, []
        if self.trend is None:
            painter.setPen(QColor(MUTED))
            painter.drawText(self.rect().adjusted(16, 16, -16, -16),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
            return
        metrics = painter.fontMetrics()
        line = metrics.height()
        title = QFont(painter.font())
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(QColor(TEXT))
        s = self.trend.subject
        painter.drawText(QRectF(12, 8, self.width() - 24, line + 4), Qt.AlignmentFlag.AlignLeft,
                         metrics.elidedText(f"{s.code} {s.name}: last {len(self.trend.points)} months",
                                            Qt.TextElideMode.ElideRight, self.width() - 24))
        painter.setFont(self.font())
        legend_bottom = self._legend(painter, 12, 14 + line, self.width() - 24)
        plot = QRectF(44, legend_bottom + 10, self.width() - 44 - 16, self.height() - legend_bottom - 10 - 2.4 * line)
        if plot.width() < 60 or plot.height() < 40:
            return
        top = self._top()
        self._axes(painter, plot, top)
        self._target(painter, plot, top)
        for key, _label, colour, style, marker in self.shown_series():
            self._line(painter, plot, top, key, colour, style, marker)
        if self.message:
            painter.setPen(QColor(MUTED))
            painter.drawText(plot.adjusted(8, 4, -8, 0), Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight,
                             self.message)

    def _top(self) -> float:
        values = [v for p in self.trend.points for k, *_ in SERIES if (v := _value(p, k)) is not None]
        return max(25.0, math.ceil(max([100.0, self.trend.outside_target, *values]) / 25.0) * 25.0)

    def _legend(self, painter: QPainter, x: float, y: float, width: float) -> float:
        metrics = painter.fontMetrics()
        items = [(label, colour, style, marker) for _k, label, colour, style, marker in self.shown_series()]
        items.append((f"{self.trend.outside_target:g} % time-outside target", TARGET_COLOUR, Qt.PenStyle.DashDotLine,
                      ""))
        left, line = x, metrics.height() + 4
        for label, colour, style, marker in items:
            span = 34 + metrics.horizontalAdvance(label) + 16
            if x + span > left + width and x > left:
                x, y = left, y + line
            mid = y + line / 2
            painter.setPen(QPen(QColor(colour), 2, style))
            painter.drawLine(QPointF(x, mid), QPointF(x + 26, mid))
            if marker:
                self._marker(painter, QPointF(x + 13, mid), colour, marker)
            painter.setPen(QColor(TEXT))
            painter.drawText(QRectF(x + 32, y, span, line), Qt.AlignmentFlag.AlignVCenter, label)
            x += span
        return y + line

    def _axes(self, painter: QPainter, plot: QRectF, top: float) -> None:
        metrics = painter.fontMetrics()
        step = 25.0 if top <= 150 else 50.0
        value = 0.0
        while value <= top + 0.1:
            y = self._y(plot, top, value)
            painter.setPen(QPen(QColor(GRID), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor(MUTED))
            painter.drawText(QRectF(0, y - 8, plot.left() - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{value:g} %")
            value += step
        points = self.trend.points
        width = plot.width() / len(points)
        every = 1 if metrics.horizontalAdvance("May") + 6 <= width else 2
        first = (len(points) - 1) % every  # the months labelled end with the last one
        for i, point in enumerate(points):
            x = plot.left() + width * (i + 0.5)
            self._columns.append(x)
            if (i - first) % every:
                continue
            month = point.period.start
            text = f"{month:%b}" + (f"\n{month:%Y}" if i == first or month.month <= every and i else "")
            painter.drawText(QRectF(x - width, plot.bottom() + 4, 2 * width, 2.2 * metrics.height()),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)

    def _target(self, painter: QPainter, plot: QRectF, top: float) -> None:
        y = self._y(plot, top, self.trend.outside_target)
        painter.setPen(QPen(QColor(TARGET_COLOUR), 1.5, Qt.PenStyle.DashDotLine))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))

    def _line(self, painter: QPainter, plot: QRectF, top: float, key: str, colour: str, style, marker: str) -> None:
        points = [None if (v := _value(p, key)) is None else QPointF(x, self._y(plot, top, v))
                  for p, x in zip(self.trend.points, self._columns, strict=True)]
        path, pen_down = QPainterPath(), False
        for point in points:
            if point is None:
                pen_down = False
            elif pen_down:
                path.lineTo(point)
            else:
                path.moveTo(point)
                pen_down = True
        painter.setPen(QPen(QColor(colour), 2.2, style))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        for point in points:
            if point is not None:
                self._marker(painter, point, colour, marker)
        self.drawn[key] = [p for p in points if p is not None]

    @staticmethod
    def _marker(painter: QPainter, at: QPointF, colour: str, shape: str) -> None:
        painter.setPen(QPen(QColor("#FFFFFF"), 1))
        painter.setBrush(QColor(colour))
        r = 4.0
        if shape == "circle":
            painter.drawEllipse(at, r, r)
        elif shape == "square":
            painter.drawRect(QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r))
        else:
            painter.drawPolygon(QPolygonF([QPointF(at.x(), at.y() - r - 1), QPointF(at.x() + r + 1, at.y() + r),
                                           QPointF(at.x() - r - 1, at.y() + r)]))
        painter.setBrush(Qt.BrushStyle.NoBrush)

    @staticmethod
    def _y(plot: QRectF, top: float, value: float) -> float:
        return plot.bottom() - plot.height() * min(max(value, 0.0), top) / top

    # ---- hover -----------------------------------------------------------------------------------------

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.trend is None or not self._columns:
            return
        x = event.position().x()
        i = min(range(len(self._columns)), key=lambda k: abs(self._columns[k] - x))
        QToolTip.showText(event.globalPosition().toPoint(), self.describe(i), self)

    def describe(self, i: int) -> str:
        """One month's figures as text (the tooltip)."""
        p = self.trend.points[i]
        score = "no score" if p.score is None else f"{p.score:.0f} % of target ({p.rag})"
        outside = "not recorded" if p.time_outside is None else f"{p.time_outside:.1f} %"
        tasks = "none due" if p.tasks_on_time is None else f"{p.tasks_on_time:.0f} %"
        return (f"{p.period.start:%B %Y} ({p.period.start:%d %b} – {p.period.end:%d %b}): score {score}; "
                f"time outside {outside}; tasks on time {tasks}; {p.duty_hours:,.1f} duty hours")
