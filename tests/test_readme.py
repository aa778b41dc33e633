"""The README is the front door: its two commands stay true, and CI runs the test command verbatim."""

from __future__ import annotations

import re
import tomllib

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_gives_exactly_two_setup_commands():
    commands = _readme_commands()
    assert len(commands) == 2
    install_and_start, install_and_test = commands
    assert install_and_start.startswith("python3 -m venv .venv") and install_and_start.endswith(".venv/bin/beatdesk")
    assert "pytest" in install_and_test and "[test]" in install_and_test


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert _readme_commands()[1] in ci


def test_entry_point_and_pins_match_the_readme():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["beatdesk"] == "beatdesk.cli.main:main"
    assert project["requires-python"] == ">=3.11"
    pins = [d for d in project["dependencies"] if d.startswith("PySide6")]
    assert 'PySide6-Essentials>=6.11,<6.12; python_version<"3.12"' in pins
    assert 'PySide6-Essentials>=6.11; python_version>="3.12"' in pins


def test_readme_screenshot_exists():
    assert (REPO / "docs" / "main-window.png").stat().st_size > 20_000
