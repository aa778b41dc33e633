"""The briefing sheet as a PDF: the Qt-free briefing (``beatdesk.services.briefing``) laid out as HTML in a
QTextDocument and printed through QPdfWriter on A4."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from beatdesk.services.briefing import Briefing, BriefingTask
from beatdesk.ui.tasking_board_model import PRIORITY_COLOURS, PRIORITY_TEXT


def _chip(task: BriefingTask) -> str:
    level = int(task.priority[1:])
    return (f'<span style="background-color:{PRIORITY_COLOURS[level]}; color:{PRIORITY_TEXT[level]};'
            f' font-weight:bold;">&nbsp;{escape(task.priority)}&nbsp;</span>')


def _rows(tasks: tuple[BriefingTask, ...]) -> str:
    if not tasks:
        return '<p style="margin-left:12px; color:#555;">No tasks.</p>'
    head = ("<tr style='background-color:#EEEEEE;'><th>Priority</th><th>Task</th><th>Beat / place</th>"
            "<th>Window</th><th>Instruction</th></tr>")
    body = []
    for t in tasks:
        carried = (f"<br/><i style='color:#8A4B00;'>{escape(t.carried_text)}</i>" if t.carried_from else "")
        local = (f"<br/><span style='color:#444444;'>Local priority: <b>{escape(t.local_priority)}</b></span>"
                 if t.local_priority else "")
        body.append(
            f"<tr><td>{_chip(t)}</td><td>{escape(t.type)}{carried}</td><td>{escape(t.beat)} · {escape(t.place)}</td>"
            f"<td>{escape(t.window)}</td><td>{escape(t.instruction)}{local}</td></tr>"
        )
    return ("<table width='100%' cellspacing='0' cellpadding='4' border='1' style='border-collapse:collapse;"
            " border-color:#999999;'>" + head + "".join(body) + "</table>")


def briefing_html(briefing: Briefing) -> str:
    parts = [
        f"<h1 style='margin-bottom:0;'>{escape(briefing.title)}</h1>",
        f"<p style='font-size:12pt;'><b>{escape(briefing.date_text)}</b> · {escape(briefing.shift)}"
        f" · Beats {escape(', '.join(briefing.beats))}</p>",
        "<h2>On duty</h2>",
    ]
    if not briefing.people:
        parts.append("<p>Nobody on duty.</p>")
    for person in briefing.people:
        parts.append(f"<h3 style='margin-bottom:2px;'>{escape(person.name)} — {escape(person.role)}"
                     f" {escape(person.collar_number)} · {escape(person.duty)}</h3>")
        parts.append(_rows(person.tasks))
    parts += ["<h2>Unassigned</h2>", _rows(briefing.unassigned)]
    parts += ["<h2>Carried over</h2>", f"<p>{escape(briefing.carried_note)}</p>"]
    return "<html><body style='font-family:sans-serif; font-size:10pt;'>" + "".join(parts) + "</body></html>"


def write_briefing_pdf(path: str | Path, briefing: Briefing) -> Path:
    """Print ``briefing`` to an A4 PDF at ``path``; returns the path."""
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setTitle(briefing.title)
    writer.setCreator("BeatDesk")
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setHtml(briefing_html(briefing))
    document.print_(writer)
    del writer  # finishes the file
    return path
