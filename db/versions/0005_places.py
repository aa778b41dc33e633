"""Places: hotspots, high-risk and vulnerable locations on each beat

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

A new table only: rows of earlier revisions are untouched.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import beatdesk.models.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('kind', sa.Enum('hotspot', 'high-risk location', 'vulnerable location', name='placekind', native_enum=False, length=20), nullable=False),
    sa.Column('geometry_wkb', sa.LargeBinary(), nullable=False),
    sa.Column('peak_days', sa.Integer(), server_default='0', nullable=False),
    sa.Column('peak_start', sa.Integer(), nullable=True),
    sa.Column('peak_end', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('retired_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('retired_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('retired_reason', sa.Text(), nullable=True),
    sa.Column('created_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('(peak_start IS NULL) = (peak_end IS NULL)', name='ck_place_peak_pair'),
    sa.CheckConstraint('peak_days >= 0 AND peak_days < 128', name='ck_place_peak_days'),
    sa.CheckConstraint('peak_start IS NULL OR (peak_start >= 0 AND peak_start < 1440 AND peak_end >= 0 AND peak_end < 1440)', name='ck_place_peak_range'),
    sa.ForeignKeyConstraint(['beat_id'], ['beat.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_beat_id'), ['beat_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_beat_id'))

    op.drop_table('place')
