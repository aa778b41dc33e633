"""The Blueprint criteria file (``resources/criteria.toml``) read into frozen dataclasses.

Every fault is reported with the file and the line it is on, syntax and meaning alike, so whoever
edits the file can fix it without reading code. The parsed criteria are hashable: they key caches.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from beatdesk.errors import ValidationError
from beatdesk.models import ActivityKind, IntelSource, Role
from beatdesk.paths import resources_dir
from beatdesk.services.scoring.lines import TomlLines

COUNT, MINUTES, OUTSIDE, TASKS_ON_TIME = "count", "minutes", "outside", "tasks_on_time"
PER_100_HOURS, PERCENT_OF_DUTY, PERCENT_OF_TASKS = "per 100 duty hours", "% of duty time", "% of tasks due"
UNITS = {COUNT: PER_100_HOURS, MINUTES: PERCENT_OF_DUTY, OUTSIDE: PERCENT_OF_DUTY, TASKS_ON_TIME: PERCENT_OF_TASKS}
GREEN, AMBER, RED = "green", "amber", "red"


class CriteriaError(ValidationError):
    """The criteria file cannot be used; the message names the file, the line and the problem."""

    def __init__(self, source: str, line: int, problem: str):
        self.source, self.line, self.problem = source, line, problem
        super().__init__(f"{source} line {line}: {problem}")


@dataclass(frozen=True)
class Criterion:
    """One measure a role is assessed by. ``where`` filters entries: (("outcome_linked", True),)."""

    role: str
    key: str
    label: str
    principle: str
    measure: str
    kind: ActivityKind | None
    where: tuple[tuple[str, object], ...]
    unit: str
    weight: float
    target: float | None

    @property
    def source(self) -> tuple:
        """What is summed from activity: criteria with the same source share one total."""
        return (self.measure, self.kind, self.where)


@dataclass(frozen=True)
class RoleCriteria:
    key: str
    label: str
    roles: tuple[Role, ...]
    criteria: tuple[Criterion, ...]

    def criterion(self, key: str) -> Criterion:
        for c in self.criteria:
            if c.key == key:
                return c
        raise KeyError(key)


@dataclass(frozen=True)
class TeamMeasure:
    key: str
    label: str
    principle: str
    measure: str
    unit: str
    target: float
    weight: float
    grace_hours: float = 0.0


@dataclass(frozen=True)
class Rag:
    green: float
    amber: float
    cap: float

    def of(self, achievement: float | None) -> str | None:
        if achievement is None:
            return None
        return GREEN if achievement >= self.green else AMBER if achievement >= self.amber else RED


@dataclass(frozen=True)
class Criteria:
    source: str
    principles: tuple[tuple[str, str], ...]
    rag: Rag
    outside_target: float
    roles: tuple[RoleCriteria, ...]
    members_weight: float
    team: tuple[TeamMeasure, ...]

    def role(self, key: str) -> RoleCriteria:
        for r in self.roles:
            if r.key == key:
                return r
        raise KeyError(key)

    def role_of(self, role: Role | str) -> RoleCriteria | None:
        """The criteria an officer of ``role`` is scored by; None for roles not scored (sergeants...)."""
        return next((r for r in self.roles if Role(role) in r.roles), None)

    def principle_label(self, key: str) -> str:
        return dict(self.principles)[key]

    def file_target(self, criterion: Criterion) -> float | None:
        """The target the file gives a criterion: its own, or the [outside] one for time outside."""
        if criterion.target is None and criterion.measure == OUTSIDE:
            return self.outside_target
        return criterion.target


def criteria_file() -> Path:
    return resources_dir() / "criteria.toml"


_cache: dict[tuple, Criteria] = {}


def load_criteria(path: Path | None = None) -> Criteria:
    """The criteria in ``path`` (default: the shipped file), re-read when the file changes."""
    path = Path(path or criteria_file())
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in _cache:
            _cache[key] = parse_criteria(path.read_text(encoding="utf-8"), path.name)
    except OSError as exc:
        raise CriteriaError(path.name, 1, f"cannot read the file ({exc.strerror})") from None
    return _cache[key]


def parse_criteria(text: str, source: str = "criteria.toml") -> Criteria:
    import tomllib

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if at:
            line, problem = int(at.group(1)), f"{message[:at.start()].strip()} (column {at.group(2)})"
        else:
            line, problem = max(1, len(text.splitlines())), re.sub(r"\s*\(at end of document\)", "", message)
            problem += " (at the end of the file)"
        raise CriteriaError(source, line, f"not valid TOML: {problem}") from None
    return _Reader(raw, TomlLines(text), source).criteria()


class _Reader:
    """Checks the parsed file field by field; the first fault raises with its line."""

    def __init__(self, raw: dict, lines: TomlLines, source: str):
        self.raw, self.lines, self.source = raw, lines, source

    def fail(self, path: tuple, key: str | None, problem: str):
        raise CriteriaError(self.source, self.lines.line_of(path, key), problem)

    def table(self, data: dict, path: tuple, name: str, allowed: set[str]) -> dict:
        for key in data:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.fail(path, key, f"{name} has an unknown field `{key}` (expected one of: {expected})")
        return data

    def field(self, data: dict, path: tuple, name: str, key: str, default=...):
        if key not in data:
            if default is not ...:
                return default
            self.fail(path, None, f"{name} has no `{key}`")
        return data[key]

    def text(self, data: dict, path: tuple, name: str, key: str) -> str:
        value = self.field(data, path, name, key)
        if not isinstance(value, str) or not value.strip():
            self.fail(path, key, f"{name}: `{key}` must be non-empty text (got {value!r})")
        return value.strip()

    def number(self, data: dict, path: tuple, name: str, key: str, default=..., low: float = 0, above: bool = True):
        value = self.field(data, path, name, key, default)
        if value is None:
            return None
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if not ok or (value <= low if above else value < low):
            bound = f"above {low:g}" if above else f"at least {low:g}"
            self.fail(path, key, f"{name}: `{key}` must be a number {bound} (got {value!r})")
        return float(value)

    def list_of_tables(self, data: dict, key: str, path: tuple, name: str) -> list[dict]:
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.fail(path, key, f"{name}: `{key}` must be a list of tables, each written [[...{key}]]")
        return items

    # ---- the file, top down ------------------------------------------------------------------

    def criteria(self) -> Criteria:
        raw = self.table(self.raw, (), "the file", {"version", "principles", "rag", "outside", "role", "team"})
        if raw.get("version", 1) != 1:
            self.fail((), "version", f"version {raw['version']!r} is not understood (this BeatDesk reads version 1)")
        principles = self.principles(raw)
        rag = self.rag(raw)
        outside = raw.get("outside", {})
        self.table(outside, ("outside",), "[outside]", {"target"})
        outside_target = self.number(outside, ("outside",), "[outside]", "target")
        if outside_target > 100:
            self.fail(("outside",), "target",
                      f"[outside]: `target` is a percentage of duty time, at most 100 (got {outside_target:g})")
        roles = self.roles(raw, principles)
        team = raw.get("team", {})
        self.table(team, ("team",), "[team]", {"members_weight", "measure"})
        members_weight = self.number(team, ("team",), "[team]", "members_weight", 1.0, above=False)
        measures = self.team(team, principles, outside_target)
        return Criteria(self.source, tuple(principles.items()), rag, outside_target, roles, members_weight, measures)

    def principles(self, raw: dict) -> dict[str, str]:
        data = raw.get("principles")
        if not isinstance(data, dict) or not data:
            self.fail((), None, "the file has no [principles] table naming the Blueprint's principles")
        for key in data:
            self.text(data, ("principles",), "[principles]", key)
        return {k: v.strip() for k, v in data.items()}

    def rag(self, raw: dict) -> Rag:
        path = ("rag",)
        data = self.table(self.field(raw, (), "the file", "rag"), path, "[rag]", {"green", "amber", "cap"})
        green, amber, cap = (self.number(data, path, "[rag]", k) for k in ("green", "amber", "cap"))
        if not amber < green:
            self.fail(path, "amber", f"[rag]: amber ({amber:g}) must be below green ({green:g})")
        if not green <= cap:
            self.fail(path, "cap", f"[rag]: cap ({cap:g}) must not be below green ({green:g})")
        return Rag(green, amber, cap)

    def roles(self, raw: dict, principles: dict) -> tuple[RoleCriteria, ...]:
        items = self.list_of_tables(raw, "role", (), "the file")
        if not items:
            self.fail((), None, "the file has no [[role]]: nothing would be scored")
        seen_keys: dict[str, int] = {}
        seen_roles: dict[Role, str] = {}
        result = []
        for i, data in enumerate(items):
            path = ("role", i)
            self.table(data, path, "[[role]]", {"key", "label", "roles", "criterion"})
            key = self.text(data, path, "[[role]]", "key")
            name = f"role {key}"
            if key in seen_keys:
                self.fail(path, "key", f"{name} is defined twice (first at line {seen_keys[key]})")
            seen_keys[key] = self.lines.line_of(path, "key")
            label = self.text(data, path, name, "label")
            roles = self.field(data, path, name, "roles")
            if not isinstance(roles, list) or not roles:
                self.fail(path, "roles", f"{name}: `roles` must list BeatDesk roles, e.g. [\"PC\"]")
            members = []
            for value in roles:
                try:
                    role = Role(value)
                except ValueError:
                    names = ", ".join(r.value for r in Role)
                    self.fail(path, "roles", f"{name}: {value!r} is not a role (one of: {names})")
                if role in seen_roles:
                    self.fail(path, "roles", f"{name}: {role.value} is already scored as {seen_roles[role]}")
                seen_roles[role] = key
                members.append(role)
            criteria = self.criteria_of(data, path, key, principles)
            result.append(RoleCriteria(key, label, tuple(members), criteria))
        return tuple(result)

    def criteria_of(self, role_data: dict, role_path: tuple, role: str, principles: dict) -> tuple[Criterion, ...]:
        items = self.list_of_tables(role_data, "criterion", role_path, f"role {role}")
        if not items:
            self.fail(role_path, None, f"role {role} has no [[role.criterion]]")
        seen: dict[str, int] = {}
        result = []
        allowed = {"key", "label", "principle", "measure", "kind", "where", "unit", "weight", "target"}
        for i, data in enumerate(items):
            path = role_path + ("criterion", i)
            self.table(data, path, f"a criterion of role {role}", allowed)
            key = self.text(data, path, f"a criterion of role {role}", "key")
            name = f"criterion {role}.{key}"
            if key in seen:
                self.fail(path, "key", f"{name} is defined twice in role {role} (first at line {seen[key]})")
            seen[key] = self.lines.line_of(path, "key")
            label = self.text(data, path, name, "label")
            principle = self.principle(data, path, name, principles)
            measure = self.text(data, path, name, "measure")
            if measure not in (COUNT, MINUTES, OUTSIDE):
                self.fail(path, "measure", f"{name}: measure {measure!r} is not one of count, minutes, outside")
            kind = self.kind(data, path, name, measure)
            where = self.where(data, path, name, kind)
            unit = self.unit(data, path, name, measure)
            weight = self.number(data, path, name, "weight")
            target = self.number(data, path, name, "target", None)
            result.append(Criterion(role, key, label, principle, measure, kind, where, unit, weight, target))
        return tuple(result)

    def principle(self, data: dict, path: tuple, name: str, principles: dict) -> str:
        value = self.text(data, path, name, "principle")
        if value not in principles:
            self.fail(path, "principle", f"{name}: principle {value!r} is not one of {', '.join(principles)}")
        return value

    def kind(self, data: dict, path: tuple, name: str, measure: str) -> ActivityKind | None:
        if measure == OUTSIDE:
            if "kind" in data:
                self.fail(path, "kind", f"{name}: time outside is read from duties, so it takes no `kind`")
            return None
        value = self.text(data, path, name, "kind")
        try:
            kind = ActivityKind(value)
        except ValueError:
            names = ", ".join(k.value for k in ActivityKind)
            self.fail(path, "kind", f"{name}: unknown activity kind {value!r} (one of: {names})")
        if measure == MINUTES and not kind.measured_in_minutes:
            self.fail(path, "measure", f"{name}: {kind.value} entries have no minutes; use measure = \"count\"")
        return kind

    def where(self, data: dict, path: tuple, name: str, kind: ActivityKind | None) -> tuple:
        where = data.get("where", {})
        if not isinstance(where, dict):
            self.fail(path, "where", f"{name}: `where` must be a table, e.g. {{ outcome_linked = true }}")
        result = []
        for key, value in sorted(where.items()):
            if key == "outcome_linked":
                if kind is not ActivityKind.STOP_SEARCH or not isinstance(value, bool):
                    self.fail(path, "where", f"{name}: outcome_linked = true/false filters stop_search entries only")
            elif key == "intel_source":
                if kind is not ActivityKind.INTELLIGENCE:
                    self.fail(path, "where", f"{name}: intel_source filters intelligence entries only")
                try:
                    value = IntelSource(value)
                except ValueError:
                    names = ", ".join(s.value for s in IntelSource)
                    self.fail(path, "where", f"{name}: intel_source {value!r} is not one of {names}")
            else:
                self.fail(path, "where", f"{name}: cannot filter on {key!r} (only outcome_linked, intel_source)")
            result.append((key, value))
        return tuple(result)

    def unit(self, data: dict, path: tuple, name: str, measure: str) -> str:
        value = self.text(data, path, name, "unit")
        if value != UNITS[measure]:
            self.fail(path, "unit", f"{name}: a {measure} measure is in {UNITS[measure]!r}, not {value!r}")
        return value

    def team(self, team: dict, principles: dict, outside_target: float) -> tuple[TeamMeasure, ...]:
        items = self.list_of_tables(team, "measure", ("team",), "[team]")
        seen: dict[str, int] = {}
        result = []
        allowed = {"key", "label", "principle", "measure", "unit", "target", "weight", "grace_hours"}
        for i, data in enumerate(items):
            path = ("team", "measure", i)
            self.table(data, path, "a team measure", allowed)
            key = self.text(data, path, "a team measure", "key")
            name = f"team measure {key}"
            if key in seen:
                self.fail(path, "key", f"{name} is defined twice (first at line {seen[key]})")
            seen[key] = self.lines.line_of(path, "key")
            label = self.text(data, path, name, "label")
            principle = self.principle(data, path, name, principles)
            measure = self.text(data, path, name, "measure")
            if measure not in (TASKS_ON_TIME, OUTSIDE):
                self.fail(path, "measure", f"{name}: measure {measure!r} is not one of tasks_on_time, outside")
            unit = self.unit(data, path, name, measure)
            target = self.number(data, path, name, "target", outside_target if measure == OUTSIDE else ...)
            if target > 100:
                self.fail(path, "target", f"{name}: `target` is a percentage, at most 100 (got {target:g})")
            weight = self.number(data, path, name, "weight")
            if "grace_hours" in data and measure != TASKS_ON_TIME:
                self.fail(path, "grace_hours", f"{name}: grace_hours applies to tasks_on_time only")
            grace = self.number(data, path, name, "grace_hours", 0.0, above=False)
            result.append(TeamMeasure(key, label, principle, measure, unit, target, weight, grace))
        return tuple(result)
