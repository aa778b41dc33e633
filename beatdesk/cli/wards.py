"""``beatdesk wards import PATH``: load official ward boundaries into the database."""

from __future__ import annotations

import sys

from beatdesk.cli.common import open_engine
from beatdesk.services.actor import Actor


def run_import(args) -> int:
    from beatdesk.services.errors import ServiceError
    from beatdesk.services.wards import import_wards

    engine = open_engine(args.db)
    if engine is None:
        return 2
    try:
        report = import_wards(engine, Actor.local_user(), args.path)
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(
        f"Imported {report.wards_updated} wards into {report.beats_built} beats "
        f"({report.area_km2:,.1f} km²) from {report.source}."
    )
    for warning in report.warnings:
        print(f"warning: {warning}")
    if not report.warnings:
        print("No warnings.")
    return 0
