"""BeatDesk benchmarks: each figure beside its floor measured in the same run, with the ratio.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/run.py                 # everything
    .venv/bin/python benchmarks/run.py startup --repeats 9
    .venv/bin/python benchmarks/run.py wards

startup  process start to the first painted beat map, real entry point (`run_gui`; the sign-in dialog is
         answered at once; bytecode cached on both sides as after a first start, --no-bytecode-cache for
         the shell's environment as it is), against the floor:
         a bare PySide6 window holding a QGraphicsView in a process that also imports the storage
         stack (sqlmodel, shapely). Target: within 1.3x of the floor.
wards    importing the 20 m ONS ward file (read, check, build 36 beats, write, audit) against the floor:
         reading and reprojecting the same file with geopandas alone.
logging  logging one activity entry (validation, entry, daily totals, audit; one transaction) on a database
         of one million entries, against the floor: a bare sqlite3 INSERT of one row and a commit into the
         same table of the same file. Target: under 10 ms at the 95th percentile.
scale    scoring every beat (rolling 12 months) and recolouring the map on a synthetic force of 5,000 staff,
         600 beats, 5,000,000 entries (benchmarks/scale.py; generated once, ~5 min, into $BEATDESK_SCALE_DB
         or a temporary file), against a plain SQL aggregate and bare Qt items. Targets: p95 < 100 ms / 16 ms.
         Not part of the default run: `run.py scale`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("BEATDESK_SHARED_DATA", REPO.parent / "shared" / "data"))
WARDS_20M = SHARED_DATA / "wards_2021_bgc_northants.geojson"

# Both children print time.monotonic() (system-wide on Linux) once their view has painted, then quit.
_FIRST_PAINT_FILTER = """
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def __init__(self, view_class):
        super().__init__()
        self.view_class, self.done = view_class, False

    def eventFilter(self, watched, event):
        if (not self.done and event.type() == QEvent.Type.Paint
                and type(watched.parent()).__name__ == self.view_class):
            self.done = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        print("PAINTED", time.monotonic(), flush=True)
        QApplication.instance().quit()
"""

# The storage stack comes first in both children: PySide6's import hook makes every later import dearer.
FLOOR_CHILD = """
import sqlmodel, shapely  # the storage stack every BeatDesk start pays for
""" + _FIRST_PAINT_FILTER + """
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QMainWindow
app = QApplication([])
spy = FirstPaint("QGraphicsView"); app.installEventFilter(spy)
scene = QGraphicsScene(); scene.addRect(0, 0, 100, 100)
window = QMainWindow(); window.setCentralWidget(QGraphicsView(scene)); window.resize(1400, 900); window.show()
app.exec()
"""

# The real entry point, untouched: the paint filter is installed when run_gui creates the QApplication,
# so the child imports nothing ahead of BeatDesk itself.
APP_CHILD = """
import sys
from beatdesk.ui import app as gui
create_application = gui.application

def instrumented_application(*args, **kwargs):
    qapp = create_application(*args, **kwargs)
    exec(FILTER, globals())
    global spy
    spy = FirstPaint("MapView")
    qapp.installEventFilter(spy)
    return qapp

gui.application = instrumented_application
# The time a user spends typing in the sign-in dialog is theirs, not start-up's: sign in at once.
from beatdesk.services.actor import Actor
gui.sign_in_actor = lambda engine, url: Actor.administrator("benchmark")
FILTER = %r
sys.exit(gui.run_gui(sys.argv[1]))
""" % _FIRST_PAINT_FILTER


def _child_env(pycache: Path | None) -> dict[str, str]:
    """The children's environment. With ``pycache``, both keep compiled bytecode there (written by the
    warm-up runs), as every start after an installation's first does: the floor's libraries come
    precompiled from their wheels, and without a cache our own modules would be compiled from source
    on every start (``PYTHONDONTWRITEBYTECODE`` is often set in development and CI shells)."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def _time_to_paint(code: str, *args: str, env: dict[str, str] | None = None) -> float:
    env = env or _child_env(None)
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120, check=True
    ).stdout
    painted = [line for line in out.splitlines() if line.startswith("PAINTED")]
    if not painted:
        raise RuntimeError(f"the child never painted its view:\n{out}")
    return float(painted[0].split()[1]) - started


