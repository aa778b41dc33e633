"""The one-page beat profile as a PDF: the Qt-free ``BeatProfile`` laid out as HTML (beat, wards and map,
places and local priorities, team and contacts, recent tasks and activity, score with its criteria and
12-month trend) and painted onto one A4 page, in smaller type for a large team rather than a second page."""

from __future__ import annotations

from functools import partial
from html import escape
from pathlib import Path

from beatdesk.services.actor import Actor
from beatdesk.services.force_view import TeamMember
from beatdesk.services.reports.export import check_target, export_file
from beatdesk.services.reports.profile import BeatProfile
from beatdesk.services.reports.wording import TARGETS_NOTE, percent_text
from beatdesk.services.scoring.periods import LONDON
from beatdesk.ui.reports.beat_map import beat_map_image
from beatdesk.ui.reports.markup import heading, page_html, para, table, title
from beatdesk.ui.reports.pages import document, new_writer, paint_one_page, trend_image
from beatdesk.ui.reports.performance import criteria_table, headline_html

SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)  # base type sizes tried, largest first, until the page holds it all
MAP_SIZE = (270, 205)  # screen pixels, scaled onto the page with the text
TREND_SIZE = (420, 250)
MOST_PLACES = 8
MOST_PRIORITIES = 6


def profile_html(profile: BeatProfile, base_pt: float = SIZES[0], printed_by: str = "") -> str:
    p = profile
    when = p.generated_at.astimezone(LONDON)
    by = f" by {escape(printed_by)}" if printed_by else ""
    header = (
        "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
        f"<td>{title(f'Beat profile: {p.code} {p.name}', base_pt)}"
        f"<span style='font-size:{base_pt * 1.15:.2f}pt;'>{escape(p.sector)} sector · {escape(p.lpa)} LPA</span></td>"
        f"<td align='right' valign='top'>{headline_html(p.score, base_pt)}</td></tr></table>"
        + para(f"{_periods(p)} Printed {when:%d %b %Y %H:%M}{by}.", muted=True)
    )
    where = (
        "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
        f"<td width='{MAP_SIZE[0] + 12}' valign='top'><img src='beat-map' width='{MAP_SIZE[0]}' "
        f"height='{MAP_SIZE[1]}'/></td>"
        f"<td valign='top'>{_wards(p, base_pt)}{_places(p, base_pt)}{_priorities(p, base_pt)}</td></tr></table>"
    )
    work = (
        "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
        f"<td valign='top'>{_tasks(p, base_pt)}{_activity(p, base_pt)}</td><td width='14'></td>"
        f"<td width='{TREND_SIZE[0]}' valign='top'>{heading('Score, time outside and tasks: 12 months', base_pt)}"
        f"<img src='trend' width='{TREND_SIZE[0]}' height='{TREND_SIZE[1]}'/></td></tr></table>"
    )
    performance = (
        heading("Performance against the Blueprint criteria", base_pt) + criteria_table(p.score)
        + para(escape(TARGETS_NOTE), muted=True, size=base_pt * 0.85)
    )
    return page_html(header + where + _team(p, base_pt) + work + performance, base_pt)


def _periods(p: BeatProfile) -> str:
    if p.activity_window.start == p.period.start and p.activity_window.end == p.period.end:
        return f"Performance, tasks and activity: {escape(p.period.label)}."
    return f"Performance: {escape(p.period.label)}. Tasks and activity: {escape(p.activity_window.label)}."


def _wards(p: BeatProfile, pt: float) -> str:
    rows = [[escape(w.name), escape(w.code), escape(w.council)] for w in p.wards]
    body = table(["Ward", "ONS code", "Council"], rows, ["38%", "20%", ""]) if rows else \
        para("No wards are recorded for this beat.")
    return heading(f"Wards ({len(p.wards)})", pt, first=True) + body


def _places(p: BeatProfile, pt: float) -> str:
    if not p.places:
        return heading("Dedicated places", pt) + para("None recorded.")
    rows = [[escape(x.name), escape(x.kind), escape(x.peak or "–")] for x in p.places[:MOST_PLACES]]
    more = len(p.places) - MOST_PLACES
    note = para(f"and {more} more (see the map).", muted=True) if more > 0 else ""
    return (heading(f"Dedicated places ({len(p.places)})", pt)
            + table(["Place", "Kind", "Peak times"], rows, ["45%", "25%", ""]) + note)


def _priorities(p: BeatProfile, pt: float) -> str:
    if not p.records_shown:
        return heading("Local priorities", pt) + para(escape(p.records_note), muted=True)
    if not p.local_priorities:
        return heading("Local priorities", pt) + para("No tasks have been linked to a local priority yet.")
    shown = p.local_priorities[:MOST_PRIORITIES]
    more = len(p.local_priorities) - len(shown)
    items = "; ".join(escape(x) for x in shown) + (f"; and {more} more" if more > 0 else "")
    return heading("Local priorities", pt) + para(f"{items}.")


def _team(p: BeatProfile, pt: float) -> str:
    if not p.team:
        return heading("Team", pt) + para("No officers are posted to this beat.")
    rows = [[f"<b>{escape(m.name)}</b>", escape(_role(m)), escape(m.collar_number), escape(m.phone or "–"),
             escape(m.email or "–")] for m in p.team]
    return (heading(f"Team ({len(p.team)})", pt)
            + table(["Name", "Role", "Collar no.", "Phone", "Email"], rows, ["24%", "17%", "11%", "15%", ""]))


def _role(member: TeamMember) -> str:
    return member.role_name + (" (sector)" if member.sector_supervisor else "")


def _tasks(p: BeatProfile, pt: float) -> str:
    top = heading(f"Tasks, {p.activity_window.days} days", pt)
    if p.tasks is None:
        return top + para("Not shown: see local priorities.", muted=True)
    t = p.tasks
    on_time = f"{t.on_time:,} of {t.due:,} due ({percent_text(t.on_time_percent, 0)})" if t.due else "none due yet"
    rows = [["Set", f"{t.set:,}"], ["Done", f"{t.done:,}"], ["Done on time", on_time],
            ["Open now (any day to today)", f"{t.open_now:,}"]]
    return top + table(["Tasks", "Number"], rows, ["55%", ""], "lr")


def _activity(p: BeatProfile, pt: float) -> str:
    top = heading(f"Activity logged, {p.activity_window.days} days", pt)
    if not p.records_shown:
        return top + para("Not shown: see local priorities.", muted=True)
    rows = [[escape(a.label), escape(a.text)] for a in p.activity]
    return top + table(["Kind", "Total"], rows, ["62%", ""], "lr")


def profile_images(profile: BeatProfile) -> dict:
    return {"beat-map": beat_map_image(profile, *MAP_SIZE), "trend": trend_image(profile.trend, *TREND_SIZE, 7.0)}


def _document(writer, profile: BeatProfile, images: dict, printed_by: str, base_pt: float):
    return document(writer, profile_html(profile, base_pt, printed_by), images)


def write_beat_profile_pdf(actor: Actor, path: str | Path, profile: BeatProfile) -> Path:
    """The profile on one A4 page at ``path``, for those who may export reports; returns the path.
    Nothing is left at ``path`` if writing fails."""
    check_target(actor, path)

    def write(temporary: Path) -> None:
        writer = new_writer(temporary, f"Beat profile {profile.code} {profile.name}")
        build = partial(_document, writer, profile, profile_images(profile), actor.label)
        paint_one_page(writer, build, SIZES, f"BeatDesk · beat profile {profile.code} · {profile.period.label}")
        del build, writer  # finishes the file

    return export_file(actor, path, write)
