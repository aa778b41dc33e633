"""Audit trail: hash chain and append-only

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22

Audit rows gain their place in the trail (seq) and a hash chain (prev_hash, hash), computed here for
the rows already there in id order; a one-row table audit_head records where the trail ends. Triggers
then refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) on audit_entry, and removing audit_head or
moving it back, on SQLite and on PostgreSQL alike. (A later batch
migration of audit_entry on SQLite rebuilds the table and so drops these triggers: recreate them.)
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

from beatdesk.models.audit import GENESIS, chain_hash
from beatdesk.models.types import UTCDateTime


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

REFUSAL = "the audit trail is append-only"


def upgrade() -> None:
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))

    audit = sa.table('audit_entry', sa.column('id', sa.Integer), sa.column('at', UTCDateTime),
                     sa.column('actor', sa.String), sa.column('action', sa.String), sa.column('entity', sa.String),
                     sa.column('entity_id', sa.String), sa.column('detail', sa.Text), sa.column('seq', sa.Integer),
                     sa.column('prev_hash', sa.String), sa.column('hash', sa.String))
    conn = op.get_bind()
    rows = conn.execute(sa.select(audit.c.id, audit.c.at, audit.c.actor, audit.c.action, audit.c.entity,
                                  audit.c.entity_id, audit.c.detail).order_by(audit.c.id)).all()
    prev, updates = GENESIS, []
    for seq, row in enumerate(rows, start=1):
        digest = chain_hash(seq, row.at, row.actor, row.action, row.entity, row.entity_id, row.detail, prev)
        updates.append({"row_id": row.id, "seq": seq, "prev_hash": prev, "hash": digest})
        prev = digest
    if updates:
        conn.execute(audit.update().where(audit.c.id == sa.bindparam("row_id"))
                     .values(seq=sa.bindparam("seq"), prev_hash=sa.bindparam("prev_hash"), hash=sa.bindparam("hash")),
                     updates)
    conn.execute(sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, :seq, :hash)"),
                 {"seq": len(updates), "hash": prev})

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_entry_seq'), ['seq'])
    _create_guards()


def downgrade() -> None:
    _drop_guards()
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_entry_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
    op.drop_table('audit_head')


def _create_guards() -> None:
    """audit_entry: no UPDATE, DELETE or TRUNCATE. audit_head: never removed, never moved back."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
            FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""")
        op.execute("""
            CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
            FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()""")
        op.execute(f"""
            CREATE FUNCTION audit_head_forward_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP <> 'UPDATE' OR NEW.seq < OLD.seq THEN RAISE EXCEPTION '{REFUSAL}'; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head
            FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()""")
        op.execute("""
            CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
            FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()""")
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(f"""
            CREATE TRIGGER audit_entry_no_{event.lower()} BEFORE {event} ON audit_entry
            BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""")
    op.execute(f"""
        CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""")
    op.execute(f"""
        CREATE TRIGGER audit_head_no_rewind BEFORE UPDATE ON audit_head WHEN NEW.seq < OLD.seq
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""")


def _drop_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger, table in (("audit_entry_append_only", "audit_entry"), ("audit_entry_no_truncate", "audit_entry"),
                               ("audit_head_forward_only", "audit_head"), ("audit_head_no_truncate", "audit_head")):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS audit_entry_append_only()")
        op.execute("DROP FUNCTION IF EXISTS audit_head_forward_only()")
        return
    for trigger in ("audit_entry_no_update", "audit_entry_no_delete", "audit_head_no_delete", "audit_head_no_rewind"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
