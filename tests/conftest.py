"""Shared fixtures: a migrated database with the beat plan, the acting administrator, the real data."""

from __future__ import annotations

import os
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


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'beatdesk.sqlite'}"


@pytest.fixture
def engine(db_url):
    """A fresh database at the newest schema with the 36-beat plan installed."""
    from beatdesk.services.bootstrap import prepare

    engine = prepare(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def admin():
    from beatdesk.services.actor import Actor

    return Actor.administrator("test-admin")
