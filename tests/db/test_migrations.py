"""Schema upgrades never lose data, and the models match the newest migration."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import beatdesk.models
from beatdesk.database import alembic_config, current_revision, head_revision, make_engine, open_database, upgrade
from beatdesk.services.bootstrap import prepare

beatdesk.models.load_all()  # SQLModel.metadata holds every table

FIRST = "0001"

# Rows written at the first revision with plain SQL (the models describe the newest schema).
ROWS_AT_FIRST = {
    "lpa": [{"id": 1, "code": "N", "name": "North"}],
    "sector": [{"id": 1, "code": "CB", "name": "Corby", "lpa_id": 1}],
    "beat": [
        {
            "id": 1, "code": "CB01", "name": "Corby Rural", "sector_id": 1,
            "centroid_easting": 488891.0, "centroid_northing": 290236.0,
            "geometry_wkb": b"\x01\x02", "display_wkb": None,
        }
    ],
    "ward": [
        {
            "id": 1, "code": "E05013216", "name": "Corby Rural", "council_code": "E06000061",
            "council_name": "North Northamptonshire", "beat_id": 1, "area_km2": 63.9,
            "geometry_wkb": None, "display_wkb": None,
        }
    ],
    "officer": [
        {
            "id": 1, "collar_number": "1234", "name": "Asha Patel", "role": "PC", "beat_id": 1,
            "sector_id": None, "phone": "01632 960001", "email": "a@example.org",
            "start_date": "2021-04-01", "end_date": None,
        }
    ],
    "meta": [{"key": "demo_seed", "value": "7"}],
}


def _insert(engine, rows_by_table):
    with engine.begin() as conn:
        for table, rows in rows_by_table.items():
            for row in rows:
                cols = ", ".join(f'"{c}"' for c in row)
                conn.execute(text(f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join(":" + c for c in row)})'), row)


def _dump(engine, table):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1'))]


def test_rows_written_at_first_revision_survive_upgrade_to_head(db_url):
    engine = make_engine(db_url)
    upgrade(engine, FIRST)
    assert current_revision(engine) == FIRST
    assert not inspect(engine).has_table("activity_entry")
    _insert(engine, ROWS_AT_FIRST)
    before = {table: _dump(engine, table) for table in ROWS_AT_FIRST}

    assert upgrade(engine) is True
    assert current_revision(engine) == head_revision()
    for table, rows in before.items():
        after = _dump(engine, table)
        assert len(after) == len(rows) == len(ROWS_AT_FIRST[table])
        for old, new in zip(rows, after, strict=True):
            for column, value in old.items():
                assert new[column] == value, (table, column)
    # The upgraded database is usable at head: later tables accept rows that reference old ones.
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO beat_sergeant (beat_id, officer_id) VALUES (1, 1)"))
        conn.execute(
            text('INSERT INTO duty_record (officer_id, duty_date, start, "end") VALUES (1, :d, :s, :e)'),
            {"d": "2024-01-02", "s": "2024-01-02 07:00:00", "e": "2024-01-02 15:00:00"},
        )


def test_opening_an_old_database_upgrades_it(db_url):
    engine = make_engine(db_url)
    upgrade(engine, FIRST)
    engine.dispose()
    engine = open_database(db_url)
    assert current_revision(engine) == head_revision()
    assert inspect(engine).has_table("audit_entry")


def test_upgrade_at_head_is_a_no_op(engine):
    assert upgrade(engine) is False


def test_models_match_the_newest_migration(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_head_read_from_file_names_is_alembic_head(engine):
    script = ScriptDirectory.from_config(alembic_config(engine))
    assert script.get_current_head() == head_revision()
    # A single line of history: every revision numbered after the one it revises.
    for rev in script.walk_revisions():
        if rev.down_revision:
            assert int(rev.revision) == int(rev.down_revision) + 1


def test_downgrade_to_base_and_back(engine):
    from alembic import command

    command.downgrade(alembic_config(engine), "base")
    assert current_revision(engine) is None
    assert upgrade(engine) is True
    assert current_revision(engine) == head_revision()


def test_prepare_twice_installs_the_plan_once(db_url):
    prepare(db_url).dispose()
    engine = prepare(db_url)
    assert len(_dump(engine, "beat")) == 36
    assert len(_dump(engine, "ward")) == 57
    assert len([a for a in _dump(engine, "audit_entry") if a["action"] == "install_beat_plan"]) == 1


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode_with_foreign_keys(engine):
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_audit_timestamps_are_aware_utc(engine):
    from sqlmodel import Session, select

    from beatdesk.models import AuditEntry

    with Session(engine) as session:
        entry = session.exec(select(AuditEntry)).first()
    assert entry.at.tzinfo is not None and entry.at.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - entry.at).total_seconds()) < 120


def test_migrations_leave_foreign_keys_enforced(db_url):
    engine = make_engine(db_url)
    upgrade(engine, FIRST)
    upgrade(engine)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    with pytest.raises(IntegrityError), engine.begin() as conn:  # a ward on a beat that does not exist
        conn.execute(text(
            "INSERT INTO ward (code, name, council_code, council_name, beat_id) VALUES ('E05000001', 'X', 'E06000061', 'Y', 999)"
        ))


def test_a_failing_migration_changes_nothing(db_url, monkeypatch):
    """A revision that fails part-way leaves the rows and the recorded revision as they were."""
    from alembic.operations import Operations

    engine = make_engine(db_url)
    upgrade(engine, FIRST)
    _insert(engine, ROWS_AT_FIRST)
    before = {table: _dump(engine, table) for table in ROWS_AT_FIRST}
    real_create_table = Operations.create_table
    calls = []

    def create_then_fail(self, name, *columns, **kw):
        calls.append(name)
        if len(calls) == 2:
            raise RuntimeError("disk full (simulated)")
        return real_create_table(self, name, *columns, **kw)

    monkeypatch.setattr(Operations, "create_table", create_then_fail)
    import pytest

    with pytest.raises(RuntimeError, match="simulated"):
        upgrade(engine)
    assert current_revision(engine) == FIRST
    assert not inspect(engine).has_table(calls[0])  # the table made before the failure is gone too
    assert {table: _dump(engine, table) for table in ROWS_AT_FIRST} == before


# Rows written at 0003, before entries had versions, soft delete and daily totals.
ROWS_AT_0003 = ROWS_AT_FIRST | {
    "duty_record": [
        {"id": 1, "officer_id": 1, "duty_date": "2024-07-01", "start": "2024-07-01 15:00:00.000000",
         "end": "2024-07-01 23:59:00.000000", "minutes_outside": 300},
    ],
    "activity_entry": [
        {"id": i, "kind": kind, "count": count, "minutes": minutes, "officer_id": 1, "beat_id": 1,
         "occurred_at": at, "reference": f"R-{i}", "note": "", "point_easting": None, "point_northing": None,
         "intel_source": None, "outcome_linked": None, "created_at": "2024-07-02 00:00:00.000000"}
        for i, kind, count, minutes, at in [
            (1, "arrest", 1, None, "2024-07-01 16:00:00.000000"),
            (2, "arrest", 2, None, "2024-07-01 23:30:00.000000"),  # 00:30 BST: the London day is 2 July
            (3, "incident", 1, None, "2024-07-01 17:00:00.000000"),
        ]
    ],
}


def _assert_old_columns_kept(engine, before: dict[str, list[dict]]) -> None:
    """Every row dumped before an upgrade is still there with the same values (new columns aside)."""
    for table, rows in before.items():
        after = _dump(engine, table)
        assert [{k: row[k] for k in old} for row, old in zip(after, rows, strict=True)] == rows, table


def test_rows_written_at_0003_survive_and_are_totalled(db_url):
    from sqlmodel import Session

    from beatdesk.services.activity import recount_totals, stored_totals

    engine = make_engine(db_url)
    upgrade(engine, "0003")
    _insert(engine, ROWS_AT_0003)
    before = {table: _dump(engine, table) for table in ROWS_AT_0003}
    upgrade(engine)
    _assert_old_columns_kept(engine, before)
    entries = _dump(engine, "activity_entry")
    assert {(e["version"], e["deleted_at"], e["duty_id"]) for e in entries} == {(1, None, None)}
    with Session(engine) as session:
        totals = stored_totals(session)
        assert totals == recount_totals(session)
    assert {(key[2].isoformat(), key[3].value): value for key, value in totals.items()} == {
        ("2024-07-01", "arrest"): (1, 0, 1), ("2024-07-02", "arrest"): (2, 0, 1), ("2024-07-01", "incident"): (1, 0, 1),
    }


def test_rows_written_at_0004_survive_and_places_can_be_added(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0004")
    assert not inspect(engine).has_table("place")
    _insert(engine, ROWS_AT_FIRST)
    before = {table: _dump(engine, table) for table in ROWS_AT_FIRST}
    upgrade(engine)
    assert {table: _dump(engine, table) for table in ROWS_AT_FIRST} == before
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO place (beat_id, name, kind, geometry_wkb, note, active, created_at) "
            "VALUES (1, 'Market Square', 'hotspot', :g, '', TRUE, '2024-01-02 00:00:00')"
        ), {"g": b"\x01"})
    assert [(p["name"], p["peak_days"], p["version"]) for p in _dump(engine, "place")] == [("Market Square", 0, 1)]


def test_rows_written_at_0005_survive_and_tasks_can_be_added(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0005")
    assert not inspect(engine).has_table("task")
    _insert(engine, ROWS_AT_FIRST)
    before = {table: _dump(engine, table) for table in ROWS_AT_FIRST}
    upgrade(engine)
    assert {table: _dump(engine, table) for table in ROWS_AT_FIRST} == before
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO task (type, beat_id, duty_date, window_start, window_end, threat, harm, risk, vulnerability, "
            "priority, instruction, local_priority, officer_id, status, outcome, created_by, created_at) VALUES "
            "('warrant', 1, '2024-07-01', '2024-07-01 06:00:00', '2024-07-01 08:00:00', 3, 4, 3, 2, 2, "
            "'Execute the warrant', '', 1, 'open', '', 'admin', '2024-07-01 00:00:00')"
        ))
    assert [(t["instruction"], t["version"], t["carried_from_task_id"]) for t in _dump(engine, "task")] == [
        ("Execute the warrant", 1, None)
    ]


def test_rows_written_at_0006_survive_and_link_to_no_task(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0006")
    _insert(engine, ROWS_AT_0003)
    before = {table: _dump(engine, table) for table in ROWS_AT_0003}
    upgrade(engine)
    _assert_old_columns_kept(engine, before)
    assert {e["task_id"] for e in _dump(engine, "activity_entry")} == {None}
    from alembic import command

    command.downgrade(alembic_config(engine), "0006")  # the named foreign key lets the column go
    assert "task_id" not in {c["name"] for c in inspect(engine).get_columns("activity_entry")}
    assert len(_dump(engine, "activity_entry")) == len(ROWS_AT_0003["activity_entry"])


def test_audit_rows_written_at_0008_are_chained_and_then_guarded(db_url):
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import Session

    from beatdesk.services.audit import verify

    engine = make_engine(db_url)
    upgrade(engine, "0008")
    with engine.begin() as conn:
        for i, action in enumerate(("install_beat_plan", "import_wards", "log_activity"), start=1):
            conn.execute(text(
                "INSERT INTO audit_entry (at, actor, action, entity, entity_id, detail) "
                "VALUES (:at, 'admin', :action, 'x', :id, '{}')"
            ), {"at": f"2024-07-0{i} 10:00:00", "action": action, "id": str(i)})
    upgrade(engine)
    entries = _dump(engine, "audit_entry")
    assert [(e["seq"], e["action"]) for e in entries] == [(1, "install_beat_plan"), (2, "import_wards"), (3, "log_activity")]
    with Session(engine) as session:
        report = verify(session)
    assert report.intact and report.entries == 3 and report.last_hash == entries[-1]["hash"]
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry"))
    from alembic import command

    command.downgrade(alembic_config(engine), "0008")  # the guard goes with the chain
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE entity_id = '3'"))
    assert len(_dump(engine, "audit_entry")) == 2
def test_rows_written_at_0007_survive_and_duties_take_the_officers_beat(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0007")
    assert not inspect(engine).has_table("target")
    rows = ROWS_AT_0003 | {
        "sector": ROWS_AT_FIRST["sector"] + [{"id": 2, "code": "KT", "name": "Kettering", "lpa_id": 1}],
        "officer": ROWS_AT_FIRST["officer"] + [
            {"id": 2, "collar_number": "S100", "name": "Sgt Lee", "role": "Sergeant", "beat_id": None,
             "sector_id": 2, "phone": "", "email": "", "start_date": "2021-04-01", "end_date": None},
        ],
        "duty_record": ROWS_AT_0003["duty_record"] + [
            {"id": 2, "officer_id": 2, "duty_date": "2024-07-01", "start": "2024-07-01 07:00:00.000000",
             "end": "2024-07-01 15:00:00.000000", "minutes_outside": None},
        ],
    }
    _insert(engine, rows)
    before = {table: _dump(engine, table) for table in rows}
    upgrade(engine)
    _assert_old_columns_kept(engine, before)
    assert [(d["id"], d["beat_id"]) for d in _dump(engine, "duty_record")] == [(1, 1), (2, None)]
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO target (role, criterion, value, effective_from, set_by, set_at, note) "
            "VALUES ('PC', 'arrests', 12.5, '2024-04-01', 'insp', '2024-03-20 09:00:00', '')"
        ))
    assert [(t["role"], t["criterion"], t["value"]) for t in _dump(engine, "target")] == [("PC", "arrests", 12.5)]
    from alembic import command

    command.downgrade(alembic_config(engine), "0007")
    assert not inspect(engine).has_table("target")
    assert "beat_id" not in {c["name"] for c in inspect(engine).get_columns("duty_record")}
    assert len(_dump(engine, "duty_record")) == 2
