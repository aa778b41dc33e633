"""``beatdesk database``: which database this desk opens and why, and setting it for good.

A force shares one PostgreSQL database; each desk is pointed at it once with ``--set`` instead of
carrying ``--db`` or an environment variable everywhere. The URL is opened (and migrated) before it is
saved, so a typing mistake is caught here rather than at the next start.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.engine import make_url

from beatdesk.cli.common import CannotOpen, connect
from beatdesk.config import database_choice, save_database_url, shown_url


def run_database(args: argparse.Namespace) -> int:
    if args.reset:
        path = save_database_url(None)
        print(f"This desk uses its embedded SQLite database again (removed the setting from {path}).")
        return 0
    if args.set:
        try:
            make_url(args.set)
        except Exception:  # noqa: BLE001 (SQLAlchemy raises ArgumentError; any failure means the same)
            print(f"error: {args.set!r} is not a database URL (e.g. postgresql+psycopg://user@host/beatdesk)",
                  file=sys.stderr)
            return 2
        try:
            connect(args.set).dispose()
        except CannotOpen as exc:
            print(f"error: {exc}; the setting was not changed", file=sys.stderr)
            return 2
        path = save_database_url(args.set)
        print(f"This desk now uses {shown_url(args.set)} (saved in {path}).")
        return 0
    url, source = database_choice(args.db)
    print(f"{shown_url(url)}\n(from {source})")
    return 0
