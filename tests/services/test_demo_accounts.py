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
    # someone made an account of their own: the documented ones, public passwords and all, are not remade
    assert report.accounts == ()
    with Session(engine) as session:
        tried = session.scalar(select(Account).where(Account.username == "tried.it"))
        assert tried.officer_id is None and not tried.active and tried.version == 2
        assert set(session.scalars(select(Account.username))) == {"tried.it"}
    again = generate_demo(engine, admin, seed=9, months=1, today=TODAY, replace=True)
    assert again.accounts == ()


def test_replacing_a_pure_demo_remakes_its_accounts_on_the_new_people(engine, admin, demo):
    with Session(engine) as session:
        before = session.scalar(select(Account.officer_id).where(Account.username == "pc.demo"))
    report = generate_demo(engine, admin, seed=8, months=1, today=TODAY, replace=True)
    assert report.accounts == ("admin.demo", "inspector.demo", "sergeant.demo", "pc.demo", "pcso.demo")
    pc = accounts.sign_in(engine, "pc.demo", DEMO_PASSWORD)
    with Session(engine) as session:
        assert session.get(Officer, pc.officer_id).role == "PC" and before is not None


def test_a_database_with_accounts_of_its_own_gets_no_public_ones(engine, admin):
    from beatdesk.services.actor import Actor

    accounts.create_first_administrator(engine, "casey", "Casey", "a long password")
    accounts.create_account(engine, Actor.administrator("casey"), "sam", "Sam", "a long password", "Administrator")
    report = generate_demo(engine, admin, seed=7, months=1, today=TODAY)
    assert report.accounts == ()
    with Session(engine) as session:
        assert set(session.scalars(select(Account.username))) == {"casey", "sam"}


def test_the_first_administrator_generating_the_demo_still_gets_them(engine):
    first = accounts.create_first_administrator(engine, "casey", "Casey", "a long password")
    assert generate_demo(engine, first, seed=7, months=1, today=TODAY).accounts[0] == "admin.demo"
