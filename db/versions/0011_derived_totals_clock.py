"""Derived totals for scoring at scale: split by filter fields, duty totals, a change clock

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22

``daily_total`` gains the two fields criteria filter on (a stop-search's linked outcome, an
intelligence report's source) in its key, and a ``changed`` stamp; it is recounted from the live
entries. ``duty_total`` (new) holds duty minutes per officer, beat worked and day, totalled from the
duties. ``change_clock`` (new, one row) hands out the stamps; tasks gain the stamp too. Scoring keeps
these in memory and reads only what changed since it last looked.
"""

from collections import defaultdict
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa

import beatdesk.models.types


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('daily_total', schema=None) as batch_op:
        batch_op.drop_constraint('uq_daily_total', type_='unique')
        batch_op.add_column(sa.Column('outcome_linked', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('intel_source', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('changed', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_daily_total_changed'), ['changed'], unique=False)
        batch_op.create_unique_constraint(
            'uq_daily_total', ['officer_id', 'beat_id', 'day', 'kind', 'outcome_linked', 'intel_source']
        )

    op.create_table('duty_total',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('outside', sa.Integer(), nullable=False),
    sa.Column('outside_base', sa.Integer(), nullable=False),
    sa.Column('duties', sa.Integer(), nullable=False),
    sa.Column('changed', sa.BigInteger(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('officer_id', 'beat_id', 'day', name='uq_duty_total')
    )
    with op.batch_alter_table('duty_total', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_total_changed'), ['changed'], unique=False)
        batch_op.create_index(batch_op.f('ix_duty_total_day'), ['day'], unique=False)

    op.create_table('change_clock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('generation', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO change_clock (id, value, generation) VALUES (1, 0, 1)")

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changed', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_task_changed'), ['changed'], unique=False)

    _recount_daily_totals()
    _fill_duty_totals()


def _recount_daily_totals() -> None:
    """Total the live entries again, now split by linked outcome and intelligence source."""
    london = ZoneInfo("Europe/London")
    entry = sa.table(
        "activity_entry", sa.column("officer_id"), sa.column("beat_id"), sa.column("kind"), sa.column("count"),
        sa.column("minutes"), sa.column("outcome_linked"), sa.column("intel_source"), sa.column("deleted_at"),
        sa.column("occurred_at", beatdesk.models.types.UTCDateTime()),
    )
    total = sa.table(
        "daily_total", sa.column("officer_id"), sa.column("beat_id"), sa.column("day", sa.Date()),
        sa.column("kind"), sa.column("outcome_linked"), sa.column("intel_source"), sa.column("count"),
        sa.column("minutes"), sa.column("entries"), sa.column("changed"),
    )
    sums = defaultdict(lambda: [0, 0, 0])
    conn = op.get_bind()
    query = sa.select(
        entry.c.officer_id, entry.c.beat_id, entry.c.kind, entry.c.outcome_linked, entry.c.intel_source,
        entry.c.count, entry.c.minutes, entry.c.occurred_at,
    ).where(entry.c.deleted_at.is_(None))
    for officer, beat, kind, linked, source, count, minutes, at in conn.execute(query):
        row = sums[(officer, beat, at.astimezone(london).date(), kind, bool(linked), source or "")]
        row[0] += count
        row[1] += minutes or 0
        row[2] += 1
    conn.execute(total.delete())
    rows = [
        {"officer_id": o, "beat_id": b, "day": d, "kind": k, "outcome_linked": linked, "intel_source": s,
         "count": c, "minutes": m, "entries": n, "changed": 0}
        for (o, b, d, k, linked, s), (c, m, n) in sums.items()
    ]
    for i in range(0, len(rows), 50_000):
        conn.execute(total.insert(), rows[i:i + 50_000])


def _fill_duty_totals() -> None:
    """Duty minutes per officer, beat worked (the officer's beat where none was kept) and day."""
    duty = sa.table(
        "duty_record", sa.column("officer_id"), sa.column("beat_id"), sa.column("duty_date", sa.Date()),
        sa.column("minutes_outside"), sa.column("start", beatdesk.models.types.UTCDateTime()),
        sa.column("end", beatdesk.models.types.UTCDateTime()),
    )
    officer = sa.table("officer", sa.column("id"), sa.column("beat_id"))
    total = sa.table(
        "duty_total", sa.column("officer_id"), sa.column("beat_id"), sa.column("day", sa.Date()),
        sa.column("minutes"), sa.column("outside"), sa.column("outside_base"), sa.column("duties"),
        sa.column("changed"),
    )
    sums = defaultdict(lambda: [0, 0, 0, 0])
    conn = op.get_bind()
    beat = sa.func.coalesce(duty.c.beat_id, officer.c.beat_id, 0)
    query = sa.select(duty.c.officer_id, beat, duty.c.duty_date, duty.c.start, duty.c.end, duty.c.minutes_outside
                      ).join(officer, officer.c.id == duty.c.officer_id)
    for officer_id, beat_id, day, start, end, outside in conn.execute(query):
        minutes = int((end - start).total_seconds() // 60)
        row = sums[(officer_id, beat_id, day)]
        row[0] += minutes
        row[1] += outside or 0
        row[2] += minutes if outside is not None else 0
        row[3] += 1
    rows = [
        {"officer_id": o, "beat_id": b, "day": d, "minutes": m, "outside": out, "outside_base": base,
         "duties": n, "changed": 0}
        for (o, b, d), (m, out, base, n) in sums.items()
    ]
    for i in range(0, len(rows), 50_000):
        conn.execute(total.insert(), rows[i:i + 50_000])


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_changed'))
        batch_op.drop_column('changed')

    op.drop_table('change_clock')

    with op.batch_alter_table('duty_total', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_total_day'))
        batch_op.drop_index(batch_op.f('ix_duty_total_changed'))
    op.drop_table('duty_total')

    # back to one row per officer, beat, day and kind: merge the split rows first
    conn = op.get_bind()
    conn.execute(sa.text(
        "CREATE TEMPORARY TABLE merged AS SELECT officer_id, beat_id, day, kind, SUM(count) AS count, "
        "SUM(minutes) AS minutes, SUM(entries) AS entries FROM daily_total WHERE entries > 0 "
        "GROUP BY officer_id, beat_id, day, kind"
    ))
    conn.execute(sa.text("DELETE FROM daily_total"))
    with op.batch_alter_table('daily_total', schema=None) as batch_op:
        batch_op.drop_constraint('uq_daily_total', type_='unique')
        batch_op.drop_index(batch_op.f('ix_daily_total_changed'))
        batch_op.drop_column('changed')
        batch_op.drop_column('intel_source')
        batch_op.drop_column('outcome_linked')
        batch_op.create_unique_constraint('uq_daily_total', ['officer_id', 'beat_id', 'day', 'kind'])
    conn.execute(sa.text(
        "INSERT INTO daily_total (officer_id, beat_id, day, kind, count, minutes, entries) "
        "SELECT officer_id, beat_id, day, kind, count, minutes, entries FROM merged"
    ))
    conn.execute(sa.text("DROP TABLE merged"))
