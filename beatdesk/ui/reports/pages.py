"""A4 pages for the PDF reports: the writer, HTML (``markup``) laid out by QTextDocument against the
PDF's own resolution, pictures (trend chart, beat outline) as high-resolution image resources, and
painting either onto exactly one page (shrunk to fit) or onto as many pages as the text needs, with a
footer.

The document's layout device is the PDF writer, so points are points and ``px`` lengths in the HTML are
screen pixels scaled to the page, as when a document is printed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from beatdesk.services.scoring.tables import Trend
from beatdesk.ui.reports.markup import MUTED
from beatdesk.ui.trend_chart import TrendChart

RESOLUTION = 300  # dots per inch of the PDF's coordinates
MARGIN_MM = 12
IMAGE_SCALE = 3.2  # image pixels per screen pixel: about 300 dpi on the page
FOOTER_PT = 6.5


def new_writer(path: str | Path, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("BeatDesk")
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    return writer


# ---- pictures --------------------------------------------------------------------------------------


def trend_image(trend: Trend, width: int, height: int, font_pt: float) -> QImage:
    """The dashboard's trend chart for ``trend``, ``width`` x ``height`` screen pixels, as a sharp image."""
    chart = TrendChart()
    chart.setMinimumSize(1, 1)
    font = QFont(chart.font())
    font.setPointSizeF(font_pt)
    chart.setFont(font)
    chart.resize(width, height)
    chart.set_trend(trend)
    image = QImage(round(width * IMAGE_SCALE), round(height * IMAGE_SCALE), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(IMAGE_SCALE)
    image.fill(QColor("#FFFFFF"))
    chart.render(image)
    chart.deleteLater()
    return image


def document(writer: QPdfWriter, html: str, images: dict[str, QImage]) -> QTextDocument:
    """``html`` laid out for ``writer``'s page width, with ``images`` as ``<img src='NAME'>`` resources."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDocumentMargin(0)
    for name, image in images.items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    doc.setHtml(html)
    doc.setTextWidth(writer.width())
    return doc


def _footer_height(writer: QPdfWriter) -> float:
    return FOOTER_PT / 72 * writer.resolution() * 2.2


def _footer(painter: QPainter, writer: QPdfWriter, text: str) -> None:
    painter.save()
    painter.resetTransform()
    font = QFont("DejaVu Sans")
    font.setPointSizeF(FOOTER_PT)
    painter.setFont(font)
    painter.setPen(QColor(MUTED))
    height = _footer_height(writer)
    painter.drawText(QRectF(0, writer.height() - height * 0.8, writer.width(), height * 0.8),
                     Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, text)
    painter.restore()


def paint_one_page(writer: QPdfWriter, build: Callable[[float], QTextDocument], sizes: tuple[float, ...],
                   footer: str) -> tuple[QTextDocument, float]:
    """Lays out ``build(base_pt)`` at the largest of ``sizes`` that fits one page; if none does, the
    smallest, shrunk as a whole to fit. Paints it with ``footer``; returns the document and the shrink."""
    height = writer.height() - _footer_height(writer)
    for size in sizes:
        doc = build(size)
        if doc.size().height() <= height:
            break
    scale = 1.0
    for _ in range(8):  # widening the text as it shrinks wraps fewer lines: converge on a fit
        if doc.size().height() * scale <= height:
            break
        scale = min(scale * 0.99, height / doc.size().height())
        doc.setTextWidth(writer.width() / scale)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("the PDF file could not be opened for writing")
    try:
        painter.scale(scale, scale)
        doc.drawContents(painter, QRectF(0, 0, writer.width() / scale, height / scale))
        _footer(painter, writer, footer)
    finally:
        painter.end()
    return doc, scale


def paint_pages(writer: QPdfWriter, doc: QTextDocument, footer: str) -> int:
    """Paints ``doc`` onto as many pages as it needs, each with ``footer`` and its page number."""
    height = writer.height() - _footer_height(writer)
    doc.setPageSize(QSizeF(writer.width(), height))
    pages = doc.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("the PDF file could not be opened for writing")
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * height)
            doc.drawContents(painter, QRectF(0, page * height, writer.width(), height))
            painter.restore()
            _footer(painter, writer, f"{footer} · page {page + 1} of {pages}")
    finally:
        painter.end()
    return pages
