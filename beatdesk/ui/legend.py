"""The map key: sector colours grouped by LPA with beat counts, and what the lines and shapes mean;
in score mode, the colour scale with its RAG bands and "no score" in place of the sectors."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QLinearGradient, QPainter, QPalette, QPen
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from beatdesk.services.force_view import ForceMap, sector_legend
from beatdesk.ui import palette

HEX_NOTE = "Each hexagon is one beat, placed near its centre. Hexagons are equal in size, not in area."
BOUNDARY_NOTE = "White lines: beat boundaries. Faint thin lines: ward boundaries."
SCORE_BOUNDARY_NOTE = "Grey lines: beat boundaries. Faint thin lines: ward boundaries."


def _styled(label: QLabel, colour: str | None = None, weight: QFont.Weight | None = None, top: int = 0) -> QLabel:
    """Colour, weight and space above a label of the key, set directly: the key is on screen at the
    desk's first paint, and style sheets on its forty labels cost more than the rest of drawing it."""
    if colour:
        palette_ = label.palette()
        palette_.setColor(QPalette.ColorRole.WindowText, QColor(colour))
        label.setPalette(palette_)
    if weight is not None:
        font = label.font()
        font.setWeight(weight)
        label.setFont(font)
    if top:
        label.setContentsMargins(0, top, 0, 0)
    return label


