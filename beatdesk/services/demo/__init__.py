"""The demo force: a year of fictitious officers, duties and beat activity on the real beat plan,
with a rota planned two weeks ahead and today's tasks on every beat.

It lets a new installation show every screen with believable numbers, and gives tests and
demonstrations a deterministic force. Nothing in it is about real people.
"""

from beatdesk.services.demo.establishment import sergeant_groups
from beatdesk.services.demo.generate import DemoCancelled, DemoReport, demo_label, generate_demo

__all__ = ["DemoCancelled", "DemoReport", "demo_label", "generate_demo", "sergeant_groups"]
