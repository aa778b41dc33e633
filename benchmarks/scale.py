"""Scale benchmark (issue 4, item 8): scoring every beat and recolouring the map on a synthetic large force.

    .venv/bin/python benchmarks/scale.py                               # generates the force in a temp file first
    .venv/bin/python benchmarks/scale.py --db /tmp/scale.sqlite        # generates there once, then reuses it
    .venv/bin/python benchmarks/scale.py --db /tmp/small.sqlite --small --repeats 10

The force is ``scale_force.py``'s (5,000 staff, 600 beats, 5,000,000 entries; ``--small``: 500, 60,
500,000). Each figure is the median and 95th percentile of ``--repeats`` calls, beside its floor measured
in the same run, with the ratio:

scoring   ``score_all`` of every beat over the rolling 12 months to today, as an administrator: warm
          (nothing written between calls), and after a write (one entry logged through ``log_entry``
          before each call, outside the timing: on a busy force every entry changes the data version;
          those entries stay in the database, referenced SCALE-00000 and on).
          Floor: one hand-written SQL statement over the same derived totals (activity per beat and kind,
          duty minutes per beat, the same 12 months) on the engine's raw connection.
recolour  the real main window's map (hexagons, one per beat) offscreen: ``ScoreMap.apply`` switching
          between two colourings of scores already computed (brushes, labels, tooltips, key), and the
          same followed by a synchronous repaint of the map. Floor: setting as many brushes on plain
          QGraphicsPathItems of the same shapes in a bare view (and that view repainted).

Targets: scoring under 100 ms and recolouring under 16 ms, at the 95th percentile.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script, or imported by run.py from this folder
    sys.path.insert(0, str(HERE))

from scale_force import SMALL, database_url, generate, generated_params  # noqa: E402

SCORING_TARGET_MS, RECOLOUR_TARGET_MS = 100.0, 16.0
LONDON = ZoneInfo("Europe/London")


def run_scale(args: argparse.Namespace) -> dict:
    """Generate (or reuse) the force, then print and return every figure (lists of milliseconds)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="beatdesk-scale-") as tmp:
        url = _database(args, Path(tmp))
        from beatdesk.database import open_database

        engine = open_database(url)
        held = generated_params(engine)
        counts = held.get("counts", {})
        print(f"Scale benchmark on {url}: {counts.get('officer', '?'):,} staff, {counts.get('beat', '?'):,} beats, "
              f"{counts.get('activity_entry', 0):,} entries, generated to {held.get('today')}")
        figures = bench_scoring(engine, args.repeats)
        if not args.no_map:
            figures.update(bench_recolour(engine, args.repeats, Path(tmp)))
        engine.dispose()
    return figures


def _database(args: argparse.Namespace, tmp: Path) -> str:
    """The database to measure: ``--db`` as it is when it holds a synthetic force, else generated into it
    (or into ``tmp`` when no ``--db`` is given)."""
    from beatdesk.database import open_database

    url = database_url(args.db) if args.db else f"sqlite:///{tmp / 'scale.sqlite'}"
    engine = open_database(url)
    held = generated_params(engine)
    engine.dispose()
    if held is not None:
        print(f"Reusing the synthetic force in {url} (seed {held['seed']}, to {held['today']}).")
        return url
    sizes = SMALL if args.small else {}
    print(f"Generating the synthetic force in {url} …")
    generate(url, seed=args.seed, **sizes)
    return url


# ---- scoring --------------------------------------------------------------------------------------


