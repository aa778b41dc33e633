"""Activity entry linked to a task

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22

A nullable column on activity_entry: existing entries keep their values and link to no task.
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('activity_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('task_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_activity_entry_task_id'), ['task_id'], unique=False)
        batch_op.create_foreign_key('fk_activity_entry_task', 'task', ['task_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('activity_entry', schema=None) as batch_op:
        batch_op.drop_constraint('fk_activity_entry_task', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_activity_entry_task_id'))
        batch_op.drop_column('task_id')
