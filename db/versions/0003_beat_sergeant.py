"""Which sergeant directs which beats

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('beat_sergeant',
    sa.Column('beat_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['beat_id'], ['beat.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('beat_id', 'officer_id')
    )
    with op.batch_alter_table('beat_sergeant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_beat_sergeant_officer_id'), ['officer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('beat_sergeant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_beat_sergeant_officer_id'))
    op.drop_table('beat_sergeant')
