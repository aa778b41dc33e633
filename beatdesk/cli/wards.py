"""``beatdesk wards import PATH``: load official ward boundaries into the database."""

from __future__ import annotations

import getpass
import sys

from beatdesk.services.actor import Actor


def cli_actor() -> Actor:
    """Whoever runs the command on this machine acts as the local administrator."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers and services
        user = "cli"
    return Actor.administrator(user)


def run_import(args) -> int:
    from beatdesk.config import database_url
    from beatdesk.plan import PlanError
    from beatdesk.services import bootstrap
    from beatdesk.services.errors import ServiceError
    from beatdesk.services.wards import import_wards

    try:
        engine = bootstrap.prepare(database_url(args.db))
    except PlanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        report = import_wards(engine, cli_actor(), args.path)
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
