"""The layers of DESIGN.md, enforced: nothing below the interface imports Qt, and nothing heavy loads
just because a module is imported (geopandas, pyogrio and Alembic only when a file or migration runs)."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import beatdesk

PACKAGE = Path(beatdesk.__file__).parent
CORE = ("beatdesk.models", "beatdesk.services", "beatdesk.geo", "beatdesk.database", "beatdesk.plan", "beatdesk.errors")


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(PACKAGE)], "beatdesk."):
        if info.name.startswith(CORE):
            names.append(info.name)
    return names


def test_core_modules_import_no_qt_and_nothing_heavy():
    modules = _core_modules()
    assert len(modules) > 20
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'shiboken6', 'geopandas', 'pyogrio', 'alembic', 'pandas'}))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_dependencies_point_inwards_only():
    """models know nothing of services; geo and models never reach up into services, cli or ui."""
    upward = {
        "models": ("beatdesk.services", "beatdesk.geo", "beatdesk.ui", "beatdesk.cli"),
        "geo": ("beatdesk.services", "beatdesk.ui", "beatdesk.cli"),
        "services": ("beatdesk.ui", "beatdesk.cli"),
    }
    for layer, forbidden in upward.items():
        for path in (PACKAGE / layer).rglob("*.py"):
            bad = [m for m in _imports(path) if m.startswith(forbidden) or m.startswith("PySide6")]
            assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_start_up_builds_only_the_tables_the_map_needs():
    """Opening the main window loads the force, people and places tables, not activity, tasks or totals:
    each table class costs start-up time (see beatdesk.models)."""
    script = (
        "import sys\n"
        "from beatdesk.services import bootstrap, force_view, places\n"
        "import beatdesk.ui.main_window\n"
        "print(sorted(m for m in sys.modules if m.startswith('beatdesk.models.')))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert "beatdesk.models.force" in loaded and "beatdesk.models.places" in loaded
    for later in ("activity", "tasks", "totals"):
        assert f"beatdesk.models.{later}'" not in loaded, loaded


def test_every_model_is_reachable_and_load_all_registers_every_table():
    from sqlmodel import SQLModel

    import beatdesk.models as models

    for name in models.__all__:
        assert getattr(models, name) is not None
    models.load_all()
    tables = {p.stem for p in (PACKAGE / "models").glob("*.py")} - {"__init__", "enums", "types"}
    registered = {t.__module__.rsplit(".", 1)[1] for t in (getattr(models, n) for n in models.__all__)
                  if isinstance(t, type) and issubclass(t, SQLModel) and getattr(t, "__table__", None) is not None}
    assert registered == tables and len(SQLModel.metadata.tables) >= 14
