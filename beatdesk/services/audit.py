"""Appending to the audit trail inside the caller's transaction, and checking the trail is intact.

Appending first advances ``audit_head`` (an UPDATE … RETURNING): on PostgreSQL that row lock, on
SQLite the write lock the UPDATE takes, holds any other writer back until this transaction ends, so
every row chains onto the one truly before it. See ``beatdesk.models.audit`` for the chain itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from beatdesk.models import AuditEntry, AuditHead, utcnow
from beatdesk.models.audit import GENESIS, chain_hash
from beatdesk.services.actor import Actor
from beatdesk.services import changes

CHUNK = 5000


def record(
    session: Session, actor: Actor, action: str, entity: str, entity_id: object = "", **detail: Any
) -> AuditEntry:
    changes.stamp(session)  # the clock before the head, always: writers lock the two in one order
    head = AuditHead.__table__.c
    seq, prev = session.execute(
        update(AuditHead).where(head.id == 1).values(seq=head.seq + 1).returning(head.seq, head.hash)
    ).one()
    entry = AuditEntry(
        seq=seq,
        at=utcnow(),
        actor=actor.label,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        detail=json.dumps(detail, default=str, sort_keys=True),
        prev_hash=prev,
        hash="",
    )
    entry.hash = _hash_of(entry)
    session.add(entry)
    session.execute(update(AuditHead).where(head.id == 1).values(hash=entry.hash))
    return entry


def _hash_of(entry: AuditEntry) -> str:
    return chain_hash(entry.seq, entry.at, entry.actor, entry.action, entry.entity, entry.entity_id, entry.detail,
                      entry.prev_hash)


@dataclass(frozen=True)
class ChainReport:
    """What ``verify`` found: ``problems`` is empty when the trail is intact."""

    entries: int
    last_hash: str
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        entries = f"{self.entries:,} entr{'y' if self.entries == 1 else 'ies'}"
        if self.intact:
            return [f"OK: the audit trail of {entries} is intact (last hash {self.last_hash[:16]}…)."]
        return [f"TAMPERED: the audit trail of {entries} fails its check:", *self.problems]


def verify(session: Session, limit: int = 20) -> ChainReport:
    """Recompute the chain from the first row: every row's hash, every link, no gap, and the head.

    The head is read first and only rows up to it are checked, so desks writing meanwhile (their rows
    come after it) are not mistaken for tampering. Reports up to ``limit`` problems, each naming the
    row (its place in the trail) and what is wrong."""
    head = session.get(AuditHead, 1)
    if head is None:
        return ChainReport(0, GENESIS, ("the trail's head record is missing",))
    end_seq, end_hash = head.seq, head.hash
    problems: list[str] = []
    expected_seq, prev, count = 1, GENESIS, 0
    for row in _rows(session, end_seq):
        count += 1
        if row.seq != expected_seq:
            problems.append(f"entry {expected_seq}: missing (the trail jumps from {expected_seq - 1} to {row.seq})")
        elif row.prev_hash != prev:
            problems.append(f"entry {row.seq}: does not follow entry {row.seq - 1} (a row before it was changed, "
                            "removed or inserted)")
        if _hash_of(row) != row.hash:
            problems.append(f"entry {row.seq} ({row.action} by {row.actor}): its content was changed after it was written")
        prev, expected_seq = row.hash, row.seq + 1
        if len(problems) >= limit:
            return ChainReport(count, prev, tuple(problems[:limit]) + (f"(checking stopped after {limit} problems)",))
    if expected_seq - 1 < end_seq:
        problems.append(f"the trail should end at entry {end_seq} but ends at entry {expected_seq - 1} "
                        "(entries were removed from the end)")
    elif prev != end_hash:
        problems.append(f"entry {end_seq}: is not the entry the trail's head recorded (the end was replaced)")
    return ChainReport(count, prev, tuple(problems[:limit]))


def _rows(session: Session, end_seq: int) -> Iterator[AuditEntry]:
    """Rows up to ``end_seq`` in trail order, a chunk at a time so a long trail is never all in memory.
    Each chunk is read as plain rows, so the caller's session keeps nothing of them."""
    after = 0
    columns = [AuditEntry.seq, AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.entity,
               AuditEntry.entity_id, AuditEntry.detail, AuditEntry.prev_hash, AuditEntry.hash]
    while True:
        chunk = session.execute(
            select(*columns).where(AuditEntry.seq > after, AuditEntry.seq <= end_seq)
            .order_by(AuditEntry.seq).limit(CHUNK)
        ).all()
        if not chunk:
            return
        yield from chunk
        after = chunk[-1].seq
