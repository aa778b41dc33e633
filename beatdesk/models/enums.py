"""Closed vocabularies of the force model."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PC = "PC"
    PCSO = "PCSO"
    SERGEANT = "Sergeant"
    INSPECTOR = "Inspector"
    SPECIAL = "Special constable"
    STAFF = "Staff"

    @property
    def short(self) -> str:
        return {"Sergeant": "Sgt", "Inspector": "Insp", "Special constable": "SC"}.get(self.value, self.value)


class ActivityKind(StrEnum):
    """One kind per Blueprint measure (see DESIGN.md, "The Blueprint criteria")."""

    ARREST = "arrest"
    STOP_SEARCH = "stop_search"
    WARRANT = "warrant"
    PPN = "ppn"
    INCIDENT = "incident"
    ENGAGEMENT = "engagement"
    WATCH_SCHEME = "watch_scheme"
    INTELLIGENCE = "intelligence"
    DEDICATED_PLACE = "dedicated_place"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def measured_in_minutes(self) -> bool:
        return self is ActivityKind.DEDICATED_PLACE


_KIND_LABELS = {
    ActivityKind.ARREST: "Arrests",
    ActivityKind.STOP_SEARCH: "Stop-searches",
    ActivityKind.WARRANT: "Warrants",
    ActivityKind.PPN: "PPN submissions",
    ActivityKind.INCIDENT: "Incidents attended",
    ActivityKind.ENGAGEMENT: "Community engagement returns",
    ActivityKind.WATCH_SCHEME: "New watch schemes",
    ActivityKind.INTELLIGENCE: "Intelligence reports",
    ActivityKind.DEDICATED_PLACE: "Time in dedicated places",
}


class IntelSource(StrEnum):
    """The one source every intelligence report is linked to (Blueprint)."""

    COMMUNITY = "Community"
    PARTNERSHIP = "Partnership"
    POLICE_ACTIVITY = "Police activity"
    OBSERVATIONS = "Observations"
