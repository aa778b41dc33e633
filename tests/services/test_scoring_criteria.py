"""The criteria file: the shipped one holds the Blueprint's measures, and every fault names its line."""

from __future__ import annotations

import pytest

from beatdesk.models import ActivityKind, IntelSource, Role
from beatdesk.services.errors import ValidationError
from beatdesk.services.scoring.criteria import CriteriaError, criteria_file, load_criteria, parse_criteria

TEXT = criteria_file().read_text(encoding="utf-8")


def test_shipped_file_scores_the_blueprint_measures():
    criteria = load_criteria()
    pc, pcso = criteria.role("PC"), criteria.role("PCSO")
    assert criteria.role_of(Role.SPECIAL) is pc and criteria.role_of(Role.PCSO) is pcso
    assert criteria.role_of(Role.SERGEANT) is None
    assert {c.kind for c in pc.criteria} >= {
        ActivityKind.ARREST, ActivityKind.STOP_SEARCH, ActivityKind.WARRANT, ActivityKind.PPN, ActivityKind.INCIDENT,
        ActivityKind.INTELLIGENCE,
    }
    assert pc.criterion("positive_stop_searches").where == (("outcome_linked", True),)
    assert {c.measure for c in pcso.criteria} >= {"minutes", "outside", "count"}
    assert pcso.criterion("community_intelligence").where == (("intel_source", IntelSource.COMMUNITY),)
    assert criteria.outside_target == 60
    assert criteria.file_target(pcso.criterion("time_outside")) == 60
    assert {m.key for m in criteria.team} == {"tasks_on_time", "time_outside"}
    assert {c.principle for r in criteria.roles for c in r.criteria} == set(dict(criteria.principles))
    assert criteria.rag.of(100) == "green" and criteria.rag.of(80) == "amber" and criteria.rag.of(79.9) == "red"
    assert criteria.rag.of(None) is None


def _line(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``needle``."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[occurrence - 1]


def _replace(old: str, new: str, occurrence: int = 1) -> str:
    parts = TEXT.split(old)
    assert len(parts) > occurrence, old
    return old.join(parts[:occurrence]) + new + old.join(parts[occurrence:])


BROKEN = [
    # (old text, new text, occurrence, line holds, problem mentioned)
    ('weight = 2\n', 'weight = 0\n', 1, "weight = 0", "`weight` must be a number above 0"),
    ('weight = 1.5\n', 'weight = -1\n', 1, "weight = -1", "above 0"),
    ('kind = "warrant"', 'kind = "warants"', 1, 'kind = "warants"', "unknown activity kind 'warants'"),
    ("amber = 80", "amber = 120", 1, "amber = 120", "amber (120) must be below green (100)"),
    ("cap = 150", "cap = 90", 1, "cap = 90", "cap (90) must not be below green"),
    ('key = "warrants"', 'key = "arrests"', 1, 'key = "arrests"', "criterion PC.arrests is defined twice"),
    ('principle = "engagement"\nmeasure = "count"\nkind = "incident"', 'principle = "policing"\nmeasure = "count"\nkind = "incident"',
     1, 'principle = "policing"', "principle 'policing' is not one of"),
    ('unit = "% of duty time"', 'unit = "per 100 duty hours"', 1, None, "a minutes measure is in '% of duty time'"),
    ('where = { outcome_linked = true }', 'where = { intel_source = "Community" }', 1, "where = {",
     "intel_source filters intelligence entries only"),
    ('where = { intel_source = "Community" }', 'where = { intel_source = "Rumour" }', 1, "where = {",
     "intel_source 'Rumour' is not one of"),
    ('weight = 2\n', 'wieght = 2\n', 1, "wieght = 2", "unknown field `wieght`"),
    ('roles = ["PCSO"]', 'roles = ["PC"]', 1, 'roles = ["PC"]', "PC is already scored as PC"),
    ('roles = ["PCSO"]', 'roles = ["Constable"]', 1, 'roles = ["Constable"]', "'Constable' is not a role"),
    ('measure = "minutes"\nkind = "dedicated_place"', 'measure = "minutes"\nkind = "arrest"', 1, 'measure = "minutes"',
     "arrest entries have no minutes"),
    ('target = 90', 'target = 190', 1, "target = 190", "at most 100"),
    ('[outside]\ntarget = 60', '[outside]\ntarget = "sixty"', 1, 'target = "sixty"', "`target` must be a number"),
    ('label = "Neighbourhood PCSO"\n', '', 1, None, "role PCSO has no `label`"),
]


@pytest.mark.parametrize("old,new,occurrence,holds,problem", BROKEN, ids=[b[4][:30] for b in BROKEN])
def test_a_fault_names_its_line_and_the_problem(old, new, occurrence, holds, problem):
    text = _replace(old, new, occurrence)
    with pytest.raises(CriteriaError) as caught:
        parse_criteria(text)
    error = caught.value
    assert isinstance(error, ValidationError)
    assert problem in str(error), str(error)
    assert str(error).startswith(f"criteria.toml line {error.line}: ")
    line = text.splitlines()[error.line - 1]
    if holds is not None:
        assert holds in line, (error.line, line)
    elif "label" in problem:
        assert line.strip() == "[[role]]"  # a missing field points at its table
    else:
        assert line.startswith("unit = "), line


def test_missing_field_points_at_its_table():
    text = _replace('key = "incidents"\nlabel = "Incidents attended"\n', 'key = "incidents"\n')
    with pytest.raises(CriteriaError, match="criterion PC.incidents has no `label`") as caught:
        parse_criteria(text)
    assert caught.value.line == _line(text, 'key = "incidents"') - 1  # the [[role.criterion]] header


@pytest.mark.parametrize("broken,line,problem", [
    ('[rag]\ngreen = 100\namber = \n', 3, "not valid TOML: Invalid value (column 9)"),
    ('[rag]\ngreen = 100\n[rag]\n', 3, "Cannot declare ('rag',) twice"),
    ('[principles\n', 1, "not valid TOML"),
    ('roles = ["PC",\n', 1, "(at the end of the file)"),
])
def test_syntax_errors_name_the_line(broken, line, problem):
    with pytest.raises(CriteriaError) as caught:
        parse_criteria(broken, "criteria.toml")
    assert caught.value.line == line
    assert problem in str(caught.value)


def test_a_file_that_cannot_be_read_says_so(tmp_path):
    with pytest.raises(CriteriaError, match="cannot read the file"):
        load_criteria(tmp_path / "missing.toml")


def test_load_rereads_a_changed_file(tmp_path):
    path = tmp_path / "criteria.toml"
    path.write_text(TEXT, encoding="utf-8")
    first = load_criteria(path)
    assert load_criteria(path) is first
    path.write_text(TEXT.replace("members_weight = 4", "members_weight = 2"), encoding="utf-8")
    assert load_criteria(path).members_weight == 2
