"""A task's priority, P1 (highest) to P4, from its threat, harm, risk and vulnerability (THRV).

Each of the four is scored from 1 (very low) to 5 (very high). The rule, read top to bottom, the
first line that matches deciding:

====  =========================================================================================
P1    harm 5, or vulnerability 5, or threat 5 with risk 4 or 5, or a total of 16 or more (of 20)
P2    harm 4, or vulnerability 4, or a total of 12 or more
P3    any score of 4 or more, or a total of 8 or more
P4    otherwise: every score 3 or below and a total of 7 or less
====  =========================================================================================

Harm and vulnerability weigh most: a likely victim or serious harm puts a task first whatever the
other scores. The reasons name the line that decided the level first, then every other score of 4
or more, in the order threat, harm, risk, vulnerability. The same four scores always give the same
level and the same reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from beatdesk.services.errors import ValidationError

SCORES = ("threat", "harm", "risk", "vulnerability")
LEVELS = (1, 2, 3, 4)

_MEANING = {
    "threat": ("no known threat", "low threat", "some threat", "threat likely", "threat imminent"),
    "harm": ("minimal harm", "minor harm", "moderate harm", "significant harm likely", "serious harm likely"),
    "risk": ("very unlikely to happen", "unlikely to happen", "may happen", "likely to happen",
             "almost certain to happen"),
    "vulnerability": ("no known vulnerability", "low vulnerability", "some vulnerability", "vulnerable victim",
                      "highly vulnerable victim"),
}


@dataclass(frozen=True)
class THRV:
    """Threat, harm, risk and vulnerability, each 1 to 5."""

    threat: int
    harm: int
    risk: int
    vulnerability: int

    @property
    def total(self) -> int:
        return self.threat + self.harm + self.risk + self.vulnerability


@dataclass(frozen=True)
class Assessment:
    level: int  # 1 = P1 ... 4 = P4
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return label(self.level)


def label(level: int) -> str:
    return f"P{level}"


def reason(score: str, value: int) -> str:
    """'harm 5: serious harm likely'."""
    return f"{score} {value}: {_MEANING[score][value - 1]}"


def check_scores(thrv: THRV) -> None:
    """Each score a whole number from 1 to 5, or a ValidationError naming it."""
    for score in SCORES:
        value = getattr(thrv, score)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError(f"{score}: scored 1 to 5 (whole numbers), not {value!r}.")


def assess(thrv: THRV | tuple[int, int, int, int]) -> Assessment:
    """The priority of a task scored ``thrv``, with its reasons (see the module's rule)."""
    if not isinstance(thrv, THRV):
        thrv = THRV(*thrv)
    check_scores(thrv)
    t, h, r, v, total = thrv.threat, thrv.harm, thrv.risk, thrv.vulnerability, thrv.total
    decided: list[str]
    if h == 5 or v == 5 or (t == 5 and r >= 4):
        decided = [reason("harm", 5)] if h == 5 else [reason("vulnerability", 5)] if v == 5 else [
            reason("threat", 5), reason("risk", r)]
        level = 1
    elif total >= 16:
        level, decided = 1, [f"total {total} of 20: high on every count"]
    elif h == 4 or v == 4:
        level, decided = 2, [reason("harm", 4) if h == 4 else reason("vulnerability", 4)]
    elif total >= 12:
        level, decided = 2, [f"total {total} of 20: high overall"]
    elif max(t, h, r, v) >= 4:
        level, decided = 3, []
    elif total >= 8:
        level, decided = 3, [f"total {total} of 20: moderate overall"]
    else:
        level, decided = 4, [f"every score 3 or below, total {total} of 20"]
    high = [reason(s, getattr(thrv, s)) for s in SCORES if getattr(thrv, s) >= 4]
    return Assessment(level, decided + [x for x in high if x not in decided])
