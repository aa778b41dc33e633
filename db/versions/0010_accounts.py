"""Sign-in accounts

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22

A new table; nothing existing changes. A database without accounts asks for its first administrator.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

import beatdesk.models.types


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account',
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('last_failed_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_sign_in_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', beatdesk.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name='fk_account_officer'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_officer_id'), ['officer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_officer_id'))
    op.drop_table('account')
