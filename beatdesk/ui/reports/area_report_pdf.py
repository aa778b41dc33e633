"""The performance report of a sector or an LPA as a PDF: the Qt-free ``AreaReport`` laid out as HTML
(headline score and change, 12-month trend, the area's criteria, league tables of its beats and officers)
and printed on as many A4 pages as the tables need, each numbered."""

from __future__ import annotations

from html import escape
from pathlib import Path

from beatdesk.services.actor import Actor
from beatdesk.services.reports.area_report import AreaReport
from beatdesk.services.reports.export import check_target, export_file
from beatdesk.services.reports.wording import TARGETS_NOTE
from beatdesk.services.scoring import Level
from beatdesk.services.scoring.periods import LONDON
from beatdesk.ui.reports.markup import heading, page_html, para, title
from beatdesk.ui.reports.pages import document, new_writer, paint_pages, trend_image
from beatdesk.ui.reports.performance import criteria_table, headline_html, league_html

BASE_PT = 8.0
TREND_SIZE = (700, 250)


def area_html(report: AreaReport, base_pt: float = BASE_PT, printed_by: str = "") -> str:
    r = report
    when = r.generated_at.astimezone(LONDON)
    by = f" by {escape(printed_by)}" if printed_by else ""
    where = f"{escape(r.parent)} LPA · " if r.level is Level.SECTOR else ""
    beats = f"{len(r.beats)} beat{'s' if len(r.beats) != 1 else ''}"
    scored = sum(o.score is not None for o in r.officers)
    parts = [
        "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
        f"<td width='58%'>{title(f'Performance report: {r.title}', base_pt)}"
        f"<span style='font-size:{base_pt * 1.15:.2f}pt;'>{where}{beats}</span></td>"
        f"<td align='right' valign='top'>{headline_html(r.score, base_pt)}</td></tr></table>",
        para(f"Period: {escape(r.period.label)}; change against the {r.period.days} days before it. "
             f"Printed {when:%d %b %Y %H:%M}{by}.", muted=True),
        heading(f"Score, time outside and tasks on time: 12 months to {r.period.end:%d %b %Y}", base_pt),
        f"<img src='trend' width='{TREND_SIZE[0]}' height='{TREND_SIZE[1]}'/>",
        heading("The area against the Blueprint criteria", base_pt),
        criteria_table(r.score),
        para(escape(TARGETS_NOTE), muted=True, size=base_pt * 0.85),
        heading(f"Beats ({len(r.beats)}), best first", base_pt),
        league_html(r.beats, officers=False),
        heading(f"Officers ({len(r.officers)}, {scored} scored), best first", base_pt),
        para("Officers are listed with the sector of the beat they are posted to; a row without a score says why.",
             muted=True),
        league_html(r.officers, officers=True),
    ]
    return page_html("".join(parts), base_pt)


def write_area_report_pdf(actor: Actor, path: str | Path, report: AreaReport) -> Path:
    """The report on A4 pages at ``path``, for those who may export reports; returns the path.
    Nothing is left at ``path`` if writing fails."""
    check_target(actor, path)

    def write(temporary: Path) -> None:
        writer = new_writer(temporary, f"Performance report {report.title}")
        images = {"trend": trend_image(report.trend, *TREND_SIZE, 7.5)}
        doc = document(writer, area_html(report, BASE_PT, actor.label), images)
        paint_pages(writer, doc, f"BeatDesk · performance report, {report.title} · {report.period.label}")
        del writer  # finishes the file

    return export_file(actor, path, write)
