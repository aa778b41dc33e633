"""Keeping ``daily_total`` in step with the live entries, and recounting it from scratch to check.

A row is keyed by officer, beat, London day, kind and the two fields criteria filter on (linked
outcome, intelligence source), and stamped with the transaction's change stamp. A total that falls to
no entries stays as a zero row, so readers holding totals in memory see it fall (``models/totals.py``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlmodel import Session

from beatdesk.models import ActivityEntry, ActivityKind, DailyTotal
from beatdesk.services import changes

LONDON = ZoneInfo("Europe/London")

TotalKey = tuple[int, int, date, ActivityKind, bool, str]  # officer, beat, day, kind, linked, source
Totals = dict[TotalKey, tuple[int, int, int]]  # count, minutes, entries


def london_day(moment: datetime) -> date:
    """The calendar day an officer in Northamptonshire would write on the form."""
    return moment.astimezone(LONDON).date()


def key_of(columns: dict) -> TotalKey:
    source = columns.get("intel_source")
    return (columns["officer_id"], columns["beat_id"], london_day(columns["occurred_at"]), ActivityKind(columns["kind"]),
            bool(columns.get("outcome_linked")), getattr(source, "value", source) or "")


def add(session: Session, columns: dict, sign: int) -> None:
    """Add (+1) or take away (-1) one entry's count, minutes and itself from its day's total row.

    Adding is one INSERT … ON CONFLICT DO UPDATE: two desks logging the first entry of the same day at
    once must both land in one row, where "update, else insert" lets the second insert collide."""
    officer, beat, day, kind, linked, source = key_of(columns)
    t = DailyTotal.__table__.c
    count, minutes = sign * columns["count"], sign * (columns["minutes"] or 0)
    stamp = changes.stamp(session)
    insert = dialect_insert(session)(DailyTotal.__table__).values(
        officer_id=officer, beat_id=beat, day=day, kind=kind, outcome_linked=linked, intel_source=source,
        count=count, minutes=minutes, entries=sign, changed=stamp,
    )
    session.execute(insert.on_conflict_do_update(
        index_elements=[t.officer_id, t.beat_id, t.day, t.kind, t.outcome_linked, t.intel_source],
        set_={"count": t.count + count, "minutes": t.minutes + minutes, "entries": t.entries + sign,
              "changed": stamp},
    ))


def dialect_insert(session: Session):
    """The INSERT construct with ON CONFLICT for the database in use (both SQLite and PostgreSQL have it)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def recount_totals(session: Session) -> Totals:
    """The totals recounted from the live entries, the slow way; ``daily_total`` must always equal it."""
    sums: dict[TotalKey, list[int]] = defaultdict(lambda: [0, 0, 0])
    e = ActivityEntry
    rows = session.execute(
        select(e.officer_id, e.beat_id, e.occurred_at, e.kind, e.outcome_linked, e.intel_source, e.count, e.minutes)
        .where(e.deleted_at.is_(None))
    )
    for officer, beat, at, kind, linked, source, count, minutes in rows:
        row = sums[(officer, beat, london_day(at), ActivityKind(kind), bool(linked), getattr(source, "value", source) or "")]
        row[0] += count
        row[1] += minutes or 0
        row[2] += 1
    return {key: tuple(value) for key, value in sums.items()}


def stored_totals(session: Session) -> Totals:
    """What ``daily_total`` holds for live entries (zero rows left behind are not totals), as :func:`recount_totals`."""
    t = DailyTotal.__table__.c
    rows = session.execute(
        select(t.officer_id, t.beat_id, t.day, t.kind, t.outcome_linked, t.intel_source, t.count, t.minutes, t.entries)
        .where(t.entries != 0)
    )
    return {(o, b, d, ActivityKind(k), bool(linked), s): (c, m, n) for o, b, d, k, linked, s, c, m, n in rows}


def rebuild_totals(session: Session) -> int:
    """Replace ``daily_total`` with a recount (after bulk loads such as the demo); returns the row count.

    Readers holding totals in memory are told to reload (a new clock generation)."""
    totals = recount_totals(session)
    session.execute(delete(DailyTotal))
    rows = [{"officer_id": o, "beat_id": b, "day": d, "kind": k, "outcome_linked": linked, "intel_source": s,
             "count": c, "minutes": m, "entries": n, "changed": 0}
            for (o, b, d, k, linked, s), (c, m, n) in totals.items()]
    for i in range(0, len(rows), 50_000):
        session.execute(DailyTotal.__table__.insert(), rows[i:i + 50_000])
    changes.new_generation(session)
    return len(totals)
