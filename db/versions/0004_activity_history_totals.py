"""Activity history, soft delete and daily totals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

Entries gain a version, the duty they belong to and soft-delete columns; existing entries start at
version 1, live. Daily totals are filled from the existing live entries (Europe/London day).
"""

from collections import defaultdict
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa
import sqlmodel
import beatdesk.models.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('daily_total',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('arrest', 'stop_search', 'warrant', 'ppn', 'incident', 'engagement', 'watch_scheme', 'intelligence', 'dedicated_place', name='activitykind', native_enum=False, length=20), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['beat_id'], ['beat.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('officer_id', 'beat_id', 'day', 'kind', name='uq_daily_total')
    )
    with op.batch_alter_table('daily_total', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_daily_total_beat_id'), ['beat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_daily_total_day'), ['day'], unique=False)

    op.create_table('activity_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('change', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('old_values', sa.Text(), nullable=False),
    sa.Column('new_values', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['activity_entry.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('activity_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_revision_entry_id'), ['entry_id'], unique=False)

    with op.batch_alter_table('activity_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('duty_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('deleted_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deleted_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.add_column(sa.Column('deleted_reason', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_activity_entry_duty_id'), ['duty_id'], unique=False)
        batch_op.create_foreign_key('fk_activity_entry_duty', 'duty_record', ['duty_id'], ['id'])

    _fill_daily_totals()


def _fill_daily_totals() -> None:
    """Total the entries already logged (all live before this revision) by Europe/London day."""
    london = ZoneInfo("Europe/London")
    entry = sa.table(
        "activity_entry", sa.column("officer_id"), sa.column("beat_id"), sa.column("kind"), sa.column("count"),
        sa.column("minutes"), sa.column("occurred_at", beatdesk.models.types.UTCDateTime()),
    )
    total = sa.table(
        "daily_total", sa.column("officer_id"), sa.column("beat_id"), sa.column("day", sa.Date()),
        sa.column("kind"), sa.column("count"), sa.column("minutes"), sa.column("entries"),
    )
    sums = defaultdict(lambda: [0, 0, 0])
    conn = op.get_bind()
    for officer, beat, kind, count, minutes, at in conn.execute(sa.select(entry)):
        row = sums[(officer, beat, at.astimezone(london).date(), kind)]
        row[0] += count
        row[1] += minutes or 0
        row[2] += 1
    rows = [
        {"officer_id": o, "beat_id": b, "day": d, "kind": k, "count": c, "minutes": m, "entries": n}
        for (o, b, d, k), (c, m, n) in sums.items()
    ]
    if rows:
        conn.execute(total.insert(), rows)



def downgrade() -> None:
    with op.batch_alter_table('activity_entry', schema=None) as batch_op:
        batch_op.drop_constraint('fk_activity_entry_duty', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_activity_entry_duty_id'))
        batch_op.drop_column('deleted_reason')
        batch_op.drop_column('deleted_by')
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('version')
        batch_op.drop_column('duty_id')
        batch_op.drop_column('updated_at')

    with op.batch_alter_table('activity_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_revision_entry_id'))

    op.drop_table('activity_revision')
    with op.batch_alter_table('daily_total', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daily_total_day'))
        batch_op.drop_index(batch_op.f('ix_daily_total_beat_id'))

    op.drop_table('daily_total')
