"""The change clock: one stamp per transaction for every derived row it writes.

Scoring holds the derived totals in memory and, on each read, fetches only the rows whose ``changed``
stamp is above the clock it saw last time (see ``models/totals.py``). That is sound because taking a
stamp is ``UPDATE change_clock ... RETURNING``: the row stays locked until the writer commits, so
stamps become visible in the order they were taken, and a reader that reads the clock first and the
rows after never misses a row stamped at or below what it read.

Bulk loads that bypass the services (the demo, a rebuild, a restore) call :func:`new_generation`;
readers then reload everything rather than trust their deltas.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select, update
from sqlmodel import Session

from beatdesk.models import ChangeClock

_KEY = "beatdesk.change_stamp"


def stamp(session: Session) -> int:
    """This transaction's stamp: taken on first use, the same for every row it writes after."""
    session.connection()  # begins the transaction if nothing has yet, so it can be told apart
    transaction = session.get_transaction()
    held = session.info.get(_KEY)
    if held is not None and held[0] is transaction:
        return held[1]
    clock = ChangeClock.__table__.c
    value = session.execute(
        update(ChangeClock.__table__).where(clock.id == 1).values(value=clock.value + 1).returning(clock.value)
    ).scalar_one()
    session.info[_KEY] = (transaction, value)
    return value


def new_generation(session: Session) -> None:
    """Tell every reader holding totals in memory to reload them (after writing behind the services)."""
    clock = ChangeClock.__table__.c
    # random, not +1: a restored backup counts its own generations and must not meet a reader's again
    session.execute(
        update(ChangeClock.__table__).where(clock.id == 1)
        .values(value=clock.value + 1, generation=secrets.randbits(31))
    )


def read(session: Session, *newest_of) -> tuple[int, ...]:
    """(generation, value) as this transaction sees them, and the newest id of each table in
    ``newest_of`` (0 when empty), all in one statement, so one snapshot on either database."""
    clock = ChangeClock.__table__.c
    row = session.execute(select(
        select(clock.generation).where(clock.id == 1).scalar_subquery(),
        select(clock.value).where(clock.id == 1).scalar_subquery(),
        *(select(func.max(t.c.id)).scalar_subquery() for t in newest_of),
    )).one()
    return tuple(int(v or 0) for v in row)
