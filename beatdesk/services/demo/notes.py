"""Short, generic notes for demo activity entries: what kind of thing, never who.

Real entries must not carry personal details of the public; the demo shows the habit. Some notes
belong to a season (burglary and dark-nights work from October to February) or to a setting (Shop
Watch in the town centre, Farm Watch in the country).
"""

from __future__ import annotations

from functools import cache

from beatdesk.models import ActivityKind as K
from beatdesk.services.demo.establishment import Setting

_NOTES: dict[K, tuple[str, ...]] = {
    K.ARREST: (
        "Arrest: shoplifting", "Arrest: assault", "Arrest: criminal damage", "Arrest: wanted on warrant",
        "Arrest: possession with intent to supply", "Arrest: breach of bail", "Arrest: domestic-related assault",
    ),
    # About two thirds of the force's searches are for controlled drugs.
    K.STOP_SEARCH: ("s23 Misuse of Drugs Act: controlled drugs",) * 6
    + ("s1 PACE: stolen property", "s1 PACE: offensive weapon", "s1 PACE: going equipped"),
    K.WARRANT: (
        "Misuse of Drugs Act warrant executed", "Arrest warrant executed", "Search warrant: stolen goods",
        "Recall to prison: arrest warrant",
    ),
    K.PPN: (
        "PPN: vulnerable adult", "PPN: domestic abuse", "PPN: child concern", "PPN: mental health concern",
        "PPN: missing person return",
    ),
    K.INCIDENT: (
        "ASB: youths gathering", "Neighbour dispute", "Shoplifting report", "Suspicious vehicle",
        "Concern for welfare", "Criminal damage", "Road traffic collision", "Noise complaint",
    ),
    K.ENGAGEMENT: (
        "Street surgery", "School visit", "Parish council meeting", "Community contact point",
        "Neighbourhood Alert sign-ups on patrol", "Business visit", "Faith group meeting",
    ),
    K.WATCH_SCHEME: ("New Neighbourhood Watch scheme",) * 2 + ("New Business Watch scheme",),
    K.INTELLIGENCE: (
        "Suspected drug dealing", "Vehicle of interest", "ASB nominal sighted", "Suspected cuckooing",
        "Stolen goods offered for sale", "Suspicious activity at premises",
    ),
    K.DEDICATED_PLACE: ("Hotspot patrol", "High-risk location patrol", "Visit to vulnerable location"),
}
_SEASON_NOTES: dict[K, tuple[tuple[str, ...], tuple[str, ...]]] = {  # (dark months, light months)
    K.INCIDENT: (
        ("Burglary report", "Burglary report", "Fireworks ASB"),
        ("ASB: off-road bikes", "Open-water safety"),
    ),
    K.ENGAGEMENT: (
        ("Cocooning visits after a burglary", "Dark nights crime prevention stall"),
        ("Community fun day", "Summer ASB patrol briefing"),
    ),
    K.INTELLIGENCE: (
        ("Burglary suspect sighted", "Suspected handling of stolen goods"),
        ("Off-road bike storage",),
    ),
}
_SETTING_NOTES: dict[Setting, dict[K, tuple[str, ...]]] = {
    Setting.TOWN_CENTRE: {
        K.WATCH_SCHEME: ("New Shop Watch scheme", "New Pub Watch scheme"),
        K.INCIDENT: ("Night-time economy disorder",),
    },
    Setting.RURAL: {
        K.WATCH_SCHEME: ("New Farm Watch scheme", "New Horse Watch scheme"),
        K.INCIDENT: ("Hare coursing report", "Theft from farm"),
    },
}


@cache
def notes_for(kind: K, dark: bool, setting: Setting) -> tuple[str, ...]:
    """The notes to choose from for ``kind`` in dark or light months on a beat of ``setting``."""
    notes = _NOTES[kind] + _SETTING_NOTES.get(setting, {}).get(kind, ())
    dark_notes, light_notes = _SEASON_NOTES.get(kind, ((), ()))
    return notes + (dark_notes if dark else light_notes)
