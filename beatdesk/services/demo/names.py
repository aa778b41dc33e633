"""Fictitious people for the demo force: names, collar numbers, phone numbers and e-mail addresses.

Names are random pairings from embedded lists that reflect Northamptonshire's mix of people; no
pairing is meant to be anyone. Contact details sit in ranges that can never reach a real person:
Ofcom's drama numbers (07700 900000–900999, 01632 960000–960999) and the reserved ``.example``
domain (RFC 2606).
"""

from __future__ import annotations

import random
import re

from beatdesk.models import Role

EMAIL_DOMAIN = "northants.police.uk.example"

FIRST_NAMES = (
    # women
    "Abigail Aisha Alice Amara Amelia Amy Anna Aoife Bethan Charlotte Chloe Claire Danielle Eleanor "
    "Ellie Emma Erin Fatima Gemma Georgia Grace Hannah Harpreet Holly Imogen Jade Jasmine Jessica "
    "Joanna Karen Katarzyna Kate Kirsty Laura Leah Lucy Megan Mei Nadia Naomi Niamh Olivia Priya "
    "Rachel Rebecca Rhiannon Rosie Ruth Samira Sarah Shannon Sian Sophie Stacey Tanisha Victoria "
    "Yasmin Zainab Zoe "
    # men
    "Aaron Adam Adebayo Alex Ali Andrew Arjun Ben Callum Chris Ciaran Connor Craig Daniel Darren "
    "David Dylan Ewan Gareth Harry Hassan Imran Jack Jake James Jamal Jason Joel Jonathan Josh Kamil "
    "Kieran Kwame Lee Liam Luke Marcus Mark Matthew Michael Mohammed Nathan Neil Oliver Omar Owen "
    "Patrick Paul Piotr Rajesh Rhys Richard Robert Ryan Sam Scott Simon Stephen Stuart Thomas Tom "
    "Tyrone Wesley Yusuf"
).split()

LAST_NAMES = (
    "Adams Ahmed Akhtar Ali Allen Anderson Appiah Atkinson Bailey Baker Banks Barker Begum Bell "
    "Bennett Bhatt Booth Bradley Brennan Brown Burke Butler Campbell Carter Chapman Chauhan Clarke "
    "Coleman Collins Cooper Cox Davies Dawson Dixon Doyle Edwards Ellis Evans Fletcher Foster Fraser "
    "Gallagher Gordon Graham Grant Green Griffiths Gupta Hall Harris Harrison Hayes Hill Hughes "
    "Hussain Jackson James Jenkins Johnson Jones Kaur Kelly Khan Kowalski Lewis Lloyd Marshall Martin "
    "Mason Matthews McDonald Mensah Mills Mistry Mitchell Moore Morgan Morris Murphy Murray Nowak "
    "Okafor Owen Palmer Parker Patel Pearson Phillips Powell Price Quinn Rahman Reid Reynolds "
    "Richards Roberts Robinson Rogers Russell Shah Sharma Shaw Simpson Singh Smith Stewart Sullivan "
    "Taylor Thomas Thompson Turner Walker Walsh Ward Watson White Wilkinson Williams Wilson Wood "
    "Wright Young O'Brien O'Connor Ashworth-Lee"
).split()

# Collar-number ranges: warranted officers keep plain four-digit numbers; prefixes mark the others.
_COLLAR_RANGES: dict[Role, tuple[str, range]] = {
    Role.PC: ("", range(1000, 5000)),
    Role.SERGEANT: ("", range(1000, 5000)),
    Role.INSPECTOR: ("", range(1000, 5000)),
    Role.PCSO: ("PCSO", range(7000, 8000)),
    Role.SPECIAL: ("SC", range(5000, 6000)),
    Role.STAFF: ("STF", range(9000, 10000)),
}

MOBILE_PREFIX = "07700 900"  # Ofcom drama range: 07700 900000–900999
LANDLINE_PREFIX = "01632 960"  # Ofcom drama range: 01632 960000–960999
_DESK_ROLES = frozenset({Role.INSPECTOR, Role.STAFF})


class Namer:
    """Hands out unique fictitious identities; the same seed gives the same people in the same order."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._names: set[str] = set()
        self._emails: set[str] = set()
        self._collars: dict[str, list[int]] = {}
        self._phones = {
            MOBILE_PREFIX: rng.sample(range(1000), 1000),
            LANDLINE_PREFIX: rng.sample(range(1000), 1000),
        }

    def name(self) -> str:
        while True:
            full = f"{self._rng.choice(FIRST_NAMES)} {self._rng.choice(LAST_NAMES)}"
            if full not in self._names:
                self._names.add(full)
                return full

    def email(self, name: str) -> str:
        first, _, last = name.partition(" ")
        local = f"{_slug(first)}.{_slug(last)}"
        candidate, n = local, 1
        while candidate in self._emails:
            n += 1
            candidate = f"{local}{n}"
        self._emails.add(candidate)
        return f"{candidate}@{EMAIL_DOMAIN}"

    def collar_number(self, role: Role) -> str:
        """Unique across the force: ranks share one pool, so a PC and a sergeant never collide."""
        prefix, numbers = _COLLAR_RANGES[role]
        pool = self._collars.get(prefix)
        if pool is None:
            pool = self._collars[prefix] = self._rng.sample(numbers, len(numbers))
        return f"{prefix}{pool.pop()}"

    def phone(self, role: Role) -> str:
        """Desk roles get a drama landline, the rest a drama mobile; each number is used once."""
        prefix = LANDLINE_PREFIX if role in _DESK_ROLES else MOBILE_PREFIX
        return f"{prefix}{self._phones[prefix].pop():03d}"


def _slug(part: str) -> str:
    return re.sub(r"[^a-z-]", "", part.lower())
