"""Appending to the audit trail, inside the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from beatdesk.models import AuditEntry
from beatdesk.services.actor import Actor


def record(
    session: Session, actor: Actor, action: str, entity: str, entity_id: object = "", **detail: Any
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor.label,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        detail=json.dumps(detail, default=str, sort_keys=True),
    )
    session.add(entry)
    return entry
