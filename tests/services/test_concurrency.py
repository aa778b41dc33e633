"""Two desks writing at once: nothing is lost, nobody sees "database is locked", stale saves are refused.

Each of two processes logs its entries for the SAME officer, one a day in the same order, so both keep
creating the same daily-total rows at the same moment: the hardest case for keeping the totals in step.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import ActivityEntry, Officer, Role
from beatdesk.services import audit
from beatdesk.services.activity import EntryInput, edit_entry, log_entry, recount_totals, stored_totals
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict

PER_PROCESS = 2000
START = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=PER_PROCESS + 5)

WRITER = """
import sys
from datetime import datetime, timedelta
from beatdesk.database import make_engine
from beatdesk.models import ActivityKind
from beatdesk.services.activity import EntryInput, log_entry
from beatdesk.services.actor import Actor
url, officer, start, n, name = sys.argv[1], int(sys.argv[2]), datetime.fromisoformat(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
engine, desk = make_engine(url), Actor.administrator(name)
sys.stdin.readline()  # both start together
kinds = (ActivityKind.INCIDENT, ActivityKind.ARREST, ActivityKind.PPN)
for i in range(n):
    log_entry(engine, desk, EntryInput(officer, kinds[i % 3], start + timedelta(days=i, minutes=i % 60),
                                       count=1 + i % 2, reference=f"{name}/{i}"))
print("done", n, flush=True)
"""


@pytest.fixture
def pc(engine) -> int:
    with session_scope(engine) as session:
        officer = Officer(collar_number="1001", name="Officer 1001", role=Role.PC, beat_id=1,
                          start_date=START.date() - timedelta(days=1))
        session.add(officer)
        session.flush()
        return officer.id


def test_two_processes_logging_at_once_lose_nothing(engine, pc):
    url = engine.url.render_as_string(hide_password=False)
    desks = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, str(pc), START.isoformat(), str(PER_PROCESS), name],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("desk-a", "desk-b")
    ]
    for desk in desks:
        desk.stdin.write("go\n")
        desk.stdin.flush()
    results = [desk.communicate(timeout=600) for desk in desks]
    for desk, (out, err) in zip(desks, results, strict=True):
        assert desk.returncode == 0, err[-3000:]
        assert "locked" not in err and out.strip() == f"done {PER_PROCESS}"
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(ActivityEntry)) == 2 * PER_PROCESS
        references = set(session.scalars(select(ActivityEntry.reference)))
        assert references == {f"desk-{d}/{i}" for d in "ab" for i in range(PER_PROCESS)}
        assert stored_totals(session) == recount_totals(session)
        chain = audit.verify(session)  # both desks' audit rows in one unbroken chain
        assert chain.intact and chain.entries >= 2 * PER_PROCESS, chain.problems


def test_the_second_of_two_saves_from_the_same_version_is_refused(engine, pc, admin):
    logged = log_entry(engine, admin, EntryInput(pc, "incident", START, count=1))
    edit_entry(engine, Actor.administrator("desk-a"), logged.entry_id, {"count": 2}, logged.version)
    with pytest.raises(Conflict, match="changed by someone else"):
        edit_entry(engine, Actor.administrator("desk-b"), logged.entry_id, {"count": 3}, logged.version)
    with Session(engine) as session:
        assert session.get(ActivityEntry, logged.entry_id).count == 2
