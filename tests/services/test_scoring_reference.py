"""Scores equal a reference computed plainly with pandas from the RAW entries and duties (never the
derived daily totals), on random forces: empty periods, officers who moved beats mid-period, duties with
no time outside, entries on beats the officer never worked, deleted entries, no duty hours at all,
a "now" inside the period, and the British Summer Time changes."""

from __future__ import annotations

import math
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert
from sqlmodel import SQLModel

import beatdesk.models as m
from beatdesk.database import make_engine, session_scope
from beatdesk.models import ActivityKind as K
from beatdesk.models import IntelSource, Role, TaskStatus
from beatdesk.services.activity import rebuild_duty_totals, rebuild_totals
from beatdesk.services.actor import Actor
from beatdesk.services.scoring import Level, Period, duties_behind, entries_behind, load_criteria, score_all

LONDON = ZoneInfo("Europe/London")
CRITERIA = load_criteria()
BEATS = {1: 1, 2: 1, 3: 2, 4: 3, 5: 3}  # beat: sector
SECTORS = {1: 1, 2: 1, 3: 2}  # sector: LPA
ROLES = [Role.PC, Role.PCSO, Role.SPECIAL, Role.SERGEANT]
# Week 3 of the window is scored; week 2 is its previous period, week 1 the baseline of week 2.
# 14 Oct 2024: British Summer Time ends on the 27th; 18 Mar 2024: it starts on the 31st.
BASES = [date(2024, 10, 14), date(2024, 3, 18)]


@st.composite
def forces(draw):
    officers = draw(st.lists(st.tuples(st.sampled_from(ROLES), st.sampled_from([1, 2, 3, 4])), max_size=7))
    n = max(len(officers), 1)
    days = st.one_of(st.integers(14, 20), st.integers(0, 20))  # the scored week is the busiest
    duties = draw(st.lists(st.tuples(
        st.integers(0, n - 1), days, st.integers(0, 23), st.integers(30, 600),
        st.one_of(st.none(), st.floats(0, 1)), st.one_of(st.none(), st.sampled_from(list(BEATS)), st.just("posting")),
    ), max_size=24))
    entries = draw(st.lists(st.tuples(
        st.integers(0, n - 1), st.sampled_from(list(K)), st.one_of(days, st.integers(-1, 21)),
        st.one_of(st.integers(0, 1439), st.sampled_from([0, 30, 59, 60, 1380, 1410, 1439])),  # midnights
        st.integers(1, 3), st.one_of(st.just("posting"), st.sampled_from([1, 2, 3])), st.booleans(),
        st.sampled_from(list(IntelSource)), st.integers(5, 120), st.booleans(),
    ), max_size=40))
    tasks = draw(st.lists(st.tuples(
        st.sampled_from(list(BEATS)), st.integers(0, 20), st.integers(1, 23), st.sampled_from(list(TaskStatus)),
        st.one_of(st.none(), st.integers(-5, 30)),
    ), max_size=8))
    targets = draw(st.lists(st.tuples(
        st.sampled_from([(r.key, c.key) for r in CRITERIA.roles for c in r.criteria]),
        st.floats(0.5, 90), st.integers(0, 21),
    ), max_size=3))
    base = draw(st.sampled_from(BASES))
    now_offset = draw(st.one_of(st.just(22 * 24 + 12), st.integers(14 * 24, 21 * 24)))  # hours after the base
    return officers, duties, entries, tasks, targets, base, now_offset


def local(base: date, day: int, minute: int) -> datetime:
    """``minute`` minutes after London midnight of ``base + day``, in UTC."""
    midnight = datetime.combine(base + timedelta(days=day), time(0), tzinfo=LONDON)
    return (midnight.astimezone(UTC) + timedelta(minutes=minute)).astimezone(UTC)


