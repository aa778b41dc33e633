"""How the reports word a score: RAG as a word with a symbol (never colour alone), "no score" where
there is none (never a zero), changes with an arrow and the sign in words."""

from __future__ import annotations

RAG_WORDS = {"green": "✓ Green", "amber": "! Amber", "red": "✗ Red"}
NO_SCORE = "no score"


def rag_text(rag: str | None) -> str:
    return RAG_WORDS.get(rag or "", "–")


def score_text(value: float | None) -> str:
    return NO_SCORE if value is None else f"{value:.0f} %"


def percent_text(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f} %"


def change_text(change: float | None, unit: str = "points") -> str:
    """'▲ 4 points', '▼ 2 points', '= no change' (under half a point), '–' where there is nothing to compare."""
    if change is None:
        return "–"
    if abs(change) < 0.5:
        return "= no change"
    return f"{'▲' if change > 0 else '▼'} {abs(change):.0f} {unit}"


def hours_text(value: float) -> str:
    return f"{value:,.1f}"


def target_source_text(source: str) -> str:
    """A criterion's target source in a few words, for a table cell (the explanation has it in full)."""
    if source.startswith("target set by"):
        return source.split(" on ", 1)[0].removeprefix("target ")
    if "median is 0" in source or "force rate" in source:
        return "force rate"
    if "median" in source:
        return "force median"
    if "criteria" in source or "force target" in source:
        return "criteria file"
    return source if len(source) <= 24 else source[:23] + "…"


TARGETS_NOTE = ("Targets: set by an inspector, else the criteria file's, else the force-wide median rate of the role "
                "in the previous period of the same length (its pooled force rate where the median is 0). "
                "Achievement is rate ÷ target; RAG thresholds are in the criteria file.")
