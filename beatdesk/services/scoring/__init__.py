"""Blueprint scoring: criteria from ``resources/criteria.toml``, targets with history, and scores for
officers, beats, sectors, LPAs and the force that explain themselves down to the entries."""

from beatdesk.services.scoring.criteria import Criteria, CriteriaError, Criterion, load_criteria, parse_criteria
from beatdesk.services.scoring.engine import score, score_all
from beatdesk.services.scoring.explain import TaskBehind, duties_behind, entries_behind, explain_lines, tasks_behind
from beatdesk.services.scoring.facts import clear_cache
from beatdesk.services.scoring.periods import Period, PeriodKind
from beatdesk.services.scoring.results import (
    NO_DUTY_HOURS, CriterionScore, Level, RoleScore, Score, Subject, TeamScore,
)
from beatdesk.services.scoring.targets import TargetRecord, effective_target, set_target, target_history

__all__ = [
    "NO_DUTY_HOURS", "Criteria", "CriteriaError", "Criterion", "CriterionScore", "Level", "Period", "PeriodKind",
    "RoleScore", "Score", "Subject", "TargetRecord", "TaskBehind", "TeamScore", "clear_cache", "duties_behind",
    "effective_target", "entries_behind", "explain_lines", "load_criteria", "parse_criteria", "score", "score_all",
    "set_target", "target_history", "tasks_behind",
]
