"""The sector and LPA performance report's read model: headline, trend, criteria and league tables are
the scoring service's own figures for the same period; bad areas and levels are refused; a period
without duty hours has no score."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from beatdesk.models import Beat, Lpa, Sector
from beatdesk.services.demo import generate_demo
from beatdesk.services.errors import ValidationError
from beatdesk.services.reports.area_report import build_area_report
from beatdesk.services.scoring import NO_DUTY_HOURS, Level, Period, PeriodKind, score
from beatdesk.services.scoring.tables import league, months_to

TODAY = date(2024, 5, 12)
NOW = datetime(2024, 5, 12, 12, tzinfo=UTC)
PERIOD = Period.ending(PeriodKind.DAYS_28, date(2024, 5, 11))


def _team(scored, key):
    return next((t.value for t in scored.team if t.key == key), None)


def test_sector_and_lpa_reports_show_the_scoring_services_own_figures(engine, admin):
    generate_demo(engine, admin, seed=7, months=2, today=TODAY)
    with Session(engine) as session:
        sector = session.exec(select(Sector).where(Sector.code == "NT")).one()
        lpa = session.get(Lpa, sector.lpa_id)
        beats_in_sector = set(session.scalars(select(Beat.id).where(Beat.sector_id == sector.id)))
    told = []
    for level, area, where in ((Level.SECTOR, sector, {"sector_id": sector.id}),
                               (Level.LPA, lpa, {"lpa_id": lpa.id})):
        report = build_area_report(engine, admin, level, area.id, PERIOD, NOW,
                                   progress=lambda done, total, message: told.append((done, total, message)))
        expected = score(engine, admin, level, area.id, PERIOD, now=NOW)
        assert (report.code, report.name, report.level, report.period) == (area.code, area.name, level, PERIOD)
        assert (report.score.value, report.score.rag, report.score.change) == (
            expected.value, expected.rag, expected.change)
        assert report.score.value is not None and report.score.previous_value is not None
        assert report.score.roles == expected.roles and report.score.team == expected.team
        assert list(report.beats) == league(engine, admin, Level.BEAT, PERIOD, now=NOW, **where)
        assert list(report.officers) == league(engine, admin, Level.OFFICER, PERIOD, now=NOW, **where)
        assert report.officers and all(r.subject.level is Level.OFFICER for r in report.officers)
        months = months_to(PERIOD.end)
        assert [p.period for p in report.trend.points] == months
        for point, month in list(zip(report.trend.points, months, strict=True))[-2:]:  # the months with data
            s = score(engine, admin, level, area.id, month, now=NOW)
            assert (point.score, point.rag, point.duty_hours) == (s.value, s.rag, s.duty_hours)
            assert (point.time_outside, point.tasks_on_time) == (_team(s, "time_outside"), _team(s, "tasks_on_time"))
        assert report.trend.subject == expected.subject
    sector_report = build_area_report(engine, admin, "sector", sector.id, PERIOD, NOW)
    assert {r.subject.id for r in sector_report.beats} == beats_in_sector
    assert sector_report.parent == lpa.name and sector_report.title == f"{sector.name} sector"
    assert len(told) == 24 and told[0][:2] == (0, 12)


def test_bad_areas_levels_and_times_are_refused(engine, admin):
    with Session(engine) as session:
        sector_id = session.scalar(select(Sector.id))
    for level, area_id, message in (("beat", 1, "level: a performance report is of a sector or an LPA"),
                                    ("force", 0, "level: a performance report is of a sector or an LPA"),
                                    ("sector", 999, "sector: no sector has id 999"),
                                    ("lpa", 999, "lpa: no LPA has id 999"),
                                    ("sector", "NT", "sector: no sector has id 'NT'")):
        with pytest.raises(ValidationError, match=message):
            build_area_report(engine, admin, level, area_id, PERIOD, NOW)
    with pytest.raises(ValidationError, match="now: .* no time zone"):
        build_area_report(engine, admin, "sector", sector_id, PERIOD, datetime(2024, 5, 12))


def test_a_period_without_duty_hours_has_no_score_not_zero(engine, admin):
    with Session(engine) as session:
        sector_id = session.scalar(select(Sector.id))
    report = build_area_report(engine, admin, Level.SECTOR, sector_id, PERIOD, NOW)
    assert report.score.value is None and report.score.reason == NO_DUTY_HOURS and report.score.rag is None
    assert all(p.score is None for p in report.trend.points)
    assert report.officers == () and len(report.beats) > 0
    assert all(r.score is None and r.reason == NO_DUTY_HOURS for r in report.beats)
