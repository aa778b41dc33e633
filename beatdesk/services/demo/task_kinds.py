"""The kinds of task a demo sergeant sets: how often, for whom, where, when, how urgent, and in what words.

Instructions are short and in police language, and like the activity notes they name places and
kinds of thing, never members of the public. Each type has an outcome or two for when it was done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from beatdesk.models import PlaceKind, Role, TaskType
from beatdesk.services.demo.establishment import Setting

T = TaskType
SETTINGS = (Setting.TOWN_CENTRE, Setting.URBAN, Setting.TOWN, Setting.RURAL)  # the order of Spec.weights


@dataclass(frozen=True)
class Spec:
    """How one type of task is set: how often by setting (town centre, urban, town, rural) and at most
    how many a beat gets in a day, who does it (preferred first), where, its usual scores, when it may
    start (local times: no street surgery at midnight), how long it takes and what the sergeant writes."""

    weights: tuple[float, float, float, float]
    most: int
    roles: tuple[Role, ...]
    places: tuple[PlaceKind, ...]  # empty: at a map point
    thrv: tuple[int, int, int, int]
    starts: tuple[time, time]
    minutes: int  # at least; some get longer
    at_place: tuple[str, ...]
    at_point: tuple[str, ...]
    local: dict[Setting, str]
    done: tuple[str, ...]


_ASB = {Setting.TOWN_CENTRE: "Night-time economy violence", Setting.URBAN: "Anti-social behaviour",
        Setting.TOWN: "Anti-social behaviour", Setting.RURAL: "Rural and farm crime"}
_BURGLARY = dict.fromkeys(SETTINGS, "Burglary dwelling (Operation Guardian)")
_DRUGS = dict.fromkeys(SETTINGS, "Drug supply (county lines)")
_ASB_PLAN = {**dict.fromkeys(SETTINGS, "Anti-social behaviour"), Setting.RURAL: "Rural and farm crime"}
_WATCH = {**_BURGLARY, Setting.RURAL: "Rural and farm crime"}

SPECS: dict[TaskType, Spec] = {
    T.HOTSPOT_PATROL: Spec(
        (5, 4, 3, 2), 5, (Role.PCSO, Role.PC, Role.SPECIAL), (PlaceKind.HOTSPOT, PlaceKind.HIGH_RISK),
        (3, 2, 3, 2), (time(7), time(23)), 45,
        ("High-visibility foot patrol of {place} at its peak time. Engage with businesses and residents, deter "
         "ASB; stop-search only on grounds.",
         "Foot patrol {place}: reports of youths gathering and cannabis use. Move on where needed, record "
         "engagement and submit intel on names and vehicles.",
         "Visible patrol {place} after thefts from vehicles this week. Check for insecure vehicles and leave "
         "crime prevention cards."),
        ("Patrol the hotspot marked on the map: repeat ASB calls this week. Engage, deter, submit intel.",
         "Foot patrol around the point marked: cycle thefts up this month. Check racks, engage, note CCTV.",
         "Visible patrol at the point marked after reports of dealing from a car; stop-search only on grounds."),
        _ASB,
        ("Patrolled 45 minutes; group moved on, no offences disclosed.",
         "Patrol completed: quiet, three businesses engaged.",
         "Patrolled; one stop-search (no further action), intel submitted."),
    ),
    T.COCOONING_VISIT: Spec(
        (1, 2, 2, 1.5), 2, (Role.PCSO, Role.PC), (), (3, 3, 4, 3), (time(9, 30), time(18, 30)), 60,
        (),
        ("Operation Guardian: cocooning visits to neighbours within 300 m of last night's burglary. Crime "
         "prevention advice; note private CCTV and doorbell cameras.",
         "Burglary dwelling overnight: door-knock the street, leaflet, and submit intel on suspicious vehicles "
         "seen."),
        _BURGLARY,
        ("18 addresses visited, 11 spoken to; advice given, two doorbell cameras identified for the OIC.",
         "Street leafleted; one resident reported a suspicious van, intel submitted."),
    ),
    T.WARRANT: Spec(
        (1.5, 1.5, 1, 0.5), 1, (Role.PC, Role.SPECIAL), (), (4, 3, 3, 2), (time(6, 30), time(9)), 90,
        (),
        ("Execute s23 Misuse of Drugs Act warrant at the address in the briefing pack. Briefing first; "
         "body-worn video on.",
         "Arrest warrant (failed to appear at court): locate the subject at the home address. PNC check "
         "before deploying.",
         "Recall to prison: check the last-known addresses supplied by the intelligence unit."),
        _DRUGS,
        ("Warrant executed: one arrested, cannabis and cash seized.",
         "Address attended, subject not present; family spoken to, intel updated."),
    ),
    T.ENGAGEMENT_EVENT: Spec(
        (1, 1, 1.2, 1.2), 1, (Role.PCSO, Role.PC), (PlaceKind.VULNERABLE,), (1, 1, 2, 1),
        (time(10), time(18, 30)), 60,
        ("Beat surgery at {place}: sign residents up to Neighbourhood Alert and record engagement returns.",
         "Community engagement at {place}: listen to concerns about ASB and speeding; feed back into the local "
         "priorities."),
        ("Street surgery at the point marked: sign residents up to Neighbourhood Alert, record engagement "
         "returns.",),
        {},
        ("Surgery held: 12 residents attended, 7 signed up to Neighbourhood Alert.",
         "Engagement held; speeding raised twice, passed to the Community Speed Watch lead."),
    ),
    T.PPN_FOLLOW_UP: Spec(
        (1.5, 1.5, 1.2, 1), 2, (Role.PC, Role.PCSO), (), (3, 4, 3, 4), (time(9), time(20)), 30,
        (),
        ("Follow up this week's PPN (domestic abuse): welfare check at the address, confirm the referral "
         "to the partner agency was accepted.",
         "PPN follow-up, vulnerable adult: joint visit with adult social care if available; update the PPN.",
         "Welfare visit after a PPN (mental health concern): check support is in place and record the outcome."),
        {},
        ("Welfare check done; referral confirmed with the partner agency.",
         "Visit completed; support in place, PPN updated."),
    ),
    T.PROBLEM_SOLVING: Spec(
        (1, 1, 1, 1), 2, (Role.PCSO, Role.PC), (PlaceKind.HIGH_RISK, PlaceKind.HOTSPOT), (2, 3, 3, 2),
        (time(8), time(15, 30)), 45,
        ("OSARA action at {place}: log lighting faults and overgrown vegetation for the council; photograph "
         "for the assessment.",
         "Problem-solving plan: check the gate at {place} is still secured and note any new graffiti or drug "
         "litter."),
        ("Problem-solving plan: photograph the fly-tipping at the point marked and report it to the council.",),
        _ASB_PLAN,
        ("Two lighting faults reported to the council; photos added to the plan.",
         "Gate secure, no new drug litter; plan updated."),
    ),
    T.WATCH_SCHEME_VISIT: Spec(
        (0.7, 1, 1.2, 2), 2, (Role.PCSO,), (), (1, 2, 2, 1), (time(10), time(18, 30)), 45,
        (),
        ("Meet the Neighbourhood Watch coordinator: share the month's crime picture and recruit two more "
         "streets.",
         "Visit Watch members about the recent shed and garage break-ins; advise on marking property."),
        _WATCH,
        ("Coordinator met; two streets interested, follow-up booked.",
         "Members visited; property-marking kits handed out."),
    ),
    T.INTELLIGENCE: Spec(
        (1.2, 1, 0.8, 0.7), 1, (Role.PC, Role.PCSO, Role.SPECIAL), (PlaceKind.HOTSPOT,), (3, 2, 3, 2),
        (time(8), time(22)), 60,
        ("Observations at {place} for suspected drug dealing: note vehicles and times, submit intel "
         "(Observations).",),
        ("Develop community intelligence on county lines activity around the point marked; submit intel "
         "reports.",),
        _DRUGS,
        ("Observations done; two vehicles noted, intel report submitted.",),
    ),
}
TYPES = tuple(SPECS)
NOT_DONE_OUTCOMES = ("Not done: diverted to an immediate incident.", "Not done: no reply at the address; card left.",
             "Not done: officer abstracted to a custody escort.",
             "Not done: ran out of time; handed back to the sergeant.",
             "Not done: venue closed; rearranged with the partner agency.")
LATE_OUTCOME = "Done on a later duty. {done}"  # marked done only after the grace the criteria file allows
TEMPLATES = (  # name, type, scores, instruction, local window
    ("Evening hotspot patrol", T.HOTSPOT_PATROL, (2, 2, 3, 2),
     "High-visibility foot patrol of the beat's hotspot at its peak; engage, deter ASB, submit intel.",
     (18, 0), (20, 0)),
    ("Night-time economy patrol", T.HOTSPOT_PATROL, (3, 3, 3, 2),
     "Foot patrol of the night-time economy: meet door staff, check the taxi ranks, deter violence.", (22, 0), (2, 0)),
    ("Cocooning visits after a burglary (Operation Guardian)", T.COCOONING_VISIT, (3, 3, 4, 3),
     "Visit neighbours within 300 m of the burglary: crime prevention advice, note private CCTV.", (10, 0), (12, 0)),
    ("Early-morning warrant", T.WARRANT, (4, 3, 3, 2),
     "Execute the warrant in the briefing pack; briefing first, body-worn video on.", (6, 30), (9, 0)),
    ("PPN follow-up welfare visit", T.PPN_FOLLOW_UP, (3, 4, 3, 4),
     "Welfare check after the PPN; confirm the referral to the partner agency and update the PPN.", (10, 0), (11, 0)),
    ("Beat surgery", T.ENGAGEMENT_EVENT, (1, 1, 2, 1),
     "Hold the beat surgery: sign residents up to Neighbourhood Alert, record engagement returns.", (12, 0), (13, 30)),
    ("Neighbourhood Watch coordinator visit", T.WATCH_SCHEME_VISIT, (1, 2, 2, 1),
     "Share the month's crime picture with the coordinator and recruit new members.", (14, 0), (15, 0)),
)
