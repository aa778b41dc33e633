"""``beatdesk screenshot``: a PNG of the requested size with real content; clear refusals."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from beatdesk.cli.main import main
from beatdesk.cli.screenshot import parse_size


def distinct_colours(path, step=7):
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull()
    colours = {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    return image, colours


def test_writes_a_png_of_the_requested_size(qapp, db_url, tmp_path, capsys):
    out = tmp_path / "shots" / "map.png"
    assert main(["--db", db_url, "screenshot", str(out), "--size", "1200x800"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    image, colours = distinct_colours(out)
    assert (image.width(), image.height()) == (1200, 800)
    assert len(colours) > 40  # a map, a tree, text: not a blank window


def test_selects_the_requested_beat(qapp, db_url, tmp_path, capsys):
    plain, selected = tmp_path / "plain.png", tmp_path / "nt01.png"
    assert main(["--db", db_url, "screenshot", str(plain), "--size", "1000x700"]) == 0
    assert main(["--db", db_url, "screenshot", str(selected), "--size", "1000x700", "--beat", "NT01"]) == 0
    assert plain.read_bytes() != selected.read_bytes()


def test_unknown_beat_is_refused_with_exit_2(qapp, db_url, tmp_path, capsys):
    out = tmp_path / "x.png"
    assert main(["--db", db_url, "screenshot", str(out), "--beat", "ZZ99"]) == 2
    err = capsys.readouterr().err
    assert "unknown beat code 'ZZ99'" in err and "NT01" in err
    assert not out.exists()


@pytest.mark.parametrize("size", ["big", "1400", "10x10", "1400x90000000"])
def test_bad_size_is_refused(db_url, tmp_path, capsys, size):
    assert main(["--db", db_url, "screenshot", str(tmp_path / "x.png"), "--size", size]) == 2
    assert "--size" in capsys.readouterr().err


def test_unopenable_database_is_reported(qapp, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    url = f"sqlite:///{blocker}/sub/db.sqlite"
    assert main(["--db", url, "screenshot", str(tmp_path / "x.png")]) == 1
    assert "cannot open the database" in capsys.readouterr().err


def test_parse_size():
    assert parse_size("1400x900") == (1400, 900)
    assert parse_size(" 1024X768 ") == (1024, 768)


def test_command_line_runs_headless_without_a_platform_set(db_url, tmp_path):
    """The installed command works with no display and no QT_QPA_PLATFORM: it sets offscreen itself."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    out = tmp_path / "cli.png"
    result = subprocess.run(
        [sys.executable, "-m", "beatdesk", "--db", db_url, "screenshot", str(out), "--size", "1000x700"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    image, colours = distinct_colours(out)
    assert (image.width(), image.height()) == (1000, 700)
    assert len(colours) > 40
