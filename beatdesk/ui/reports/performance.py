"""HTML tables of performance shared by the reports: a score's criteria by role and its team measures,
and league tables of beats or officers (the dashboard's columns, RAG as word and symbol)."""

from __future__ import annotations

from html import escape

from beatdesk.models import Role
from beatdesk.services.reports.wording import (
    change_text, hours_text, percent_text, score_text, target_source_text,
)
from beatdesk.services.scoring import Score
from beatdesk.services.scoring.tables import LeagueRow
from beatdesk.ui.reports.markup import MUTED, rag_chip, table


def _rate(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if "%" in unit:
        return f"{value:.1f} %"
    return f"{value:.2f}" + (" /100 h" if "100" in unit else f" {unit}")


def _of(numerator: float, denominator: float, unit: str) -> str:
    """'5 of 6', or for a share of duty time the hours: '1,076 of 1,712 h'."""
    if "time" in unit:
        return f"{numerator / 60:,.0f} of {denominator / 60:,.0f} h"
    return f"{numerator:,.0f} of {denominator:,.0f}"


def _amount(amount: float, unit: str, hours: float) -> str:
    """What a criterion counted, in how many duty hours."""
    counted = f"{amount / 60:,.0f} h" if "%" in unit else f"{amount:,.0f}"
    return f"{counted} in {hours:,.0f} h"


def _achieved(value: float | None) -> str:
    return "–" if value is None else score_text(value)


def _target(c) -> str:
    if c.target is None:
        return "no target"
    source = escape(target_source_text(c.target_source))
    return f"{_rate(c.target, c.unit)} <span style='color:{MUTED};'>({source})</span>"


def criteria_table(score: Score) -> str:
    """Each role's criteria (rate, target and its source, achievement, RAG, what was counted), then the
    team measures."""
    rows = []
    for role in score.roles:
        members = f"{role.members} officer{'s' if role.members != 1 else ''} · {role.duty_hours:,.0f} h"
        rows.append([f"<b>{escape(role.label)}</b>", "", "", "", f"<b>{score_text(role.score)}</b>", "", members])
        for c in role.criteria:
            rows.append([f"&nbsp;&nbsp;{escape(c.label)}", f"{c.weight:g}", _rate(c.rate, c.unit), _target(c),
                         _achieved(c.achievement), rag_chip(c.rag), _amount(c.amount, c.unit, c.duty_hours)])
    if score.team:
        rows.append(["<b>Team measures</b>", "", "", "", "", "", ""])
        for t in score.team:
            counted = "nothing to measure" if t.value is None else _of(t.numerator, t.denominator, t.unit)
            rows.append([f"&nbsp;&nbsp;{escape(t.label)}", f"{t.weight:g}", _rate(t.value, t.unit), f"{t.target:g} %",
                         _achieved(t.achievement), rag_chip(t.rag), counted])
    if not rows:
        return "<p>No criteria were scored.</p>"
    return table(["Criterion", "Weight", "Rate", "Target (source)", "Achieved", "RAG", "Counted"], rows,
                 ["", "6%", "11%", "22%", "8%", "9%", "14%"], "lrrrrll")


def headline_html(score: Score, base_pt: float) -> str:
    """The overall score, its RAG and the change from the previous period of the same length."""
    if score.value is None:
        return (f"<span style='font-size:{base_pt * 1.6:.2f}pt; font-weight:bold;'>No score</span><br/>"
                f"<span style='color:{MUTED};'>{escape(score.reason)}</span>")
    previous = "" if score.previous_value is None else f" (previous: {score_text(score.previous_value)})"
    return (f"<span style='font-size:{base_pt * 2:.2f}pt; font-weight:bold;'>{score_text(score.value)}</span>"
            f" of target &nbsp;{rag_chip(score.rag)}<br/>"
            f"{escape(change_text(score.change))} on the previous {score.period.days} days{previous} · "
            f"{hours_text(score.duty_hours)} duty hours")


def league_html(rows: tuple[LeagueRow, ...] | list[LeagueRow], officers: bool) -> str:
    """A league table, best first: rank, beat or officer, score, RAG, change, duty hours, time outside,
    tasks on time; a row without a score says why."""
    if not rows:
        return "<p>None.</p>"
    body = []
    for n, r in enumerate(rows, start=1):
        name = f"{escape(r.subject.code)} {escape(r.subject.name)}"
        if officers and r.role:
            name += f" <span style='color:{MUTED};'>({escape(_role(r.role))})</span>"
        score = score_text(r.score) if r.score is not None else \
            f"<span style='color:{MUTED};'>{escape(r.reason or 'no score')}</span>"
        body.append([str(n) if r.score is not None else "", name, score, rag_chip(r.rag), escape(change_text(r.change)),
                     hours_text(r.duty_hours), percent_text(r.time_outside), percent_text(r.tasks_on_time, 0)])
    headers = ["#", "Officer (role)" if officers else "Beat", "Score", "RAG", "Change", "Duty h",
               "Time outside", "Tasks on time"]
    return table(headers, body, ["4%", "", "8%", "10%", "11%", "8%", "11%", "11%"], "rlrlrrrr", wrap=(1,))


def _role(value: str) -> str:
    return Role(value).short if value in Role._value2member_map_ else value