def _row(label: str, values: list[float], floor: list[float] | None, unit: str = "s") -> None:
    median = statistics.median(values)
    p95 = sorted(values)[max(0, round(0.95 * len(values)) - 1)]
    text = f"  {label:<44} median {median:7.3f} {unit}   p95 {p95:7.3f} {unit}"
    if floor:
        text += f"   ratio to floor {median / statistics.median(floor):5.2f}x"
    print(text)


def _demo_database(directory: Path, with_wards: bool) -> str:
    from beatdesk.services.actor import Actor
    from beatdesk.services.bootstrap import prepare
    from beatdesk.services.demo import generate_demo

    url = f"sqlite:///{directory / ('wards.sqlite' if with_wards else 'hex.sqlite')}"
    engine = prepare(url)
    admin = Actor.administrator("benchmark")
    generate_demo(engine, admin, seed=2021)
    if with_wards:
        from beatdesk.services.wards import import_wards

        import_wards(engine, admin, WARDS_20M)
    engine.dispose()
    return url


def bench_startup(repeats: int, bytecode_cache: bool = True) -> None:
    cache = "bytecode cached" if bytecode_cache else "bytecode as this shell's environment allows"
    print(f"Start-up: process start to first painted map ({repeats} runs each, alternating; {cache})")
    with tempfile.TemporaryDirectory() as tmp:
        env = _child_env(Path(tmp) / "pycache" if bytecode_cache else None)
        urls = {"boundaries": _demo_database(Path(tmp), True), "hexagons": _demo_database(Path(tmp), False)}
        for url in urls.values():  # first runs settle the settings file, the bytecode and the OS file cache
            _time_to_paint(APP_CHILD, url, env=env)
        _time_to_paint(FLOOR_CHILD, env=env)
        floor, app = [], {name: [] for name in urls}
        for _ in range(repeats):
            floor.append(_time_to_paint(FLOOR_CHILD, env=env))
            for name, url in urls.items():
                app[name].append(_time_to_paint(APP_CHILD, url, env=env))
    _row("floor: Qt window + QGraphicsView + sqlmodel, shapely", floor, None)
    _row("BeatDesk, demo force, ward boundaries loaded", app["boundaries"], floor)
    _row("BeatDesk, demo force, hexagon map", app["hexagons"], floor)
    print("  target: ratio within 1.3x")


def bench_wards(repeats: int) -> None:
    import geopandas  # noqa: F401  (both sides pay the import before timing starts)

    from beatdesk.services.actor import Actor
    from beatdesk.services.bootstrap import prepare
    from beatdesk.services.wards import import_wards

    print(f"Ward import: {WARDS_20M.name} ({repeats} runs each)")
    floor, ours = [], []
    admin = Actor.administrator("benchmark")
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            started = time.perf_counter()
            geopandas.read_file(WARDS_20M).to_crs(27700)
            floor.append(time.perf_counter() - started)

            engine = prepare(f"sqlite:///{Path(tmp) / f'w{i}.sqlite'}")
            started = time.perf_counter()
            import_wards(engine, admin, WARDS_20M)
            ours.append(time.perf_counter() - started)
            engine.dispose()
    _row("floor: geopandas read_file + to_crs(27700)", floor, None)
    _row("BeatDesk import_wards (read, check, build, write)", ours, floor)


LOGGING_ENTRIES = 1_000_000
LOGGING_OFFICERS = 300
LOGGING_CALLS = 200