class Legend(QWidget):
    """Sector colours by LPA, the place symbols (on real boundaries), and what the lines mean."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("legend")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 8, 10, 8)
        self._layout.setSpacing(2)
        self.sector_names: list[str] = []
        self.lpa_names: list[str] = []
        self.sectors_box: QWidget | None = None
        self.places_box: QWidget | None = None
        self.score_key: ScoreKey | None = None
        self._score_args: tuple | None = None
        self._has_boundaries = False
        self.note: QLabel | None = None

    def load(self, force_map: ForceMap, places: bool = True) -> None:
        """The key for ``force_map``; the place symbols too unless ``places`` is False (the desk's first
        paint draws no places: they and their key come straight after it, see ``show_places_key``)."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.sector_names, self.lpa_names = [], []
        self.places_box = None
        title = _styled(QLabel("Map key"), weight=QFont.Weight.Bold)
        title.setObjectName("legendTitle")
        self._layout.addWidget(title)
        self.score_key = ScoreKey()
        self._layout.addWidget(self.score_key)
        self.sectors_box = QWidget()
        self.sectors_box.setObjectName("legendSectors")
        outer, self._layout = self._layout, QVBoxLayout(self.sectors_box)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        for lpa, sectors in sector_legend(force_map):
            self.lpa_names.append(lpa.name)
            grid = self._section(f"{escape(lpa.name)} LPA", "legendLpa")
            for row, (sector, beats) in enumerate(sectors):
                self.sector_names.append(sector.name)
                chip = Swatch(palette.colour_in(force_map, sector.code))
                name = QLabel(sector.name)
                name.setObjectName("legendSector")
                count = _styled(QLabel(f"{beats} beats"), "#666666")
                count.setObjectName("legendCount")
                grid.addWidget(chip, row, 0)
                grid.addWidget(name, row, 1)
                grid.addWidget(count, row, 2)
            grid.setColumnStretch(1, 1)
            self._layout.addLayout(grid)
        self._layout = outer
        self._layout.addWidget(self.sectors_box)
        self._has_boundaries = force_map.has_boundaries
        note = self.note = _styled(QLabel(self._note_text()), "#555555", top=6)
        note.setObjectName("legendNote")
        note.setWordWrap(True)
        self._layout.addWidget(note)
        self._layout.addStretch(1)
        if places:
            self.show_places_key()
        if self._score_args is not None:
            self.show_score_key(*self._score_args)
        else:
            self.show_sector_key()

    def _note_text(self) -> str:
        if not self._has_boundaries:
            return HEX_NOTE
        return SCORE_BOUNDARY_NOTE if self._score_args is not None else BOUNDARY_NOTE

    def show_score_key(self, title: str, scale, rag, period: str) -> None:
        """The score scale in place of the sector colours (``scale`` a ``score_colours.ColourScale``)."""
        self._score_args = (title, scale, rag, period)
        if self.score_key is not None:
            self.score_key.show_scale(title, scale, rag, period)
            self.score_key.show()
            self.sectors_box.hide()
            self.note.setText(self._note_text())

    def show_sector_key(self) -> None:
        self._score_args = None
        if self.score_key is not None:
            self.score_key.hide()
            self.sectors_box.show()
            self.note.setText(self._note_text())

    def _section(self, title: str, name: str) -> QGridLayout:
        """A heading and the grid of key rows under it (the caller adds the grid once it is filled)."""
        heading = _styled(QLabel(title), "#444444", QFont.Weight.DemiBold, top=4)
        heading.setObjectName(name)
        self._layout.addWidget(heading)
        grid = QGridLayout()
        grid.setContentsMargins(4, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        return grid

    def show_places_key(self) -> None:
        """The place symbols under the sectors, on real boundaries (the hexagon map draws no places)."""
        if not self._has_boundaries or self.places_box is not None or self.note is None:
            return
        from beatdesk.models.places import PlaceKind
        from beatdesk.ui.place_items import symbol_pixmap

        self.places_box = QWidget()
        self.places_box.setObjectName("legendPlacesBox")
        outer, self._layout = self._layout, QVBoxLayout(self.places_box)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        grid = self._section("Places", "legendPlaces")
        for row, kind in enumerate(PlaceKind):
            icon = QLabel()
            icon.setPixmap(symbol_pixmap(kind))
            icon.setFixedWidth(18)
            name = QLabel(kind.label)
            name.setObjectName("legendPlaceKind")
            grid.addWidget(icon, row, 0)
            grid.addWidget(name, row, 1)
        grid.setColumnStretch(1, 1)
        self._layout.addLayout(grid)
        self._layout = outer
        self._layout.insertWidget(self._layout.indexOf(self.note), self.places_box)


class Swatch(QFrame):
    """A sector's colour chip in the key, drawn by itself (no style sheet of its own)."""

    def __init__(self, colour: str, parent=None):
        super().__init__(parent)
        self.setObjectName("legendSwatch")
        self.setFixedSize(18, 12)
        self.colour = QColor(colour)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#999999"), 1))
        painter.setBrush(self.colour)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
        painter.end()


class ScaleBar(QWidget):
    """The colour scale as a bar, ticks at the RAG thresholds and the cap, and a hatched "no score" chip."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("legendScaleBar")
        self.setMinimumHeight(44)
        self.scale = None
        self.ticks: list[tuple[float, str]] = []

    def set_scale(self, scale, ticks: list[tuple[float, str]]) -> None:
        self.scale, self.ticks = scale, ticks
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        if self.scale is None:
            return
        from beatdesk.ui.score_colours import NO_SCORE

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        chip = 30
        bar = QRectF(6, 4, self.width() - chip - 24, 14)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        for at, colour in self.scale.stops(17):
            gradient.setColorAt(at, QColor(colour))
        painter.setPen(QPen(QColor("#888888"), 1))
        painter.setBrush(QBrush(gradient))
        painter.drawRect(bar)
        none = QRectF(bar.right() + 12, bar.top(), chip, bar.height())
        painter.setBrush(QColor(NO_SCORE))
        painter.drawRect(none)
        painter.setBrush(QBrush(QColor("#7A7A7A"), Qt.BrushStyle.BDiagPattern))
        painter.drawRect(none)
        metrics = painter.fontMetrics()
        painter.setPen(QColor("#333333"))
        right_edge = -1.0
        for value, text in self.ticks:  # left to right; a label that would touch the last one moves right
            x = bar.left() + self.scale.position(value) * bar.width()
            painter.drawLine(QPointF(x, bar.top()), QPointF(x, bar.bottom() + 4))
            width = metrics.horizontalAdvance(text)
            left = min(max(x - width / 2, 0, right_edge + 4), bar.right() - width)
            painter.drawText(QPointF(left, bar.bottom() + 6 + metrics.ascent()), text)
            right_edge = left + width
        text = "none"
        painter.drawText(QPointF(none.center().x() - metrics.horizontalAdvance(text) / 2,
                                 bar.bottom() + 6 + metrics.ascent()), text)
        painter.end()


class ScoreKey(QWidget):
    """What the score colours mean: the measure and period, the scale, RAG bands, marks, no score."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("legendScoreKey")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(3)
        self.title = _styled(QLabel(), "#444444", QFont.Weight.DemiBold)
        self.title.setObjectName("legendScoreTitle")
        self.title.setWordWrap(True)
        self.bar = ScaleBar()
        self.notes = _styled(QLabel(), "#444444")
        self.notes.setObjectName("legendScoreNotes")
        self.notes.setWordWrap(True)
        for widget in (self.title, self.bar, self.notes):
            layout.addWidget(widget)
        self.hide()

    def show_scale(self, title: str, scale, rag, period: str) -> None:
        """``rag`` is the criteria file's ``Rag`` (green, amber, cap): ticks and the bands' words."""
        self.title.setText(f"{escape(title)}<br><span style='font-weight:400'>{escape(period)}</span>")
        self.bar.set_scale(scale, [(0, "0"), (rag.amber, f"{rag.amber:g}"), (rag.green, f"{rag.green:g}"),
                                   (scale.cap, f"{scale.cap:g} %")])
        self.notes.setText(
            f"% of target, colour: {escape(scale.label)}.<br>"
            f"RAG: red under {rag.amber:g} %, amber {rag.amber:g}–{rag.green:g} %, green {rag.green:g} % and over."
            "<br>▲ / ▼ better / worse than the previous period (1 point or more)."
            "<br>Hatched grey: no score (no duty hours or no target)."
        )

    def text(self) -> str:
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.title.text() + "<br>" + self.notes.text())
        return doc.toPlainText()
