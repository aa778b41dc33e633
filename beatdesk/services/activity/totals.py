"""Keeping ``daily_total`` in step with the live entries, and recounting it from scratch to check."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlmodel import Session

from beatdesk.models import ActivityEntry, ActivityKind, DailyTotal

LONDON = ZoneInfo("Europe/London")

TotalKey = tuple[int, int, date, ActivityKind]  # officer, beat, day, kind
Totals = dict[TotalKey, tuple[int, int, int]]  # count, minutes, entries


def london_day(moment: datetime) -> date:
    """The calendar day an officer in Northamptonshire would write on the form."""
    return moment.astimezone(LONDON).date()


def key_of(columns: dict) -> TotalKey:
    return columns["officer_id"], columns["beat_id"], london_day(columns["occurred_at"]), ActivityKind(columns["kind"])


def add(session: Session, columns: dict, sign: int) -> None:
    """Add (+1) or take away (-1) one entry's count, minutes and itself from its day's total row.

    Adding is one INSERT … ON CONFLICT DO UPDATE: two desks logging the first entry of the same day at
    once must both land in one row, where "update, else insert" lets the second insert collide."""
    officer, beat, day, kind = key_of(columns)
    t = DailyTotal.__table__.c
    count, minutes = sign * columns["count"], sign * (columns["minutes"] or 0)
    if sign > 0:
        insert = _dialect_insert(session)(DailyTotal.__table__).values(
            officer_id=officer, beat_id=beat, day=day, kind=kind, count=count, minutes=minutes, entries=1
        )
        session.execute(insert.on_conflict_do_update(
            index_elements=[t.officer_id, t.beat_id, t.day, t.kind],
            set_={"count": t.count + count, "minutes": t.minutes + minutes, "entries": t.entries + 1},
        ))
        return
    where = (t.officer_id == officer, t.beat_id == beat, t.day == day, t.kind == kind)
    session.execute(
        update(DailyTotal).where(*where)
        .values(count=t.count + count, minutes=t.minutes + minutes, entries=t.entries + sign)
    )
    session.execute(delete(DailyTotal).where(*where, t.entries <= 0))


def _dialect_insert(session: Session):
    """The INSERT construct with ON CONFLICT for the database in use (both SQLite and PostgreSQL have it)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def recount_totals(session: Session) -> Totals:
    """The totals recounted from the live entries, the slow way; ``daily_total`` must always equal it."""
    sums: dict[TotalKey, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = session.execute(
        select(ActivityEntry.officer_id, ActivityEntry.beat_id, ActivityEntry.occurred_at, ActivityEntry.kind,
               ActivityEntry.count, ActivityEntry.minutes).where(ActivityEntry.deleted_at.is_(None))
    )
    for officer, beat, at, kind, count, minutes in rows:
        row = sums[(officer, beat, london_day(at), ActivityKind(kind))]
        row[0] += count
        row[1] += minutes or 0
        row[2] += 1
    return {key: tuple(value) for key, value in sums.items()}


def stored_totals(session: Session) -> Totals:
    """What ``daily_total`` holds, in the shape of :func:`recount_totals`."""
    t = DailyTotal.__table__.c
    rows = session.execute(select(t.officer_id, t.beat_id, t.day, t.kind, t.count, t.minutes, t.entries))
    return {(o, b, d, ActivityKind(k)): (c, m, n) for o, b, d, k, c, m, n in rows}


def rebuild_totals(session: Session) -> int:
    """Replace ``daily_total`` with a recount (after bulk loads such as the demo); returns the row count."""
    totals = recount_totals(session)
    session.execute(delete(DailyTotal))
    if totals:
        session.execute(
            DailyTotal.__table__.insert(),
            [{"officer_id": o, "beat_id": b, "day": d, "kind": k, "count": c, "minutes": m, "entries": n}
             for (o, b, d, k), (c, m, n) in totals.items()],
        )
    return len(totals)
