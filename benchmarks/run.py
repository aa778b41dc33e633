"""BeatDesk benchmarks: each figure beside its floor measured in the same run, with the ratio.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/run.py                 # everything
    .venv/bin/python benchmarks/run.py startup --repeats 9
    .venv/bin/python benchmarks/run.py wards

startup  process start to the first painted beat map, real entry point (`run_gui`), against the floor:
         a bare PySide6 window holding a QGraphicsView in a process that also imports the storage
         stack (sqlmodel, shapely). Target: within 1.3x of the floor.
wards    importing the 20 m ONS ward file (read, check, build 36 beats, write, audit) against the floor:
         reading and reprojecting the same file with geopandas alone.
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
FILTER = %r
sys.exit(gui.run_gui(sys.argv[1]))
""" % _FIRST_PAINT_FILTER


def _time_to_paint(code: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
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


def bench_startup(repeats: int) -> None:
    print(f"Start-up: process start to first painted map ({repeats} runs each, alternating)")
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"boundaries": _demo_database(Path(tmp), True), "hexagons": _demo_database(Path(tmp), False)}
        for url in urls.values():  # first runs settle the settings file and the OS file cache
            _time_to_paint(APP_CHILD, url)
        _time_to_paint(FLOOR_CHILD)
        floor, app = [], {name: [] for name in urls}
        for _ in range(repeats):
            floor.append(_time_to_paint(FLOOR_CHILD))
            for name, url in urls.items():
                app[name].append(_time_to_paint(APP_CHILD, url))
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


BENCHMARKS = {"startup": bench_startup, "wards": bench_wards}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", nargs="*", metavar="BENCHMARK", help=f"any of {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    unknown = set(args.which) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    print(f"Python {sys.version.split()[0]} on {sys.platform}; QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
    for name in args.which or BENCHMARKS:
        BENCHMARKS[name](args.repeats)


if __name__ == "__main__":
    main()