def build(engine, data) -> dict:
    officers, duties, entries, tasks, targets, base, _ = data
    rows = {
        "lpa": [{"id": i, "code": f"L{i}", "name": f"LPA {i}"} for i in set(SECTORS.values())],
        "sector": [{"id": s, "code": f"S{s}", "name": f"Sector {s}", "lpa_id": lpa} for s, lpa in SECTORS.items()],
        "beat": [{"id": b, "code": f"B{b}", "name": f"Beat {b}", "sector_id": s, "centroid_easting": 0.0,
                  "centroid_northing": 0.0} for b, s in BEATS.items()],
        "officer": [{"id": i + 1, "collar_number": f"C{i}", "name": f"Officer {i}", "role": role, "beat_id": beat,
                     "start_date": date(2020, 1, 1)} for i, (role, beat) in enumerate(officers)],
        "duty_record": [], "activity_entry": [], "task": [], "target": [],
    }
    seen = set()
    for officer, day, hour, minutes, outside, beat in duties:
        if officer >= len(officers):
            continue
        start = local(base, day, hour * 60)
        if (officer, start) in seen:
            continue
        seen.add((officer, start))
        rows["duty_record"].append({
            "officer_id": officer + 1, "duty_date": start.astimezone(LONDON).date(), "start": start,
            "end": start + timedelta(minutes=minutes), "minutes_outside": None if outside is None else int(outside * minutes),
            "beat_id": officers[officer][1] if beat == "posting" else beat,  # None: a duty from before beat_id
        })
    for officer, kind, day, minute, count, beat, linked, source, minutes, deleted in entries:
        if officer >= len(officers):
            continue
        at = local(base, day, minute)
        rows["activity_entry"].append({
            "kind": kind, "count": count, "officer_id": officer + 1,
            "beat_id": officers[officer][1] if beat == "posting" else beat, "occurred_at": at,
            "minutes": minutes if kind is K.DEDICATED_PLACE else None,
            "intel_source": source if kind is K.INTELLIGENCE else None,
            "outcome_linked": linked if kind is K.STOP_SEARCH else None,
            "deleted_at": at + timedelta(hours=1) if deleted else None, "note": "", "created_at": at,
        })
    for beat, day, end_hour, status, late in tasks:
        end = local(base, day, end_hour * 60)
        rows["task"].append({
            "type": m.TaskType.HOTSPOT_PATROL, "beat_id": beat, "duty_date": base + timedelta(days=day),
            "window_start": end - timedelta(hours=1), "window_end": end, "threat": 1, "harm": 1, "risk": 1,
            "vulnerability": 1, "priority": 4, "instruction": "Patrol", "status": status, "outcome": "",
            "created_by": "t", "created_at": end - timedelta(days=1),
            "updated_at": None if late is None else end + timedelta(hours=late),
        })
    for n, ((role, key), value, day) in enumerate(targets):
        rows["target"].append({"role": role, "criterion": key, "value": value, "effective_from": base + timedelta(days=day),
                               "set_by": "insp", "set_at": datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=n),
                               "note": ""})
    with session_scope(engine) as session:
        for table, values in rows.items():
            if values:
                session.execute(insert(SQLModel.metadata.tables[table]), values)
        rebuild_totals(session)
        rebuild_duty_totals(session)
    return rows


# ---- the reference: pandas over the raw rows -------------------------------------------------------------


