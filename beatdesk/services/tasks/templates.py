"""Task templates: the common tasks a sergeant sets most days, ready to create in one step."""

from __future__ import annotations

from datetime import time

from sqlalchemy import Engine, select
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import TaskTemplate
from beatdesk.services import audit
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ValidationError
from beatdesk.services.permissions import Action, require
from beatdesk.services.tasks import rules
from beatdesk.services.tasks.inputs import TemplateInput, TemplateView


def create_template(engine: Engine, actor: Actor, data: TemplateInput) -> int:
    """Store a template and audit it; returns its id. Names are unique."""
    require(actor, Action.MANAGE_TASKS)
    with session_scope(engine) as session:
        columns = rules.checked_template(session, actor, data)
        taken = session.execute(select(TaskTemplate.id).where(TaskTemplate.name == columns["name"])).first()
        if taken:
            raise ValidationError(f"name: there is already a template called {columns['name']!r}.")
        row = TaskTemplate(**columns, created_by=actor.label)
        session.add(row)
        session.flush()
        audit.record(session, actor, "create_task_template", "task_template", row.id,
                     **{k: getattr(v, "value", v) for k, v in columns.items()})
        return row.id


def list_templates(session: Session, actor: Actor) -> list[TemplateView]:
    """Every template, by name."""
    require(actor, Action.VIEW_FORCE)
    rows = session.execute(select(TaskTemplate).order_by(TaskTemplate.name, TaskTemplate.id)).scalars()
    return [
        TemplateView(
            id=t.id, name=t.name, type=t.type, threat=t.threat, harm=t.harm, risk=t.risk,
            vulnerability=t.vulnerability, instruction=t.instruction, window_start=time(*divmod(t.window_start, 60)),
            window_end=time(*divmod(t.window_end, 60)), beat_id=t.beat_id, place_id=t.place_id,
        )
        for t in rows
    ]
