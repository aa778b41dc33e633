"""``beatdesk backup DEST [--force]`` and ``beatdesk restore SRC [--yes]``: copy the SQLite database while
it is in use, or put a checked copy back. Neither upgrades nor fills the database first: they move it as it is."""

from __future__ import annotations

import sys


def run_backup(args) -> int:
    from beatdesk.config import database_url
    from beatdesk.services.actor import Actor
    from beatdesk.services.backup import DestinationExists, backup
    from beatdesk.services.errors import ServiceError

    try:
        report = backup(database_url(args.db), Actor.local_user(), args.dest, overwrite=args.force)
    except DestinationExists as exc:
        return _refused(f"{exc} Give another name, or --force to overwrite it.")
    except ServiceError as exc:
        return _refused(str(exc))
    for line in report.lines():
        print(line)
    return 0


def run_restore(args) -> int:
    from beatdesk.config import database_url
    from beatdesk.services.actor import Actor
    from beatdesk.services.backup import restore, sqlite_file
    from beatdesk.services.errors import ServiceError

    url = database_url(args.db)
    try:
        live = sqlite_file(url, "restore")
    except ServiceError as exc:
        return _refused(str(exc))
    question = f"Replace the database {live} with {args.src}? The current one is kept beside it. [y/N] "
    if not args.yes and not _confirmed(question):
        print("Nothing was restored.", file=sys.stderr)
        return 1
    try:
        report = restore(url, Actor.local_user(), args.src)
    except ServiceError as exc:
        return _refused(str(exc))
    for line in report.lines():
        print(line)
    return 0


def _confirmed(question: str) -> bool:
    try:
        return input(question).strip().lower() in {"y", "yes"}
    except EOFError:  # no one to ask: not confirmed
        print(file=sys.stderr)
        return False


def _refused(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2