def _million_entries(directory: Path) -> str:
    """A database of one million entries over the past year, written with Core bulk inserts.

    Times fall between 10:00 and 20:00 UTC, so the UTC date is also the Europe/London day and the daily
    totals can be made by a plain GROUP BY.
    """
    import random
    from datetime import UTC, date, datetime, timedelta

    from sqlalchemy import insert, text

    from beatdesk.models import ActivityEntry, Officer
    from beatdesk.services.bootstrap import prepare

    url = f"sqlite:///{directory / 'million.sqlite'}"
    engine = prepare(url)
    rng = random.Random(2021)
    kinds = ("incident", "ppn", "arrest", "intelligence", "stop_search")
    first = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(days=366)
    with engine.begin() as conn:
        conn.execute(insert(Officer), [
            {"collar_number": f"B{i:04d}", "name": f"Bench {i}", "role": "PC", "beat_id": 1 + i % 36,
             "start_date": date(2015, 1, 1)} for i in range(LOGGING_OFFICERS)
        ])
        chunk = 50_000
        for base in range(0, LOGGING_ENTRIES, chunk):
            rows = []
            for i in range(base, base + chunk):
                officer, kind = 1 + i % LOGGING_OFFICERS, kinds[i % len(kinds)]
                at = first + timedelta(days=rng.randrange(365), seconds=rng.randrange(36_000))
                rows.append({
                    "kind": kind, "count": 1, "officer_id": officer, "beat_id": 1 + (officer - 1) % 36,
                    "occurred_at": at, "reference": f"REF-{i:07d}", "note": "",
                    "intel_source": "Community" if kind == "intelligence" else None, "created_at": at,
                })
            conn.execute(insert(ActivityEntry), rows)
        conn.execute(text(
            "INSERT INTO daily_total (officer_id, beat_id, day, kind, count, minutes, entries) "
            "SELECT officer_id, beat_id, date(occurred_at), kind, sum(count), coalesce(sum(minutes), 0), count(*) "
            "FROM activity_entry WHERE deleted_at IS NULL GROUP BY officer_id, beat_id, date(occurred_at), kind"
        ))
    engine.dispose()
    return url


def bench_logging(repeats: int) -> None:
    import random
    import sqlite3
    from datetime import UTC, datetime, timedelta

    from beatdesk.database import make_engine
    from beatdesk.models import ActivityKind
    from beatdesk.services.activity import EntryInput, log_entry
    from beatdesk.services.actor import Actor

    print(f"Logging one entry on a database of {LOGGING_ENTRIES:,} entries ({LOGGING_CALLS} calls each, alternating)")
    admin = Actor.administrator("benchmark")
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        url = _million_entries(Path(tmp))
        print(f"  (built the database in {time.perf_counter() - started:.0f} s)")
        engine = make_engine(url)
        raw = sqlite3.connect(url.removeprefix("sqlite:///"))
        raw.execute("PRAGMA synchronous=NORMAL")  # as BeatDesk's connections (WAL is set on the file)
        floor, ours = [], []
        for i in range(LOGGING_CALLS + 10):  # the first ten warm both sides up
            at = datetime.now(UTC) - timedelta(minutes=30)
            entry = EntryInput(1 + rng.randrange(LOGGING_OFFICERS), ActivityKind.INCIDENT, at, reference=f"NEW-{i:05d}")
            t0 = time.perf_counter()
            log_entry(engine, admin, entry)
            t1 = time.perf_counter()
            raw.execute(
                "INSERT INTO activity_entry (kind, count, officer_id, beat_id, occurred_at, reference, note, "
                "created_at, version) VALUES ('incident', 1, ?, ?, ?, ?, '', ?, 1)",
                (entry.officer_id, 1, at.replace(tzinfo=None).isoformat(" "), f"RAW-{i:05d}",
                 at.replace(tzinfo=None).isoformat(" ")),
            )
            raw.commit()
            t2 = time.perf_counter()
            if i >= 10:
                ours.append((t1 - t0) * 1000)
                floor.append((t2 - t1) * 1000)
        raw.close()
        engine.dispose()
    _row("floor: sqlite3 INSERT of one row + commit", floor, None, "ms")
    _row("BeatDesk log_entry (checks, totals, audit)", ours, floor, "ms")
    print("  target: p95 under 10 ms")


def bench_scale(repeats: int) -> None:
    from scale import parse_args, run_scale  # benchmarks/ is sys.path[0] when run.py runs as a script

    db = os.environ.get("BEATDESK_SCALE_DB")
    run_scale(parse_args(["--repeats", str(max(repeats, 30)), *(["--db", db] if db else [])]))


BENCHMARKS = {"startup": bench_startup, "wards": bench_wards, "logging": bench_logging, "scale": bench_scale}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", nargs="*", metavar="BENCHMARK", help=f"any of {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="startup: run the children in this shell's environment as it is (with "
                             "PYTHONDONTWRITEBYTECODE set, BeatDesk's modules are compiled on every start)")
    args = parser.parse_args()
    unknown = set(args.which) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    print(f"Python {sys.version.split()[0]} on {sys.platform}; QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
    for name in args.which or [n for n in BENCHMARKS if n != "scale"]:
        if name == "startup":
            bench_startup(args.repeats, bytecode_cache=not args.no_bytecode_cache)
        else:
            BENCHMARKS[name](args.repeats)


if __name__ == "__main__":
    main()
