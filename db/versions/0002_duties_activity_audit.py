"""Duty records, activity entries and the audit trail

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import beatdesk.models.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('duty_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('duty_date', sa.Date(), nullable=False),
    sa.Column('start', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('minutes_outside', sa.Integer(), nullable=True),
    sa.CheckConstraint('"end" > start', name='ck_duty_end_after_start'),
    sa.CheckConstraint('minutes_outside IS NULL OR minutes_outside >= 0', name='ck_duty_outside'),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('officer_id', 'start', name='uq_duty_officer_start')
    )
    with op.batch_alter_table('duty_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_record_duty_date'), ['duty_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_duty_record_officer_id'), ['officer_id'], unique=False)

    op.create_table('activity_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('arrest', 'stop_search', 'warrant', 'ppn', 'incident', 'engagement', 'watch_scheme', 'intelligence', 'dedicated_place', name='activitykind', native_enum=False, length=20), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('point_easting', sa.Float(), nullable=True),
    sa.Column('point_northing', sa.Float(), nullable=True),
    sa.Column('intel_source', sa.Enum('Community', 'Partnership', 'Police activity', 'Observations', name='intelsource', native_enum=False, length=20), nullable=True),
    sa.Column('outcome_linked', sa.Boolean(), nullable=True),
    sa.Column('created_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'intelligence') = (intel_source IS NOT NULL)", name='ck_activity_intel_source'),
    sa.CheckConstraint('count >= 0', name='ck_activity_count'),
    sa.CheckConstraint('minutes IS NULL OR minutes >= 0', name='ck_activity_minutes'),
    sa.ForeignKeyConstraint(['beat_id'], ['beat.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('activity_entry', schema=None) as batch_op:
        batch_op.create_index('ix_activity_beat_time', ['beat_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_entry_reference'), ['reference'], unique=False)
        batch_op.create_index('ix_activity_officer_time', ['officer_id', 'occurred_at'], unique=False)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_action'))
    op.drop_table('audit_entry')
    with op.batch_alter_table('activity_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_officer_time')
        batch_op.drop_index(batch_op.f('ix_activity_entry_reference'))
        batch_op.drop_index('ix_activity_beat_time')
    op.drop_table('activity_entry')
    with op.batch_alter_table('duty_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_record_officer_id'))
        batch_op.drop_index(batch_op.f('ix_duty_record_duty_date'))
    op.drop_table('duty_record')