def bench_scoring(engine, repeats: int) -> dict:
    from beatdesk.services.actor import Actor
    from beatdesk.services.scoring import Level, Period, clear_cache, score_all

    admin = Actor.administrator("benchmark")
    today = datetime.now(LONDON).date()
    period = Period.ending("12 months", today)
    print(f"Scoring all beats, {period.label} ({repeats} calls each)")
    clear_cache(engine)
    started = time.perf_counter()
    scores = score_all(engine, admin, Level.BEAT, period)
    cold = (time.perf_counter() - started) * 1000
    scored = sum(s.value is not None for s in scores.values())
    floor = [_timed(_plain_sql, engine, period) for _ in range(repeats)]
    warm = [_timed(score_all, engine, admin, Level.BEAT, period) for _ in range(repeats)]
    officers = _constables(engine)
    rng = random.Random(7)
    written = []
    for i in range(repeats):
        _log_one(engine, admin, rng.choice(officers), i)
        written.append(_timed(score_all, engine, admin, Level.BEAT, period))
    print(f"  ({len(scores)} beats scored, {scored} with a value; first call, nothing cached: {cold:,.0f} ms)")
    _row("floor: plain SQL over the derived totals", floor, None)
    _row("score_all, warm (nothing written between calls)", warm, floor, SCORING_TARGET_MS)
    _row("score_all after logging one entry", written, floor, SCORING_TARGET_MS)
    return {"scoring_floor": floor, "scoring_warm": warm, "scoring_after_write": written, "scoring_cold": [cold]}


def _plain_sql(engine, period) -> int:
    """One statement: activity per beat and kind, and duty minutes per beat, over the period's days,
    from the derived totals (``duty_total`` when the schema has it, else the duties themselves)."""
    from sqlalchemy import inspect

    sqlite = engine.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    first, last = (period.start.isoformat(), period.end.isoformat()) if sqlite else (period.start, period.end)
    if _has_duty_total(engine, inspect):
        duties = (f"SELECT beat_id, 'duty', SUM(minutes), SUM(outside) FROM duty_total "
                  f"WHERE day BETWEEN {mark} AND {mark} GROUP BY beat_id")
    else:
        minutes = ('(julianday("end") - julianday(start)) * 1440' if sqlite
                   else 'extract(epoch from ("end" - start)) / 60')
        duties = (f"SELECT beat_id, 'duty', SUM({minutes}), SUM(coalesce(minutes_outside, 0)) FROM duty_record "
                  f"WHERE duty_date BETWEEN {mark} AND {mark} GROUP BY beat_id")
    sql = (f"SELECT beat_id, kind, SUM(count), SUM(minutes) FROM daily_total WHERE day BETWEEN {mark} AND {mark} "
           f"GROUP BY beat_id, kind UNION ALL {duties}")
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql, (first, last, first, last))
        return len(cursor.fetchall())
    finally:
        raw.close()


_DUTY_TOTAL: dict = {}


def _has_duty_total(engine, inspect) -> bool:
    if engine not in _DUTY_TOTAL:
        with engine.connect() as conn:
            _DUTY_TOTAL[engine] = inspect(conn).has_table("duty_total")
    return _DUTY_TOTAL[engine]


def _constables(engine) -> list[int]:
    from sqlalchemy import select

    from beatdesk.models import Officer, Role

    with engine.connect() as conn:
        return list(conn.execute(select(Officer.id).where(
            Officer.role == Role.PC, Officer.beat_id.is_not(None), Officer.end_date.is_(None))).scalars())


def _log_one(engine, admin, officer_id: int, i: int) -> None:
    """One incident logged a few minutes ago through the real service (checks, totals, audit)."""
    from beatdesk.models import ActivityKind
    from beatdesk.services.activity import EntryInput, log_entry

    at = datetime.now(UTC) - timedelta(minutes=5)
    log_entry(engine, admin, EntryInput(officer_id, ActivityKind.INCIDENT, at, reference=f"SCALE-{i:05d}"))


# ---- recolouring ----------------------------------------------------------------------------------


