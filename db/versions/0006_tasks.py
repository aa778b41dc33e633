"""Tasks and task templates: daily tasking of neighbourhood officers

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

New tables only: rows of earlier revisions are untouched.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import beatdesk.models.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum('hotspot patrol', 'cocooning visit', 'warrant', 'engagement event', 'PPN follow-up', 'problem-solving action', 'watch-scheme visit', 'intelligence development', 'other', name='tasktype', native_enum=False, length=30), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('point_easting', sa.Float(), nullable=True),
    sa.Column('point_northing', sa.Float(), nullable=True),
    sa.Column('duty_date', sa.Date(), nullable=False),
    sa.Column('window_start', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('window_end', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('threat', sa.Integer(), nullable=False),
    sa.Column('harm', sa.Integer(), nullable=False),
    sa.Column('risk', sa.Integer(), nullable=False),
    sa.Column('vulnerability', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('instruction', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('local_priority', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('open', 'in progress', 'done', 'not done', name='taskstatus', native_enum=False, length=20), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('carried_from_task_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('(point_easting IS NULL) = (point_northing IS NULL)', name='ck_task_point_pair'),
    sa.CheckConstraint('harm >= 1 AND harm <= 5', name='ck_task_harm'),
    sa.CheckConstraint('priority >= 1 AND priority <= 4', name='ck_task_priority'),
    sa.CheckConstraint('risk >= 1 AND risk <= 5', name='ck_task_risk'),
    sa.CheckConstraint('threat >= 1 AND threat <= 5', name='ck_task_threat'),
    sa.CheckConstraint('vulnerability >= 1 AND vulnerability <= 5', name='ck_task_vulnerability'),
    sa.CheckConstraint('window_end > window_start', name='ck_task_window'),
    sa.ForeignKeyConstraint(['beat_id'], ['beat.id'], ),
    sa.ForeignKeyConstraint(['carried_from_task_id'], ['task.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('carried_from_task_id')
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_beat_id'), ['beat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_duty_date'), ['duty_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_officer_id'), ['officer_id'], unique=False)

    op.create_table('task_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('type', sa.Enum('hotspot patrol', 'cocooning visit', 'warrant', 'engagement event', 'PPN follow-up', 'problem-solving action', 'watch-scheme visit', 'intelligence development', 'other', name='tasktype', native_enum=False, length=30), nullable=False),
    sa.Column('threat', sa.Integer(), nullable=False),
    sa.Column('harm', sa.Integer(), nullable=False),
    sa.Column('risk', sa.Integer(), nullable=False),
    sa.Column('vulnerability', sa.Integer(), nullable=False),
    sa.Column('instruction', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('window_start', sa.Integer(), nullable=False),
    sa.Column('window_end', sa.Integer(), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=True),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('harm >= 1 AND harm <= 5', name='ck_task_template_harm'),
    sa.CheckConstraint('risk >= 1 AND risk <= 5', name='ck_task_template_risk'),
    sa.CheckConstraint('threat >= 1 AND threat <= 5', name='ck_task_template_threat'),
    sa.CheckConstraint('vulnerability >= 1 AND vulnerability <= 5', name='ck_task_template_vulnerability'),
    sa.CheckConstraint('window_start >= 0 AND window_start < 1440 AND window_end >= 0 AND window_end < 1440 AND window_start != window_end', name='ck_task_template_window'),
    sa.ForeignKeyConstraint(['beat_id'], ['beat.id'], ),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )


def downgrade() -> None:
    op.drop_table('task_template')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_officer_id'))
        batch_op.drop_index(batch_op.f('ix_task_duty_date'))
        batch_op.drop_index(batch_op.f('ix_task_beat_id'))

    op.drop_table('task')
