"""Shared fixtures: a migrated database with the beat plan, the acting administrator, the real data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("BEATDESK_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public data files beside the project (never copied into it)."""
    if not (SHARED_DATA / "wards_2021_bgc_northants.geojson").is_file():
        pytest.fail(f"real data not found in {SHARED_DATA}; set BEATDESK_SHARED_DATA", pytrace=False)
    return SHARED_DATA


@pytest.fixture(scope="session")
def wards_20m(shared_data) -> Path:
    return shared_data / "wards_2021_bgc_northants.geojson"


@pytest.fixture(scope="session")
def wards_200m(shared_data) -> Path:
    return shared_data / "wards_2021_bsc_northants.geojson"


# The storage and service tests run against both backends; the widget and command-line tests against
# the embedded default only. A test that is about SQLite itself says so with @pytest.mark.sqlite_only.
BOTH_BACKENDS = ("db", "models", "services")
BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    if not {"db_url", "engine"} & set(metafunc.fixturenames):
        return
    folder = Path(metafunc.definition.path).relative_to(REPO / "tests").parts[0]
    if folder in BOTH_BACKENDS and not metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server (see tests/pg_server.py), started on first use."""
    from pg_server import find_binaries, server_from_environment

    if not os.environ.get("BEATDESK_TEST_POSTGRES_URL") and find_binaries() is None and not os.environ.get("CI"):
        pytest.skip("PostgreSQL is not installed here (apt-get install postgresql); CI always runs these")
    try:
        server = server_from_environment()
    except Exception as exc:  # noqa: BLE001 (report why, whatever it was)
        pytest.fail(f"cannot start the PostgreSQL test server: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def db_url(backend, tmp_path, request):
    """An empty database: an SQLite file, or a new PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'beatdesk.sqlite'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = server.empty_database()
    yield server.url_of(name)
    server.drop(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A database migrated and given the beat plan once; each test's ``engine`` starts from a copy."""
    from beatdesk.services.bootstrap import prepare

    path = tmp_path_factory.mktemp("template") / "beatdesk.sqlite"
    prepare(f"sqlite:///{path}").dispose()  # closing the last connection folds the WAL into the file
    return path


@pytest.fixture
def engine(backend, tmp_path, request):
    """A fresh database at the newest schema with the beat plan installed."""
    from beatdesk.services.bootstrap import prepare

    if backend == "sqlite":
        path = tmp_path / "beatdesk.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        engine = prepare(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        return
    server = request.getfixturevalue("postgres_server")
    name = server.prepared_database()
    engine = prepare(server.url_of(name))
    yield engine
    engine.dispose()
    server.drop(name)


@pytest.fixture
def admin():
    from beatdesk.services.actor import Actor

    return Actor.administrator("test-admin")


@pytest.fixture
def supervisors(engine):
    """A sergeant who directs beat 1 and an inspector of beat 1's sector, as signed-in actors
    (sergeant, inspector); see beatdesk.services.scope for what each may reach."""
    from datetime import date

    from beatdesk.database import session_scope
    from beatdesk.models import Beat, BeatSergeant, Officer, Role
    from beatdesk.services.actor import Actor

    with session_scope(engine) as session:
        sector = session.get(Beat, 1).sector_id
        sergeant = Officer(collar_number="S900", name="Sgt Supervisor", role=Role.SERGEANT, sector_id=sector,
                           start_date=date(2015, 1, 1))
        inspector = Officer(collar_number="I900", name="Insp Supervisor", role=Role.INSPECTOR, sector_id=sector,
                            start_date=date(2015, 1, 1))
        session.add_all([sergeant, inspector])
        session.flush()
        session.add(BeatSergeant(beat_id=1, officer_id=sergeant.id))
        return (Actor("S900", Role.SERGEANT.value, sergeant.id), Actor("I900", Role.INSPECTOR.value, inspector.id))
