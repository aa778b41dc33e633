"""Which line of a TOML file holds a table or key, so a fault found after parsing can name its line.

tomllib gives positions for syntax errors only; the criteria loader finds semantic faults (a weight
of 0, an unknown kind) in the parsed data and asks here where that data was written.
"""

from __future__ import annotations

import re

_ARRAY = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*=""")

Path = tuple  # ("role", 0, "criterion", 2): the third criterion of the first [[role]]


class TomlLines:
    """Table paths to their header lines (1-based), and the keys written under each."""

    def __init__(self, text: str):
        self._lines = text.splitlines()
        self._tables: dict[Path, int] = {(): 0}
        self._headers: list[int] = []
        latest: dict[str, Path] = {}
        counts: dict[tuple[Path, str], int] = {}
        for number, line in enumerate(self._lines, start=1):
            array = _ARRAY.match(line)
            match = array or _TABLE.match(line)
            if not match:
                continue
            parts = [p.strip().strip("\"'") for p in match.group(1).split(".")]
            path: Path = ()
            for depth in range(len(parts) - 1):
                path = latest.get(".".join(parts[: depth + 1]), path + (parts[depth],))
            if array:
                index = counts.get((path, parts[-1]), 0)
                counts[(path, parts[-1])] = index + 1
                path = path + (parts[-1], index)
            else:
                path = path + (parts[-1],)
            latest[".".join(parts)] = path
            self._tables[path] = number
            self._headers.append(number)

    def line_of(self, path: Path, key: str | None = None) -> int:
        """The line of ``key`` in the table at ``path``, else the table's header line (1 for the top)."""
        start = self._tables.get(tuple(path))
        if start is None:
            return 1
        if key is not None:
            end = next((h for h in self._headers if h > start), len(self._lines) + 1)
            for number in range(start + 1, end):
                found = _KEY.match(self._lines[number - 1])
                if found and found.group(1) == key:
                    return number
        return max(start, 1)