def bench_recolour(engine, repeats: int, tmp: Path) -> dict:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QBrush, QColor
    from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView

    from beatdesk.services.actor import Actor
    from beatdesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(tmp / "layout.ini"), QSettings.Format.IniFormat)
    started = time.perf_counter()
    window = MainWindow(engine, Actor.administrator("benchmark"), settings=settings)
    window.resize(1400, 900)
    window.show()
    _wait(app, lambda: getattr(window, "score_map", None) is not None and window.map_view.painted, 120)
    opened = time.perf_counter() - started
    view, sm = window.map_view, window.score_map
    sm.set_period("12 months", datetime.now(LONDON).date())
    sm.set_mode("overall")
    _wait(app, lambda: sm.data is not None and not window.jobs.busy and sm.data.period == sm.period(), 600)
    modes = ["overall", next(key for key, _ in sm.modes if key != "overall")]
    items = view.beat_items()
    print(f"Recolouring the map: {len(items)} beats ({view.mode}), main window open in {opened:.1f} s "
          f"({repeats} recolours each, colourings {modes[0]!r} and {modes[1]!r} in turn)")

    def recolour(i: int, paint: bool) -> float:
        sm.mode = modes[i % 2]
        t0 = time.perf_counter()
        sm.apply()
        if paint:
            view.viewport().repaint()
        return (time.perf_counter() - t0) * 1000

    fills = [{code: (sm.scale.colour(v), v is None) for code, (v, _) in sm.data.values[m].items()} for m in modes]

    def brushes_only(i: int) -> float:
        t0 = time.perf_counter()
        view.set_beat_fills(fills[i % 2])
        return (time.perf_counter() - t0) * 1000

    scene = QGraphicsScene()
    plain = [scene.addPath(item.path()) for item in items.values()]
    bare = QGraphicsView(scene)
    bare.resize(view.size())
    bare.fitInView(scene.itemsBoundingRect())
    bare.show()
    app.processEvents()
    colours = [[QColor(fill) for fill, _ in f.values()] for f in fills]

    def floor(i: int, paint: bool) -> float:
        t0 = time.perf_counter()
        for item, colour in zip(plain, colours[i % 2]):
            item.setBrush(QBrush(colour))
        if paint:
            bare.viewport().repaint()
        return (time.perf_counter() - t0) * 1000

    results = {}
    for name, run in (("floor", lambda i: floor(i, False)), ("floor_paint", lambda i: floor(i, True)),
                      ("apply", lambda i: recolour(i, False)), ("apply_paint", lambda i: recolour(i, True)),
                      ("fills", brushes_only)):
        for i in range(4):  # warm up: caches of colours, fonts and label sizes
            run(i)
        results[name] = [run(i) for i in range(repeats)]
        app.processEvents()
    _row(f"floor: setBrush on {len(plain)} plain QGraphicsPathItems", results["floor"], None)
    _row("ScoreMap.apply (brushes, labels, tooltips, key)", results["apply"], results["floor"], RECOLOUR_TARGET_MS)
    _row("  of which MapView.set_beat_fills (brushes)", results["fills"], results["floor"])
    _row("floor: the same + repaint of the bare view", results["floor_paint"], None)
    _row("ScoreMap.apply + repaint of the map", results["apply_paint"], results["floor_paint"], RECOLOUR_TARGET_MS)
    window.close()
    bare.close()
    return {f"recolour_{k}": v for k, v in results.items()}


def _wait(app, done, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the main window did not get there in time")
        app.processEvents()
        time.sleep(0.005)


# ---- figures --------------------------------------------------------------------------------------


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def percentile95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def _row(label: str, values: list[float], floor: list[float] | None, target: float | None = None) -> None:
    median, p95 = statistics.median(values), percentile95(values)
    text = f"  {label:<52} median {median:9.1f} ms   p95 {p95:9.1f} ms"
    if floor:
        ratio = median / statistics.median(floor)
        text += f"   ratio to floor {ratio:7.1f}x" if ratio >= 1 else f"   ratio to floor {ratio:7.3f}x"
    if target is not None:
        text += f"   target p95 < {target:g} ms: {'met' if p95 < target else 'MISSED'}"
    print(text)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return parser.parse_args(argv)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options, for this script and for a ``scale`` subcommand of run.py."""
    parser.add_argument("--db", help="SQLite file or URL; generated there when it holds no synthetic force")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--small", action="store_true", help="generate 500 staff, 60 beats, 500,000 entries")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-map", action="store_true", help="skip the recolouring figures (no Qt)")


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]} on {sys.platform}; QT_QPA_PLATFORM="
          f"{os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')}")
    run_scale(parse_args())
