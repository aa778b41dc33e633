"""What each role may do. Checked inside the services, not only hidden in the interface."""

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


_EVERYONE = frozenset({ADMINISTRATOR, *(r.value for r in Role)})
_ALLOWED: dict[Action, frozenset[str]] = {
    Action.VIEW_FORCE: _EVERYONE,
    Action.INSTALL_BEAT_PLAN: frozenset({ADMINISTRATOR}),
    Action.IMPORT_WARDS: frozenset({ADMINISTRATOR}),
    Action.GENERATE_DEMO: frozenset({ADMINISTRATOR}),
}


def require(actor: Actor, action: Action) -> None:
    if actor.role not in _ALLOWED[action]:
        raise PermissionDenied(f"{actor.label} ({actor.role}) may not {action}.")
