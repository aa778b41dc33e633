"""The demo force: deterministic, plausible, consistent with itself, and never written over real data."""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from beatdesk.database import session_scope
from beatdesk.models import ActivityEntry, AuditEntry, Beat, DutyRecord, Meta, Officer, Role, Sector
from beatdesk.models.meta import DEMO_GENERATED_AT, DEMO_SEED
from beatdesk.services.actor import Actor
from beatdesk.services.bootstrap import prepare
from beatdesk.services.demo import DemoCancelled, demo_label, generate_demo, sergeant_groups
from beatdesk.services.errors import PermissionDenied, ServiceError, ValidationError

TODAY = date(2024, 5, 12)
LONDON = ZoneInfo("Europe/London")
ADMIN = Actor.administrator("test-admin")


def _generate(tmp_path_factory, name: str, **options):
    engine = prepare(f"sqlite:///{tmp_path_factory.mktemp(name) / 'demo.sqlite'}")
    report = generate_demo(engine, ADMIN, today=TODAY, **options)
    return engine, report


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Two months of the default demo force, shared by the read-only tests."""
    engine, report = _generate(tmp_path_factory, "demo2", months=2)
    yield engine, report
    engine.dispose()


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """A full year, for rates, the time-outside spread and the seasons."""
    engine, report = _generate(tmp_path_factory, "demo12", months=12)
    yield engine, report
    engine.dispose()


def _sql(engine, query: str, **params) -> list:
    with engine.connect() as conn:
        return conn.execute(text(query), params).all()


def _table(engine, table: str, order: str = "id") -> list:
    return _sql(engine, f"SELECT * FROM {table} ORDER BY {order}")


def _snapshot(engine) -> dict:
    tables = ("officer", "duty_record", "activity_entry", "task", "task_template", "meta", "audit_entry")
    return {t: _table(engine, t, "1") for t in tables}


# --- the run itself -------------------------------------------------------------------------------


def test_report_matches_what_was_written(demo):
    engine, report = demo
    assert report.seed == 2021
    assert (report.period_start, report.period_end) == (date(2024, 3, 12), date(2024, 5, 11))
    assert (report.planned_until, report.planned_duties > 0) == (date(2024, 5, 25), True)
    counts = _sql(
        engine,
        "SELECT (SELECT count(*) FROM officer), (SELECT count(*) FROM duty_record WHERE duty_date < :today), "
        "(SELECT count(*) FROM activity_entry), (SELECT count(*) FROM duty_record WHERE duty_date >= :today), "
        "(SELECT count(*) FROM task WHERE duty_date = :today), "
        "(SELECT count(*) FROM task WHERE duty_date = :today AND carried_from_task_id IS NOT NULL)",
        today=TODAY,
    )[0]
    assert tuple(counts) == (report.officers, report.duties, report.entries, report.planned_duties, report.tasks,
                             report.carried)
    with session_scope(engine) as session:
        assert session.get(Meta, DEMO_SEED).value == "2021"
        assert session.get(Meta, DEMO_GENERATED_AT).value
        audits = session.exec(select(AuditEntry).where(AuditEntry.action == "generate_demo")).all()
    assert len(audits) == 1
    detail = json.loads(audits[0].detail)
    assert (detail["officers"], detail["duties"], detail["entries"]) == counts[:3]
    assert (detail["planned_duties"], detail["tasks"], detail["carried"]) == counts[3:]
    assert any("tasks for today" in line for line in report.lines())
    assert demo_label(engine) == "Demo force (seed 2021) — fictitious people and activity"


def test_same_seed_and_day_give_identical_rows_and_another_seed_differs(demo, tmp_path_factory):
    engine, _ = demo
    again, _ = _generate(tmp_path_factory, "again", months=2)
    other, _ = _generate(tmp_path_factory, "other", months=2, seed=7)
    try:
        assert _table(again, "officer") == _table(engine, "officer")
        assert _table(again, "duty_record") == _table(engine, "duty_record")
        assert _table(again, "activity_entry") == _table(engine, "activity_entry")
        assert _table(again, "task") == _table(engine, "task")
        assert _table(again, "task_template") == _table(engine, "task_template")
        assert _table(other, "officer") != _table(engine, "officer")
        assert _table(other, "activity_entry") != _table(engine, "activity_entry")
        assert _table(other, "task") != _table(engine, "task")
    finally:
        again.dispose()
        other.dispose()


def test_progress_is_reported_to_completion(engine):
    calls = []
    generate_demo(engine, ADMIN, months=1, today=TODAY, progress=lambda *a: calls.append(a))
    dones = [done for done, _, _ in calls]
    assert dones == sorted(dones) and dones[-1] == 1000
    assert {total for _, total, _ in calls} == {1000}
    assert all(message for _, _, message in calls)


# --- establishment ---------------------------------------------------------------------------------


def _officers(engine) -> list[Officer]:
    with session_scope(engine) as session:
        return list(session.exec(select(Officer)))


def _beats(engine) -> dict[int, Beat]:
    with session_scope(engine) as session:
        return {b.id: b for b in session.exec(select(Beat))}


def test_every_beat_has_a_team_and_the_town_centre_the_largest(demo):
    engine, report = demo
    beats = _beats(engine)
    on_last_day = [o for o in _officers(engine) if o.active_on(report.period_end)]
    team = Counter((o.beat_id, o.role) for o in on_last_day if o.beat_id)
    assert len(beats) == 36
    for beat_id, beat in beats.items():
        assert team[beat_id, Role.PC] >= 2, beat.code
        assert team[beat_id, Role.PCSO] >= 1, beat.code
    size = {b.code: team[b.id, Role.PC] + team[b.id, Role.PCSO] for b in beats.values()}
    assert size["NT01"] == max(size.values())
    assert size["NT01"] > statistics.median(size.values())


def test_supervision_one_inspector_per_sector_and_a_sergeant_for_two_or_three_beats(demo):
    engine, _ = demo
    officers = _officers(engine)
    beats = _beats(engine)
    with session_scope(engine) as session:
        sectors = {s.id: s for s in session.exec(select(Sector))}
    inspectors = [o for o in officers if o.role is Role.INSPECTOR]
    assert sorted(o.sector_id for o in inspectors) == sorted(sectors)
    assert all(o.beat_id is None for o in inspectors)
    sergeants_at = Counter(beats[o.beat_id].code for o in officers if o.role is Role.SERGEANT)
    covered = []
    for sector_id in sectors:
        groups = sergeant_groups([b.code for b in beats.values() if b.sector_id == sector_id])
        for group in groups:
            assert 2 <= len(group) <= 3
            assert sergeants_at[group[0]] == 1, f"no sergeant posted to lead beat {group[0]}"
            covered += group
    assert sorted(covered) == sorted(b.code for b in beats.values())
    assert sum(sergeants_at.values()) == len(sergeants_at)


def test_sergeant_groups_split_sectors_into_twos_and_threes():
    assert sergeant_groups(["A", "B", "C"]) == [["A", "B", "C"]]
    assert [len(g) for g in sergeant_groups(list("ABCD"))] == [2, 2]
    assert [len(g) for g in sergeant_groups(list("EDCBA"))] == [3, 2]
    assert sergeant_groups(list("EDCBA"))[0] == ["A", "B", "C"]
    assert [len(g) for g in sergeant_groups(list("ABCDEF"))] == [3, 3]


def test_people_are_unique_fictitious_and_some_come_and_go(demo):
    engine, report = demo
    officers = _officers(engine)
    roles = Counter(o.role for o in officers)
    assert 280 <= len(officers) <= 340
    assert 10 <= roles[Role.SPECIAL] <= 15 and roles[Role.STAFF] >= 4
    assert all(o.beat_id for o in officers if o.role in (Role.PC, Role.PCSO, Role.SPECIAL))
    assert len({o.collar_number for o in officers}) == len(officers)
    assert len({o.name for o in officers}) == len(officers)
    assert len({o.email for o in officers}) == len(officers)
    assert len({o.phone for o in officers}) == len(officers)
    for o in officers:
        assert o.email.endswith("@northants.police.uk.example")
        assert o.phone.startswith(("07700 900", "01632 960")) and len(o.phone) == 12
        if o.role is Role.PC:
            assert o.collar_number.isdigit() and len(o.collar_number) == 4
        if o.role is Role.PCSO:
            assert o.collar_number.startswith("PCSO")
        if o.role is Role.SPECIAL:
            assert o.collar_number.startswith("SC")
    joined = [o for o in officers if report.period_start < o.start_date <= report.period_end]
    left = [o for o in officers if o.end_date is not None]
    assert joined and left
    assert all(report.period_start <= o.end_date <= report.period_end for o in left)


# --- duties ------------------------------------------------------------------------------------------


def test_duties_are_plausible_and_within_service(demo):
    """Worked duties (before today) and planned ones (today to the end of the planned rota) alike."""
    engine, report = demo
    officers = {o.id: o for o in _officers(engine)}
    with session_scope(engine) as session:
        duties = list(session.exec(select(DutyRecord).order_by(DutyRecord.officer_id, DutyRecord.start)))
    assert duties
    previous: dict[int, DutyRecord] = {}
    for d in duties:
        officer = officers[d.officer_id]
        assert d.start.tzinfo is not None and d.end.tzinfo is not None
        assert d.start.utcoffset() == timedelta(0)
        assert d.duty_date == d.start.astimezone(LONDON).date()
        assert report.period_start <= d.duty_date <= report.planned_until
        assert officer.active_on(d.duty_date)
        hours = (d.end - d.start).total_seconds() / 3600
        assert 8 <= hours <= 12
        if officer.role is Role.STAFF or d.duty_date > report.period_end:
            assert d.minutes_outside is None
        else:
            assert 0 <= d.minutes_outside <= hours * 60
        before = previous.get(d.officer_id)
        assert before is None or d.start - before.end >= timedelta(hours=11)
        previous[d.officer_id] = d


def test_full_timers_work_four_or_five_duties_a_week(demo):
    engine, report = demo
    weeks = ((report.period_end - report.period_start).days + 1) / 7
    per_officer = dict(
        _sql(
            engine,
            "SELECT o.id, count(d.id) FROM officer o JOIN duty_record d ON d.officer_id = o.id "
            "WHERE o.role IN ('PC', 'PCSO') AND o.start_date <= :first AND o.end_date IS NULL "
            "AND d.duty_date <= :last GROUP BY o.id",
            first=report.period_start, last=report.period_end,
        )
    )
    rates = sorted(n / weeks for n in per_officer.values())
    assert 3.8 <= statistics.median(rates) <= 5.0
    assert rates[0] < 3.2, "some part-timers (or long leave) expected"


# --- activity ----------------------------------------------------------------------------------------


def _count(engine, query: str, **params) -> int:
    return _sql(engine, query, **params)[0][0]


def test_activity_follows_the_blueprint_roles(demo):
    engine, _ = demo
    by_role = Counter(
        {(r, k): n for r, k, n in _sql(engine, "SELECT o.role, a.kind, count(*) FROM activity_entry a "
                                                "JOIN officer o ON o.id = a.officer_id GROUP BY o.role, a.kind")}
    )
    for kind in ("arrest", "warrant", "stop_search", "incident"):
        assert by_role["PCSO", kind] == 0
    for kind in ("arrest", "stop_search", "warrant", "ppn", "incident", "intelligence"):
        assert by_role["PC", kind] > 0, kind
    for kind in ("engagement", "watch_scheme", "ppn", "intelligence", "dedicated_place"):
        assert by_role["PCSO", kind] > 0, kind
    assert by_role["PC", "engagement"] == by_role["PC", "dedicated_place"] == 0
    assert not any(n for (role, _), n in by_role.items() if role in ("Inspector", "Staff"))
    mismatched = "SELECT count(*) FROM activity_entry WHERE (kind = 'intelligence') != (intel_source IS NOT NULL)"
    assert _count(engine, mismatched) == 0
    sources = {s for (s,) in _sql(engine, "SELECT DISTINCT intel_source FROM activity_entry WHERE intel_source != ''")}
    assert sources == {"Community", "Partnership", "Police activity", "Observations"}


def test_stop_searches_about_a_quarter_positive(year):
    engine, _ = year
    searches, positive, drugs = _sql(
        engine,
        "SELECT count(*), sum(outcome_linked), sum(note LIKE '%controlled drugs') FROM activity_entry "
        "WHERE kind = 'stop_search'",
    )[0]
    assert 0.18 <= positive / searches <= 0.32
    assert 0.55 <= drugs / searches <= 0.78
    others = "SELECT count(*) FROM activity_entry WHERE kind != 'stop_search' AND outcome_linked IS NOT NULL"
    assert _count(engine, others) == 0


def test_entries_happen_during_a_duty_of_their_officer(demo):
    engine, _ = demo
    orphans = _count(
        engine,
        'SELECT count(*) FROM activity_entry a WHERE NOT EXISTS (SELECT 1 FROM duty_record d '
        'WHERE d.officer_id = a.officer_id AND d.start <= a.occurred_at AND a.occurred_at <= d."end")',
    )
    assert orphans == 0
    with session_scope(engine) as session:
        sample = session.exec(select(ActivityEntry).limit(500)).all()
    assert all(e.occurred_at.tzinfo is not None and e.created_at.tzinfo is not None for e in sample)


def test_dedicated_place_time_fits_in_the_time_outside(demo):
    engine, _ = demo
    over = _sql(
        engine,
        'SELECT d.id FROM duty_record d JOIN activity_entry a ON a.officer_id = d.officer_id '
        'AND a.occurred_at BETWEEN d.start AND d."end" WHERE a.kind = \'dedicated_place\' '
        "GROUP BY d.id HAVING sum(a.minutes) > d.minutes_outside",
    )
    assert over == []
    assert _count(engine, "SELECT count(*) FROM activity_entry WHERE kind = 'dedicated_place' AND NOT minutes > 0") == 0
    timed = "SELECT count(*) FROM activity_entry WHERE kind != 'dedicated_place' AND minutes IS NOT NULL"
    assert _count(engine, timed) == 0


def test_references_unique_per_kind_and_points_on_the_beat(demo):
    engine, _ = demo
    assert _count(engine, "SELECT count(*) - count(DISTINCT kind || reference) FROM activity_entry") == 0
    pattern = "[A-Z]*-" + "[0-9]" * 8 + "-[0-9][0-9][0-9][0-9]"
    assert _count(engine, "SELECT count(*) FROM activity_entry WHERE reference NOT GLOB :p", p=pattern) == 0
    backwards = _count(
        engine,
        "SELECT count(*) FROM (SELECT reference, lag(reference) OVER (PARTITION BY kind, "
        "substr(reference, 1, length(reference) - 5) ORDER BY occurred_at, id) AS before FROM activity_entry) "
        "WHERE reference <= before",
    )
    assert backwards == 0, "numbers run in time order within a kind and day"
    with session_scope(engine) as session:
        entries = session.exec(select(ActivityEntry.reference, ActivityEntry.occurred_at)).all()
    assert all(ref.split("-")[1] == f"{at.astimezone(LONDON):%Y%m%d}" for ref, at in entries)
    far = _count(
        engine,
        "SELECT count(*) FROM activity_entry a JOIN beat b ON b.id = a.beat_id WHERE "
        "(a.point_easting - b.centroid_easting) * (a.point_easting - b.centroid_easting) + "
        "(a.point_northing - b.centroid_northing) * (a.point_northing - b.centroid_northing) > 15000 * 15000",
    )
    assert far == 0


def test_sergeants_log_on_the_beats_they_cover(demo):
    engine, _ = demo
    beats = _beats(engine)
    code_of = {b.id: b.code for b in beats.values()}
    cover = {}
    for sector_id in {b.sector_id for b in beats.values()}:
        for group in sergeant_groups([b.code for b in beats.values() if b.sector_id == sector_id]):
            cover[group[0]] = set(group)
    rows = _sql(
        engine,
        "SELECT o.beat_id, a.beat_id FROM activity_entry a JOIN officer o ON o.id = a.officer_id "
        "WHERE o.role = 'Sergeant'",
    )
    assert rows
    assert all(code_of[at] in cover[code_of[lead]] for lead, at in rows)
    others = _count(
        engine,
        "SELECT count(*) FROM activity_entry a JOIN officer o ON o.id = a.officer_id "
        "WHERE o.role != 'Sergeant' AND o.beat_id != a.beat_id",
    )
    assert others == 0


# --- a year: rates, time outside, seasons ------------------------------------------------------------


def _outside_by_beat(engine) -> dict[str, float]:
    rows = _sql(
        engine,
        "SELECT b.code, sum(d.minutes_outside), sum((julianday(d.\"end\") - julianday(d.start)) * 1440) "
        "FROM duty_record d JOIN officer o ON o.id = d.officer_id JOIN beat b ON b.id = o.beat_id "
        "WHERE o.role IN ('PC', 'PCSO') AND d.minutes_outside IS NOT NULL GROUP BY b.code",
    )
    return {code: outside / total for code, outside, total in rows}


def test_year_volumes(year):
    engine, report = year
    assert (report.period_start, report.period_end) == (date(2023, 5, 12), date(2024, 5, 11))
    assert 50_000 <= report.duties <= 90_000
    assert 120_000 <= report.entries <= 320_000
    # Typical teams are well below the busy Priority Area Team (152 arrests in about 5.5 months).
    arrests = dict(_sql(engine, "SELECT b.code, count(*) * 5.5 / 12 FROM activity_entry a JOIN beat b "
                                "ON b.id = a.beat_id WHERE a.kind = 'arrest' GROUP BY b.code"))
    assert 80 <= arrests["NT01"] <= 220
    assert statistics.median(arrests.values()) < 0.6 * arrests["NT01"]
    monthly_searches = _count(engine, "SELECT count(*) FROM activity_entry WHERE kind = 'stop_search'") / 12
    assert 40 <= monthly_searches <= 200, "neighbourhood share of the force's 262–345 a month"


def test_time_outside_varies_by_team_around_the_target(year):
    engine, _ = year
    by_beat = _outside_by_beat(engine)
    assert len(by_beat) == 36
    assert sum(share < 0.57 for share in by_beat.values()) >= 5
    assert sum(share > 0.62 for share in by_beat.values()) >= 5
    outside, total = _sql(
        engine,
        'SELECT sum(minutes_outside), sum((julianday("end") - julianday(start)) * 1440) '
        "FROM duty_record WHERE minutes_outside IS NOT NULL",
    )[0]
    assert 0.55 <= outside / total <= 0.62


def test_rates_differ_between_town_centre_and_rural_beats(year):
    engine, _ = year
    rows = _sql(
        engine,
        "SELECT b.code, a.kind, count(*) FROM activity_entry a JOIN beat b ON b.id = a.beat_id "
        "GROUP BY b.code, a.kind",
    )
    hours = dict(
        _sql(
            engine,
            "SELECT b.code, sum((julianday(d.\"end\") - julianday(d.start)) * 24) FROM duty_record d "
            "JOIN officer o ON o.id = d.officer_id JOIN beat b ON b.id = o.beat_id "
            "WHERE o.role = 'PC' AND d.duty_date < :today GROUP BY b.code",
            today=TODAY,
        )
    )
    per_hour = defaultdict(dict)
    for code, kind, n in rows:
        per_hour[kind][code] = n / hours[code]
    arrests = per_hour["arrest"]
    for rural in ("EN01", "EN02", "DV03", "SN03"):
        assert arrests["NT01"] > 2 * arrests[rural]
    assert max(arrests.values()) > 3 * min(arrests.values())


def test_seasons_show(year):
    engine, _ = year
    rows = _sql(
        engine,
        "SELECT CAST(strftime('%m', a.occurred_at) AS INTEGER), count(*) FROM activity_entry a "
        "WHERE a.kind = 'engagement' GROUP BY 1",
    )
    hours = dict(
        _sql(
            engine,
            "SELECT CAST(strftime('%m', d.start) AS INTEGER), sum((julianday(d.\"end\") - julianday(d.start)) * 24) "
            "FROM duty_record d JOIN officer o ON o.id = d.officer_id WHERE o.role = 'PCSO' AND d.duty_date < :today "
            "GROUP BY 1",
            today=TODAY,
        )
    )
    rate = {month: n / hours[month] for month, n in rows}
    summer = sum(rate[m] for m in (6, 7, 8)) / 3
    winter = sum(rate[m] for m in (12, 1, 2)) / 3
    assert summer > 1.25 * winter
    burglary = dict(
        _sql(
            engine,
            "SELECT CAST(strftime('%m', occurred_at) AS INTEGER) IN (1, 2, 10, 11, 12), count(*) "
            "FROM activity_entry WHERE note = 'Burglary report' GROUP BY 1",
        )
    )
    assert burglary[1] > 50 * burglary.get(0, 0), "burglary reports belong to the dark nights"


# --- refusals, replace, cancel, permission ------------------------------------------------------------


def test_refuses_over_real_officers_and_changes_nothing(engine):
    with session_scope(engine) as session:
        beat = session.exec(select(Beat)).first()
        session.add(Officer(collar_number="1234", name="Real Officer", role=Role.PC, beat_id=beat.id,
                            start_date=date(2020, 1, 1)))
    before = _snapshot(engine)
    for replace in (False, True):
        with pytest.raises(ServiceError, match="not a demo"):
            generate_demo(engine, ADMIN, months=1, today=TODAY, replace=replace)
    assert _snapshot(engine) == before
    assert demo_label(engine) is None


def test_second_run_needs_replace_and_replace_starts_afresh(engine, tmp_path_factory):
    generate_demo(engine, ADMIN, seed=1, months=1, today=TODAY)
    before = _snapshot(engine)
    with pytest.raises(ServiceError, match="already"):
        generate_demo(engine, ADMIN, seed=2, months=1, today=TODAY)
    assert _snapshot(engine) == before

    report = generate_demo(engine, ADMIN, seed=2, months=1, today=TODAY, replace=True)
    fresh, fresh_report = _generate(tmp_path_factory, "fresh2", seed=2, months=1)
    try:
        assert report == fresh_report
        assert _sql(engine, "SELECT collar_number, name FROM officer ORDER BY id") == _sql(
            fresh, "SELECT collar_number, name FROM officer ORDER BY id"
        )
        assert _count(engine, "SELECT count(*) FROM activity_entry") == report.entries
    finally:
        fresh.dispose()
    assert demo_label(engine) == "Demo force (seed 2) — fictitious people and activity"
    audits = _sql(engine, "SELECT detail FROM audit_entry WHERE action = 'generate_demo' ORDER BY id")
    assert [json.loads(d)["replaced"] for (d,) in audits] == [False, True]


def test_cancel_rolls_everything_back(engine):
    seen = []

    def progress(done, total, message):
        seen.append(done)

    with pytest.raises(DemoCancelled):
        generate_demo(
            engine, ADMIN, months=1, today=TODAY, progress=progress,
            cancelled=lambda: bool(seen) and seen[-1] > 600,
        )
    assert seen[-1] > 600  # it was well into writing activity
    for table in ("officer", "duty_record", "activity_entry", "task", "task_template"):
        assert _count(engine, f"SELECT count(*) FROM {table}") == 0, table
    assert _count(engine, "SELECT count(*) FROM audit_entry WHERE action = 'generate_demo'") == 0
    assert demo_label(engine) is None


def test_cancel_during_replace_keeps_the_old_demo(engine):
    generate_demo(engine, ADMIN, seed=3, months=1, today=TODAY)
    before = _snapshot(engine)
    with pytest.raises(DemoCancelled):
        generate_demo(engine, ADMIN, seed=4, months=1, today=TODAY, replace=True, cancelled=lambda: True)
    assert _snapshot(engine) == before


def test_only_an_administrator_may_generate(engine):
    before = _snapshot(engine)
    with pytest.raises(PermissionDenied):
        generate_demo(engine, Actor(label="x", role="PC"), months=1, today=TODAY)
    assert _snapshot(engine) == before


@pytest.mark.parametrize("months", [0, -1, 37])
def test_months_out_of_range_refused(engine, months):
    with pytest.raises(ValidationError):
        generate_demo(engine, ADMIN, months=months, today=TODAY)


def test_default_today_ends_yesterday_and_plans_two_weeks(engine):
    report = generate_demo(engine, ADMIN, months=1)
    today = datetime.now(UTC).date()
    assert report.period_end == today - timedelta(days=1)
    assert report.planned_until == today + timedelta(days=13)
    worked = "SELECT count(*) FROM duty_record WHERE duty_date > :end AND minutes_outside IS NOT NULL"
    assert _count(engine, worked, end=report.period_end) == 0
    assert _count(engine, "SELECT count(*) FROM duty_record WHERE duty_date > :last", last=report.planned_until) == 0
    assert _count(engine, "SELECT count(*) FROM task WHERE duty_date = :today", today=today) == report.tasks > 0


@pytest.mark.realdata
def test_points_fall_inside_beat_outlines_when_wards_are_loaded(engine, wards_20m):
    import shapely

    from beatdesk.services.wards import import_wards

    import_wards(engine, ADMIN, wards_20m)
    generate_demo(engine, ADMIN, months=1, today=TODAY)
    outlines = {beat_id: shapely.from_wkb(wkb) for beat_id, wkb in _sql(engine, "SELECT id, geometry_wkb FROM beat")}
    points = _sql(engine, "SELECT beat_id, point_easting, point_northing FROM activity_entry")
    assert points
    assert all(shapely.contains_xy(outlines[b], x, y) for b, x, y in points)
    task_points = _sql(engine, "SELECT beat_id, point_easting, point_northing FROM task WHERE point_easting > 0")
    assert task_points
    assert all(shapely.contains_xy(outlines[b], x, y) for b, x, y in task_points)


def test_every_beat_is_directed_by_one_sergeant_of_its_sector(demo):
    from beatdesk.models import BeatSergeant

    engine, _ = demo
    officers = {o.id: o for o in _officers(engine)}
    beats = _beats(engine)
    with session_scope(engine) as session:
        links = list(session.exec(select(BeatSergeant)))
    assert sorted(link.beat_id for link in links) == sorted(beats)  # each beat exactly once
    by_sergeant: dict[int, list[int]] = {}
    for link in links:
        by_sergeant.setdefault(link.officer_id, []).append(link.beat_id)
    for officer_id, beat_ids in by_sergeant.items():
        sergeant = officers[officer_id]
        assert sergeant.role is Role.SERGEANT
        assert 2 <= len(beat_ids) <= 3
        assert sergeant.beat_id in beat_ids
        assert len({beats[b].sector_id for b in beat_ids}) == 1


def test_nothing_is_logged_on_or_after_the_day_it_is_generated(demo):
    """History ends yesterday: night shifts that would run into today are left out, never cut short.
    From today duties are only planned: no time outside, no activity."""
    engine, report = demo
    midnight = datetime.combine(TODAY, datetime.min.time(), tzinfo=ZoneInfo("Europe/London"))
    with session_scope(engine) as session:
        duties = session.exec(select(DutyRecord)).all()
        latest_entry = session.exec(select(ActivityEntry.occurred_at).order_by(ActivityEntry.occurred_at.desc())).first()
    worked = [d for d in duties if d.minutes_outside is not None]
    planned = [d for d in duties if d.duty_date >= TODAY]
    assert worked and max(d.end for d in worked) <= midnight
    assert all(d.duty_date < TODAY for d in worked)
    assert latest_entry <= midnight
    assert [d for d in duties if d.duty_date == TODAY - timedelta(days=1)]  # yesterday's day shifts are there
    assert planned and all(d.minutes_outside is None for d in planned)
    assert min(d.start for d in planned) >= midnight
    assert {d.duty_date for d in planned} == {TODAY + timedelta(days=i) for i in range(14)}
    assert max(d.duty_date for d in planned) == report.planned_until
    in_planned = _count(
        engine,
        'SELECT count(*) FROM activity_entry a JOIN duty_record d ON d.officer_id = a.officer_id '
        'AND a.occurred_at BETWEEN d.start AND d."end" WHERE d.duty_date >= :today',
        today=TODAY,
    )
    assert in_planned == 0
    # the duties without time outside before today are only the staff's, who work inside
    staff = {o.id for o in _officers(engine) if o.role is Role.STAFF}
    assert all(d.officer_id in staff for d in duties if d.duty_date < TODAY and d.minutes_outside is None)


def test_planned_rota_follows_the_same_pattern(demo):
    """Full-timers keep working four or five duties a week, and shift times stay the rostered ones."""
    engine, _ = demo
    rows = _sql(
        engine,
        "SELECT o.role, count(d.id) FROM officer o JOIN duty_record d ON d.officer_id = o.id "
        "WHERE d.duty_date >= :today AND o.role IN ('PC', 'PCSO') GROUP BY o.id",
        today=TODAY,
    )
    assert statistics.median(n / 2 for _, n in rows) >= 3.8
    starts = Counter(
        datetime.fromisoformat(start).replace(tzinfo=UTC).astimezone(LONDON).strftime("%H:%M")
        for (start,) in _sql(engine, "SELECT start FROM duty_record WHERE duty_date >= :today", today=TODAY)
    )
    assert {"07:00", "14:00"} <= set(starts)
    hours = _sql(
        engine,
        'SELECT DISTINCT round((julianday("end") - julianday(start)) * 24, 2) FROM duty_record '
        "WHERE duty_date >= :today",
        today=TODAY,
    )
    assert {h for (h,) in hours} <= {8.0, 9.0, 10.0}, "planned duties have no overtime yet"


def test_demo_daily_totals_equal_a_recount(demo):
    from sqlmodel import Session

    from beatdesk.services.activity import recount_totals, stored_totals

    engine, report = demo
    with Session(engine) as session:
        totals = stored_totals(session)
        assert totals and totals == recount_totals(session)
    assert sum(n for _, _, n in totals.values()) == report.entries


def test_each_duty_keeps_the_beat_its_officer_worked(demo):
    engine, _ = demo
    with Session(engine) as session:
        pairs = session.execute(select(DutyRecord.beat_id, Officer.beat_id).join(Officer, Officer.id == DutyRecord.officer_id)).all()
    assert pairs and all(duty == posted for duty, posted in pairs)
    assert any(duty is not None for duty, _ in pairs) and any(duty is None for duty, _ in pairs)  # sector postings
