"""The demo force's documented accounts: one per role on the NT01 team, signed in with demo-password."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from beatdesk.models import Account, Beat, Officer
from beatdesk.services import accounts, scope
from beatdesk.services.demo import generate_demo
from beatdesk.services.demo.accounts import DEMO_PASSWORD

TODAY = date(2026, 3, 10)


@pytest.fixture
def demo(engine, admin):
    report = generate_demo(engine, admin, seed=7, months=1, today=TODAY)
    return report


def test_each_role_has_a_documented_account_on_the_town_centre_team(engine, demo):
    assert demo.accounts == ("admin.demo", "inspector.demo", "sergeant.demo", "pc.demo", "pcso.demo")
    assert f"Demo accounts: admin.demo, inspector.demo, sergeant.demo, pc.demo, pcso.demo (password {DEMO_PASSWORD})." \
        in demo.lines()
    with Session(engine) as session:
        nt01 = session.scalar(select(Beat).where(Beat.code == "NT01"))
        for username, role in (("inspector.demo", "Inspector"), ("sergeant.demo", "Sergeant"), ("pc.demo", "PC"),
                               ("pcso.demo", "PCSO")):
            actor = accounts.sign_in(engine, username, DEMO_PASSWORD)
            assert actor.role == role
            mine = scope.reach(session, actor)
            assert mine.reads_beat(nt01.id), username
        assert accounts.sign_in(engine, "admin.demo", DEMO_PASSWORD).is_administrator
        pc = session.get(Officer, accounts.sign_in(engine, "pc.demo", DEMO_PASSWORD).officer_id)
        assert pc.beat_id == nt01.id
        assert scope.reach(session, accounts.sign_in(engine, "sergeant.demo", DEMO_PASSWORD)).directs_beat(nt01.id)


def test_replacing_the_demo_remakes_its_accounts_and_unties_others(engine, admin, demo):
    with Session(engine) as session:
        pc = session.scalar(select(Officer).where(Officer.role == "PC").order_by(Officer.id.desc()))
    accounts.create_account(engine, admin, "tried.it", "Someone trying", "a long password", "PC", pc.id)
    report = generate_demo(engine, admin, seed=8, months=1, today=TODAY, replace=True)
    assert report.accounts == ("admin.demo", "inspector.demo", "sergeant.demo", "pc.demo", "pcso.demo")
    with Session(engine) as session:
        tried = session.scalar(select(Account).where(Account.username == "tried.it"))
        assert tried.officer_id is None and not tried.active
    assert accounts.sign_in(engine, "pc.demo", DEMO_PASSWORD).officer_id is not None
