"""``beatdesk demo [--seed N] [--months M] [--replace]``: fill the database with the demo force."""

from __future__ import annotations

import sys


class _TextProgress:
    """One line on stderr, rewritten in place, at most once per whole percent."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.shown = -1

    def __call__(self, done: int, total: int, message: str) -> None:
        percent = 100 * done // max(1, total)
        if percent != self.shown:
            self.shown = percent
            self.stream.write(f"\r{percent:3d}%  {message:<50.50}")
            self.stream.flush()

    def finish(self) -> None:
        if self.shown >= 0:
            self.stream.write("\n")
            self.stream.flush()


def run_demo(args) -> int:
    from beatdesk.cli.common import open_engine
    from beatdesk.services.actor import Actor
    from beatdesk.services.demo import generate_demo
    from beatdesk.services.errors import ServiceError

    engine = open_engine(args.db)
    if engine is None:
        return 2
    progress = _TextProgress()
    try:
        report = generate_demo(
            engine, Actor.local_user(), seed=args.seed, months=args.months, replace=args.replace, progress=progress
        )
    except ServiceError as exc:
        progress.finish()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        progress.finish()
        print("cancelled: nothing was written", file=sys.stderr)
        return 130
    finally:
        engine.dispose()
    progress.finish()
    for line in report.lines():
        print(line)
    return 0
