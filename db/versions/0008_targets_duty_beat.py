"""Targets, and the beat each duty was worked on

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22

A new table of criterion targets set by inspectors (history kept: rows are only added). Duties gain
the beat the officer worked them on; existing duties take the officer's current beat (sector-wide
supervisors: none).
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import beatdesk.models.types


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('criterion', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('set_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('set_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint('value > 0', name='ck_target_value'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.create_index('ix_target_lookup', ['role', 'criterion', 'effective_from'], unique=False)

    with op.batch_alter_table('duty_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('beat_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_duty_record_beat_id'), ['beat_id'], unique=False)
        batch_op.create_foreign_key('fk_duty_record_beat', 'beat', ['beat_id'], ['id'])

    op.execute(
        "UPDATE duty_record SET beat_id = (SELECT officer.beat_id FROM officer WHERE officer.id = duty_record.officer_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table('duty_record', schema=None) as batch_op:
        batch_op.drop_constraint('fk_duty_record_beat', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_duty_record_beat_id'))
        batch_op.drop_column('beat_id')

    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.drop_index('ix_target_lookup')

    op.drop_table('target')
