"""What each role may do at all. Checked inside the services, not only hidden in the interface; on
whose records and which beats is ``beatdesk.services.scope``'s to say."""

from __future__ import annotations

from enum import StrEnum

from beatdesk.models.enums import Role
from beatdesk.services.actor import ADMINISTRATOR, Actor
from beatdesk.services.errors import PermissionDenied


class Action(StrEnum):
    VIEW_FORCE = "view the force"
    INSTALL_BEAT_PLAN = "install the beat plan"
    IMPORT_WARDS = "import ward boundaries"
    GENERATE_DEMO = "generate the demo force"
    LOG_ACTIVITY = "log beat activity"
    EDIT_ACTIVITY = "edit or delete beat activity"
    RECORD_DUTY = "record duties"
    MANAGE_PLACES = "manage places"
    MANAGE_TASKS = "manage tasks"  # sergeants only on the beats they direct (checked by the task services)
    UPDATE_OWN_TASK = "update the status of their own task"
    MANAGE_USERS = "manage user accounts"
    VIEW_AUDIT = "view the audit trail"
    SET_TARGETS = "set performance targets"
    EXPORT_REPORTS = "export performance tables and reports"


_EVERYONE = frozenset({ADMINISTRATOR, *(r.value for r in Role)})
_OPERATIONAL = frozenset({ADMINISTRATOR, *(r.value for r in Role if r is not Role.STAFF)})
_ALLOWED: dict[Action, frozenset[str]] = {
    Action.VIEW_FORCE: _EVERYONE,
    Action.INSTALL_BEAT_PLAN: frozenset({ADMINISTRATOR}),
    Action.IMPORT_WARDS: frozenset({ADMINISTRATOR}),
    Action.GENERATE_DEMO: frozenset({ADMINISTRATOR}),
    Action.LOG_ACTIVITY: _OPERATIONAL,
    Action.EDIT_ACTIVITY: _OPERATIONAL,
    Action.RECORD_DUTY: _OPERATIONAL,
    Action.MANAGE_PLACES: frozenset({ADMINISTRATOR, Role.SERGEANT.value, Role.INSPECTOR.value}),
    Action.MANAGE_TASKS: frozenset({ADMINISTRATOR, Role.SERGEANT.value, Role.INSPECTOR.value}),
    Action.UPDATE_OWN_TASK: _OPERATIONAL,
    Action.MANAGE_USERS: frozenset({ADMINISTRATOR}),
    Action.VIEW_AUDIT: frozenset({ADMINISTRATOR, Role.INSPECTOR.value}),
    Action.SET_TARGETS: frozenset({ADMINISTRATOR, Role.INSPECTOR.value}),
    Action.EXPORT_REPORTS: frozenset({ADMINISTRATOR, Role.INSPECTOR.value}),
}


def may(actor: Actor, action: Action) -> bool:
    """Whether the role may do ``action`` at all: for the interface to offer only what will be allowed."""
    return actor.role in _ALLOWED[action]


def require(actor: Actor, action: Action) -> None:
    if actor.role not in _ALLOWED[action]:
        raise PermissionDenied(f"{actor.label} ({actor.role}) may not {action}.")
