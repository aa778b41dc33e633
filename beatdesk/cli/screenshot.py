"""``beatdesk screenshot PATH``: render the main window off screen and save it as a PNG.

Used to look at the interface without a display (and by CI). It never writes the user's saved window
layout, and it does not generate the demo force: it shows the database as it is.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

SIZE = re.compile(r"^\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*$")
MIN_SIZE = (900, 600)


def parse_size(text: str) -> tuple[int, int]:
    match = SIZE.match(text or "")
    if not match:
        raise ValueError(f"--size must look like 1400x900, not {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
        raise ValueError(f"--size must be at least {MIN_SIZE[0]}x{MIN_SIZE[1]}, not {width}x{height}")
    return width, height


def run_screenshot(args) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported
    try:
        width, height = parse_size(args.size)
    except ValueError as exc:
        print(f"beatdesk screenshot: {exc}", file=sys.stderr)
        return 2
    path = Path(args.path)

    from PySide6.QtCore import QSettings

    from beatdesk.config import database_url
    from beatdesk.services import bootstrap
    from beatdesk.ui.app import application, desktop_actor
    from beatdesk.ui.main_window import MainWindow

    app = application()
    url = database_url(args.db)
    try:
        engine = bootstrap.prepare(url)
    except Exception as exc:  # a database that cannot be opened: say which, and stop
        print(f"beatdesk screenshot: cannot open the database at {url}: {exc}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="beatdesk-shot-") as tmp:
        # a throw-away settings file: the user's remembered layout is neither applied nor overwritten
        settings = QSettings(str(Path(tmp) / "layout.ini"), QSettings.Format.IniFormat)
        window = MainWindow(engine, desktop_actor(), settings=settings)
        try:
            if args.beat and not window.force_map.has_beat(args.beat):
                known = ", ".join(b.code for b in window.force_map.beats)
                print(f"beatdesk screenshot: unknown beat code {args.beat!r}; the beats are {known}", file=sys.stderr)
                return 2
            window.apply_default_layout(width, height)
            window.show()
            settle(app, window)
            if args.beat:
                window.select_beat(args.beat)
                settle(app, window)
            image = window.grab()
            path.parent.mkdir(parents=True, exist_ok=True)
            if not image.save(str(path), "PNG"):
                print(f"beatdesk screenshot: could not write {path}", file=sys.stderr)
                return 1
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
            engine.dispose()
    print(path)
    return 0


def settle(app, window, timeout: float = 5.0) -> None:
    """Process events until the map has painted and layout has stopped changing."""
    deadline = time.monotonic() + timeout
    window.map_view.painted = False
    quiet_rounds = 0
    while time.monotonic() < deadline:
        app.processEvents()
        window.map_view.viewport().repaint()
        quiet_rounds = quiet_rounds + 1 if window.map_view.painted else 0
        if quiet_rounds >= 5:
            break
        time.sleep(0.01)
