"""Force structure: LPAs, sectors, beats, wards, officers, meta

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import beatdesk.models.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lpa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )

    op.create_table('sector',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('lpa_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lpa_id'], ['lpa.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('sector', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sector_lpa_id'), ['lpa_id'], unique=False)

    op.create_table('beat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('centroid_easting', sa.Float(), nullable=False),
    sa.Column('centroid_northing', sa.Float(), nullable=False),
    sa.Column('geometry_wkb', sa.LargeBinary(), nullable=True),
    sa.Column('display_wkb', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['sector_id'], ['sector.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('beat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_beat_sector_id'), ['sector_id'], unique=False)

    op.create_table('ward',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=9), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('council_code', sqlmodel.sql.sqltypes.AutoString(length=9), nullable=False),
    sa.Column('council_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=False),
    sa.Column('area_km2', sa.Float(), nullable=True),
    sa.Column('geometry_wkb', sa.LargeBinary(), nullable=True),
    sa.Column('display_wkb', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['beat_id'], ['beat.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('ward', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ward_beat_id'), ['beat_id'], unique=False)

    op.create_table('officer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collar_number', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('role', sa.Enum('PC', 'PCSO', 'Sergeant', 'Inspector', 'Special constable', 'Staff', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=True),
    sa.Column('sector_id', sa.Integer(), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.CheckConstraint('beat_id IS NOT NULL OR sector_id IS NOT NULL', name='ck_officer_posted'),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name='ck_officer_dates'),
    sa.ForeignKeyConstraint(['beat_id'], ['beat.id'], ),
    sa.ForeignKeyConstraint(['sector_id'], ['sector.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('collar_number')
    )
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officer_beat_id'), ['beat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_officer_sector_id'), ['sector_id'], unique=False)

    op.create_table('meta',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('meta')
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officer_sector_id'))
        batch_op.drop_index(batch_op.f('ix_officer_beat_id'))
    op.drop_table('officer')
    with op.batch_alter_table('ward', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ward_beat_id'))
    op.drop_table('ward')
    with op.batch_alter_table('beat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_beat_sector_id'))
    op.drop_table('beat')
    with op.batch_alter_table('sector', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sector_lpa_id'))
    op.drop_table('sector')
    op.drop_table('lpa')