def frames(rows: dict) -> dict:
    officers = pd.DataFrame(rows["officer"], columns=["id", "role", "beat_id"])
    group_of = {r.value: g.key for g in CRITERIA.roles for r in g.roles}
    officers["group"] = officers["role"].map(group_of)
    posting = dict(zip(officers["id"], officers["beat_id"]))
    group = dict(zip(officers["id"], officers["group"]))
    duties = pd.DataFrame(rows["duty_record"], columns=["officer_id", "duty_date", "start", "end", "minutes_outside",
                                                        "beat_id"])
    duties["beat"] = [b if b is not None and not pd.isna(b) else posting[o]
                      for o, b in zip(duties["officer_id"], duties["beat_id"])]
    duties["minutes"] = [int((e - s).total_seconds() // 60) for s, e in zip(duties["start"], duties["end"])]
    duties["group"] = duties["officer_id"].map(group)
    entries = pd.DataFrame(rows["activity_entry"], columns=["kind", "count", "minutes", "officer_id", "beat_id",
                                                            "occurred_at", "intel_source", "outcome_linked", "deleted_at"])
    entries = entries[entries["deleted_at"].isna()].copy()
    entries["day"] = [at.astimezone(LONDON).date() for at in entries["occurred_at"]]
    entries["group"] = entries["officer_id"].map(group)
    entries["beat"] = entries["beat_id"]
    tasks = pd.DataFrame(rows["task"], columns=["beat_id", "duty_date", "window_end", "status", "updated_at"])
    targets = pd.DataFrame(rows["target"], columns=["role", "criterion", "value", "effective_from", "set_at"])
    return {"officers": officers, "duties": duties, "entries": entries, "tasks": tasks, "targets": targets, "memo": {}}


def memo(f: dict, *key):
    """The reference's sums reused between levels and periods of one example (it is plain, not fast)."""
    cache = f["memo"]
    if key not in cache:
        cache[key] = key[0](f, *key[1:])
    return cache[key]


def subject(df: pd.DataFrame, level: Level, beat_column="beat", officer_column="officer_id") -> pd.Series:
    if level is Level.OFFICER:
        return df[officer_column]
    beats = df[beat_column]
    if level is Level.BEAT:
        return beats
    sectors = beats.map(BEATS)
    return sectors if level is Level.SECTOR else sectors.map(SECTORS) if level is Level.LPA else beats * 0


def pooled(f: dict, level: Level, period: Period, today: date) -> dict:
    """Per (subject, role): duty minutes, each criterion's amount, time outside and its minutes."""
    d = f["duties"]
    d = d[(d["duty_date"] >= period.start) & (d["duty_date"] <= min(period.end, today)) & d["group"].notna()].copy()
    d["subject"] = subject(d, level)
    members = set(d.groupby(["officer_id", "subject"])["minutes"].sum().loc[lambda s: s > 0].index)
    e = f["entries"]
    e = e[(e["day"] >= period.start) & (e["day"] <= period.end) & e["group"].notna()].copy()
    e["subject"] = subject(e, level)
    e = e[pd.Series([(o, s) in members for o, s in zip(e["officer_id"], e["subject"])], index=e.index, dtype=bool)]
    out = {}
    for role in CRITERIA.roles:
        dg, eg = d[d["group"] == role.key], e[e["group"] == role.key]
        hours = dg.groupby("subject")["minutes"].sum()
        recorded = dg[dg["minutes_outside"].notna()]
        out[(role.key, "minutes")] = hours
        out[(role.key, "outside")] = recorded.groupby("subject")["minutes_outside"].sum()
        out[(role.key, "base")] = recorded.groupby("subject")["minutes"].sum()
        out[(role.key, "members")] = dg.groupby("subject")["officer_id"].nunique()
        for c in role.criteria:
            if c.measure == "outside":
                continue
            chosen = eg[eg["kind"] == c.kind]
            for key, value in c.where:
                chosen = chosen[chosen[key] == value]
            column = "minutes" if c.measure == "minutes" else "count"
            out[(role.key, c.key)] = chosen.groupby("subject")[column].sum()
    recorded = d[d["minutes_outside"].notna()]
    out["team_outside"] = recorded.groupby("subject")["minutes_outside"].sum()
    out["team_base"] = recorded.groupby("subject")["minutes"].sum()
    return out


def rate_of(c, p: dict, s) -> float | None:
    if c.measure == "outside":
        base = p[(c.role, "base")].get(s, 0)
        return None if base == 0 else p[(c.role, "outside")].get(s, 0) / base * 100
    minutes = p[(c.role, "minutes")].get(s, 0)
    if minutes == 0:
        return None
    amount = p[(c.role, c.key)].get(s, 0)
    return amount / minutes * (6000 if c.measure == "count" else 100)


def targets_for(f: dict, period: Period, today: date) -> dict:
    t = f["targets"]
    t = t[t["effective_from"] <= period.end].sort_values(["effective_from", "set_at"])
    chosen = {(r, c): v for r, c, v in zip(t["role"], t["criterion"], t["value"])}
    result = {}
    baseline = None
    for role in CRITERIA.roles:
        for c in role.criteria:
            if (role.key, c.key) in chosen:
                result[(role.key, c.key)] = chosen[(role.key, c.key)]
            elif CRITERIA.file_target(c) is not None:
                result[(role.key, c.key)] = CRITERIA.file_target(c)
            else:
                baseline = baseline or memo(f, pooled, Level.OFFICER, period.previous(), today)
                rates = [r for s in baseline[(role.key, "minutes")].index
                         if (r := rate_of(c, baseline, s)) is not None]
                if not rates:
                    result[(role.key, c.key)] = None
                    continue
                median = float(pd.Series(rates).median())
                if median > 0:
                    result[(role.key, c.key)] = median
                    continue
                officers = [s for s in baseline[(role.key, "minutes")].index if rate_of(c, baseline, s) is not None]
                num = "outside" if c.measure == "outside" else c.key
                den = "base" if c.measure == "outside" else "minutes"
                total = sum(baseline[(role.key, num)].get(s, 0) for s in officers)
                minutes = sum(baseline[(role.key, den)].get(s, 0) for s in officers)
                force_rate = total / minutes * (6000 if c.measure == "count" else 100)
                result[(role.key, c.key)] = force_rate if force_rate > 0 else None
    return result


def reference(f: dict, level: Level, period: Period, today: date, now: datetime, subjects) -> dict:
    p = memo(f, pooled, level, period, today)
    targets = memo(f, targets_for, period, today)
    cap = CRITERIA.rag.cap
    tasks = f["tasks"]
    due = tasks[(tasks["duty_date"] >= period.start) & (tasks["duty_date"] <= period.end) & (tasks["window_end"] <= now)]
    result = {}
    for s in subjects:
        rates, role_scores, total_minutes = {}, {}, 0
        for role in CRITERIA.roles:
            minutes = p[(role.key, "minutes")].get(s, 0)
            total_minutes += minutes
            weighted = weights = 0.0
            for c in role.criteria:
                rate = rate_of(c, p, s)
                rates[(role.key, c.key)] = rate
                target = targets[(role.key, c.key)]
                if rate is not None and target:
                    weighted += min(rate / target * 100, cap) * c.weight
                    weights += c.weight
            if minutes > 0 and weights > 0:
                role_scores[role.key] = (weighted / weights, minutes)
        members = None
        if role_scores:
            members = sum(v * h for v, h in role_scores.values()) / sum(h for _, h in role_scores.values())
        value, team = members, {}
        if level is not Level.OFFICER:
            weighted = 0.0 if members is None else members * CRITERIA.members_weight
            weights = 0.0 if members is None else CRITERIA.members_weight
            for measure in CRITERIA.team:
                if measure.measure == "tasks_on_time":
                    mine = due[(subject(due, level, beat_column="beat_id") == s).astype(bool)]
                    on_time = [st_ == TaskStatus.DONE and up is not None and not pd.isna(up)
                               and up <= end + timedelta(hours=measure.grace_hours)
                               for st_, up, end in zip(mine["status"], mine["updated_at"], mine["window_end"])]
                    num, den = sum(on_time), len(mine)
                else:
                    num, den = p["team_outside"].get(s, 0), p["team_base"].get(s, 0)
                team[measure.key] = None if den == 0 else num / den * 100
                if den:
                    weighted += min(num / den * 100 / measure.target * 100, cap) * measure.weight
                    weights += measure.weight
            value = weighted / weights if weights else None
        if total_minutes == 0:
            value = None
        result[s] = {"value": value, "rates": rates, "targets": targets, "team": team,
                     "hours": total_minutes / 60}
    return result


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


MOVED = (  # one PC on beat 1, then beat 2, in the scored week
    [(Role.PC, 1)],
    [(0, 15, 8, 480, 0.5, 1), (0, 17, 8, 240, None, 2)],
    [(0, K.ARREST, 15, 600, 2, 1, False, IntelSource.COMMUNITY, 5, False),
     (0, K.ARREST, 17, 600, 1, 2, False, IntelSource.COMMUNITY, 5, False)],
    [], [], BASES[0], 22 * 24 + 12,
)
VISITOR = (  # a PC of beat 1 logs an arrest on beat 2, where only the other PC worked: not beat 2's
    [(Role.PC, 1), (Role.PC, 2), (Role.PCSO, 2)],
    [(0, 15, 8, 480, 0.5, "posting"), (1, 15, 8, 480, 0.6, "posting"), (2, 16, 8, 300, None, None),
     (0, 3, 8, 480, 0.5, "posting"), (1, 9, 8, 600, 0.5, "posting")],
    [(0, K.ARREST, 15, 600, 2, 2, False, IntelSource.COMMUNITY, 5, False),
     (1, K.ARREST, 15, 620, 1, "posting", False, IntelSource.COMMUNITY, 5, False),
     (0, K.STOP_SEARCH, 16, 30, 1, 1, True, IntelSource.COMMUNITY, 5, False),
     (0, K.STOP_SEARCH, 14, 30, 1, 1, True, IntelSource.COMMUNITY, 5, False),  # 23:30 UTC the day before (BST)
     (0, K.STOP_SEARCH, 21, 30, 1, 1, True, IntelSource.COMMUNITY, 5, False),  # after the period, London time
     (2, K.INTELLIGENCE, 16, 700, 1, "posting", False, IntelSource.COMMUNITY, 5, False),
     (0, K.ARREST, 4, 600, 1, "posting", False, IntelSource.COMMUNITY, 5, False),
     (1, K.ARREST, 10, 600, 3, "posting", False, IntelSource.COMMUNITY, 5, True)],
    [(2, 16, 12, TaskStatus.DONE, 1), (2, 16, 14, TaskStatus.DONE, 20), (1, 18, 9, TaskStatus.OPEN, None)],
    [(("PC", "warrants"), 2.5, 3)], BASES[1], 19 * 24,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@example(data=MOVED)
@example(data=VISITOR)
@example(data=([], [], [], [], [], BASES[0], 22 * 24))
@given(data=forces())
def test_scores_equal_the_reference_computed_from_raw_rows(data):
    base, now_offset = data[5], data[6]
    period = Period.custom(base + timedelta(days=14), base + timedelta(days=20))
    now = datetime.combine(base, time(0), tzinfo=LONDON).astimezone(UTC) + timedelta(hours=now_offset)
    today = now.astimezone(LONDON).date()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'ref.sqlite'}")
        m.load_all()
        SQLModel.metadata.create_all(engine)
        try:
            f = frames(build(engine, data))
            admin = Actor.administrator()
            for level in Level:
                got = score_all(engine, admin, level, period, criteria=CRITERIA, now=now)
                want = reference(f, level, period, today, now, got.keys())
                previous = reference(f, level, period.previous(), today, now, got.keys())
                expected_ids = {
                    Level.OFFICER: {i + 1 for i, (role, _) in enumerate(data[0]) if role is not Role.SERGEANT},
                    Level.BEAT: set(BEATS), Level.SECTOR: set(SECTORS), Level.LPA: set(SECTORS.values()),
                    Level.FORCE: {0},
                }[level]
                assert set(got) == expected_ids
                for sid, s in got.items():
                    w = want[sid]
                    where = (level.value, sid)
                    assert close(s.value, w["value"]), (where, s.value, w["value"])
                    assert close(s.previous_value, previous[sid]["value"]), where
                    assert close(s.duty_hours, w["hours"]), where
                    for c in s.criteria:
                        assert close(c.rate, w["rates"][(c.role, c.key)]), (where, c.key, c.rate)
                        assert close(c.target, w["targets"][(c.role, c.key)]), (where, c.key, c.target)
                    for t in s.team:
                        assert close(t.value, w["team"][t.key]), (where, t.key)
            _entries_behind_add_up(engine, admin, period, now)
        finally:
            engine.dispose()


def _entries_behind_add_up(engine, admin, period, now):
    """Every beat criterion's amount is the sum of the entries ``entries_behind`` returns, and the team's
    time outside the sum over the duties ``duties_behind`` returns."""
    beats = score_all(engine, admin, Level.BEAT, period, criteria=CRITERIA, now=now)
    for beat, s in beats.items():
        for c in s.criteria:
            if c.unit == "per 100 duty hours" or c.key == "dedicated_place":
                rows = entries_behind(engine, admin, Level.BEAT, beat, c.role, c.key, period, criteria=CRITERIA,
                                      now=now)
                total = sum((e.minutes or 0) if c.key == "dedicated_place" else e.count for e in rows)
                assert total == c.amount, (beat, c.key)
        duties = duties_behind(engine, admin, Level.BEAT, beat, None, period, criteria=CRITERIA, now=now)
        assert sum(d.minutes_outside or 0 for d in duties) == s.team_measure("time_outside").numerator, beat
