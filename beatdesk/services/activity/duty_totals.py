"""Keeping ``duty_total`` (duty minutes per officer, beat worked and London day) in step with the duties."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, func, select
from sqlmodel import Session

from beatdesk.models import DutyRecord, DutyTotal, Officer
from beatdesk.services import changes
from beatdesk.services.activity import rules
from beatdesk.services.activity.totals import dialect_insert

DutyKey = tuple  # officer, beat (0: none), day
DutySums = dict  # key: (minutes, outside, outside_base, duties)


def add(session: Session, duty: DutyRecord, sign: int) -> None:
    """Add (+1) or take away (-1) one duty's minutes from its day's total (one upsert, as for activity)."""
    minutes = rules.duty_minutes(duty)
    outside = duty.minutes_outside
    beat = duty.beat_id  # as the recount keys it: a duty kept without a beat counts to the officer's
    if beat is None:
        beat = session.scalar(select(Officer.beat_id).where(Officer.id == duty.officer_id))
    values = {"minutes": sign * minutes, "outside": sign * (outside or 0),
              "outside_base": sign * (minutes if outside is not None else 0), "duties": sign}
    t = DutyTotal.__table__.c
    stamp = changes.stamp(session)
    insert = dialect_insert(session)(DutyTotal.__table__).values(
        officer_id=duty.officer_id, beat_id=beat or 0, day=duty.duty_date, changed=stamp, **values
    )
    session.execute(insert.on_conflict_do_update(
        index_elements=[t.officer_id, t.beat_id, t.day],
        set_={**{k: getattr(t, k) + v for k, v in values.items()}, "changed": stamp},
    ))


def recount_duty_totals(session: Session) -> DutySums:
    """The totals recounted from the duties, the slow way; ``duty_total`` must always equal it."""
    d = DutyRecord
    sums = defaultdict(lambda: [0, 0, 0, 0])
    beat = func.coalesce(d.beat_id, Officer.beat_id, 0)
    rows = session.execute(
        select(d.officer_id, beat, d.duty_date, d.start, d.end, d.minutes_outside).join(Officer, Officer.id == d.officer_id)
    )
    for officer, beat_id, day, start, end, outside in rows:
        minutes = int((end - start).total_seconds() // 60)
        row = sums[(officer, beat_id, day)]
        row[0] += minutes
        row[1] += outside or 0
        row[2] += minutes if outside is not None else 0
        row[3] += 1
    return {key: tuple(value) for key, value in sums.items()}


def stored_duty_totals(session: Session) -> DutySums:
    t = DutyTotal.__table__.c
    rows = session.execute(
        select(t.officer_id, t.beat_id, t.day, t.minutes, t.outside, t.outside_base, t.duties).where(t.duties != 0)
    )
    return {(o, b, d): (m, out, base, n) for o, b, d, m, out, base, n in rows}


def rebuild_duty_totals(session: Session) -> int:
    """Replace ``duty_total`` with a recount (after bulk loads); readers reload (a new clock generation)."""
    sums = recount_duty_totals(session)
    session.execute(delete(DutyTotal))
    rows = [{"officer_id": o, "beat_id": b, "day": d, "minutes": m, "outside": out, "outside_base": base,
             "duties": n, "changed": 0} for (o, b, d), (m, out, base, n) in sums.items()]
    for i in range(0, len(rows), 50_000):
        session.execute(DutyTotal.__table__.insert(), rows[i:i + 50_000])
    changes.new_generation(session)
    return len(rows)
