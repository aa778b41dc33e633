"""``beatdesk audit verify``: recompute the audit trail's hash chain and say whether it is intact."""

from __future__ import annotations

import argparse
import sys

from beatdesk.cli.common import open_engine


def run_verify(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from beatdesk.services.audit import verify

    engine = open_engine(args.db)
    if engine is None:
        return 2
    try:
        with Session(engine) as session:
            report = verify(session)
    finally:
        engine.dispose()
    out = sys.stdout if report.intact else sys.stderr
    for line in report.lines():
        print(line, file=out)
    return 0 if report.intact else 1
