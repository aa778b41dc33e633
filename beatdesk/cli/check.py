"""``beatdesk check [PATH]``: validate the beat plan, against a ward file or the imported boundaries."""

from __future__ import annotations

import sys
from pathlib import Path

from beatdesk.cli.common import CannotOpen


def run_check(args) -> int:
    from beatdesk.geo.plan_check import check_plan
    from beatdesk.plan import PlanError, load_plan, structural_problems
    from beatdesk.services.errors import ImportFailed

    try:
        plan = load_plan()
    except PlanError as exc:
        print(f"error: the beat plan {exc.source} is not usable:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    warnings: tuple[str, ...] = ()
    if args.path is not None:
        from beatdesk.geo.wardfile import read_ward_file

        try:
            layer = read_ward_file(args.path)
        except ImportFailed as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        warnings = layer.warnings
    else:
        try:
            layer = _database_layer(args.db)
        except CannotOpen as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if layer is None:
        problems = structural_problems(plan)
        against = "structural checks only: no ward boundaries loaded (give a ward file: beatdesk check PATH)"
    else:
        problems = check_plan(plan, layer)
        against = f"checked against {layer.source}"
    for warning in warnings:
        print(f"warning: {warning}")
    if problems:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) in the beat plan ({against})", file=sys.stderr)
        return 1
    wards = sum(len(b.wards) for b in plan.beats)
    print(
        f"OK: {len(plan.beats)} beats, {wards} wards, {len(plan.lpas)} LPAs, {len(plan.sectors)} sectors — {against}"
    )
    return 0


def _database_layer(db: str | None):
    """The imported ward geometry, or None; an SQLite file that does not exist yet is not created."""
    from sqlalchemy.engine import make_url

    from beatdesk.cli.common import connect
    from beatdesk.config import database_url
    from beatdesk.database import session_scope
    from beatdesk.services.wards import loaded_layer

    url = database_url(db)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not (parsed.database and Path(parsed.database).expanduser().is_file()):
        return None
    engine = connect(url)
    try:
        with session_scope(engine) as session:
            return loaded_layer(session)
    finally:
        engine.dispose()
