"""The ``beatdesk`` command. Sub-commands import only what they need, so each starts fast."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from beatdesk.config import ENV_DATABASE_URL, ConfigError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="beatdesk",
        description="BeatDesk, the neighbourhood-policing desk. With no command, starts the application.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help=f"database URL (default: ${ENV_DATABASE_URL}, else the one set with 'beatdesk database --set', "
        "else an SQLite file in your data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    wards = commands.add_parser("wards", help="ward boundaries").add_subparsers(dest="wards_command", required=True)
    ward_import = wards.add_parser("import", help="import an ONS ward file (GeoJSON, GeoPackage, Shapefile)")
    ward_import.add_argument("path", type=Path)

    demo = commands.add_parser("demo", help="fill the database with the demo force")
    demo.add_argument("--seed", type=int, default=2021, help="random seed (default 2021)")
    demo.add_argument("--months", type=int, default=12, help="months of history (default 12)")
    demo.add_argument("--replace", action="store_true", help="replace an existing demo force")

    check = commands.add_parser("check", help="validate the beat plan, against a ward file if given")
    check.add_argument("path", type=Path, nargs="?", help="ONS ward file to check the plan against")

    shot = commands.add_parser("screenshot", help="render the main window off screen to a PNG")
    shot.add_argument("path", type=Path)
    shot.add_argument("--size", default="1400x900", help="window size WIDTHxHEIGHT (default 1400x900)")
    shot.add_argument("--beat", help="select this beat code before the screenshot")

    audit = commands.add_parser("audit", help="the audit trail").add_subparsers(dest="audit_command", required=True)
    audit.add_parser("verify", help="check the audit trail's hash chain: exit 0 intact, 1 tampered")

    database = commands.add_parser("database", help="show which database this desk uses, or set it")
    choice = database.add_mutually_exclusive_group()
    choice.add_argument("--set", metavar="URL", help="use this database from now on (it is opened first to check it)")
    choice.add_argument("--reset", action="store_true", help="go back to the embedded SQLite database")

    back = commands.add_parser("backup", help="copy the SQLite database to DEST, safely while it is in use")
    back.add_argument("dest", type=Path, metavar="DEST")
    back.add_argument("--force", action="store_true", help="overwrite DEST if it exists")

    restore = commands.add_parser("restore", help="replace the SQLite database with the checked backup SRC")
    restore.add_argument("src", type=Path, metavar="SRC")
    restore.add_argument("--yes", action="store_true", help="do not ask before replacing the database")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except ConfigError as exc:
        print(f"error: the desk's settings cannot be read: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command is None:
        from beatdesk.ui.app import run_gui

        return run_gui(args.db)
    if args.command == "wards":
        from beatdesk.cli.wards import run_import

        return run_import(args)
    if args.command == "demo":
        from beatdesk.cli.demo import run_demo

        return run_demo(args)
    if args.command == "check":
        from beatdesk.cli.check import run_check

        return run_check(args)
    if args.command == "screenshot":
        from beatdesk.cli.screenshot import run_screenshot

        return run_screenshot(args)
    if args.command == "audit":
        from beatdesk.cli.audit import run_verify

        return run_verify(args)
    if args.command == "database":
        from beatdesk.cli.database import run_database

        return run_database(args)
    if args.command == "backup":
        from beatdesk.cli.backup import run_backup

        return run_backup(args)
    if args.command == "restore":
        from beatdesk.cli.backup import run_restore

        return run_restore(args)
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
