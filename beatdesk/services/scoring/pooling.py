"""Slots (an officer on a beat) summed to the subjects of a level, by role group, with numpy.

A subject's members are the officers with duty hours in it during the period: a slot of an officer
with no hours in the subject (an arrest on a neighbouring beat) counts to the officer and to the
areas where they did work, not to that subject.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from beatdesk.services.scoring import facts as F
from beatdesk.services.scoring.results import Level


@dataclass(frozen=True)
class Pooled:
    """One level's totals for one period: per subject and role group (minutes, counts, amounts)."""

    ids: np.ndarray
    hours: np.ndarray  # duty minutes, (subjects, groups)
    members: np.ndarray
    amounts: np.ndarray  # (subjects, groups, sources)
    outside: np.ndarray
    base: np.ndarray
    tasks_due: np.ndarray
    tasks_done: np.ndarray


def rows_of(ids: np.ndarray, subject: np.ndarray) -> np.ndarray:
    """The row of each subject id in the sorted ``ids``, or -1 where it is not there."""
    if not len(ids):
        return np.full(len(subject), -1, dtype=np.int64)
    row = np.searchsorted(ids, subject)
    inside = row < len(ids)
    found = inside & (ids[np.where(inside, row, 0)] == subject)
    return np.where(found, row, -1)


def subject_of(force: F.Force, level: Level, officer: np.ndarray, beat: np.ndarray) -> np.ndarray:
    if level is Level.OFFICER:
        return officer
    if level is Level.BEAT:
        return np.where(F.lookup(force.beat_sector, beat) >= 0, beat, -1)
    sector = F.lookup(force.beat_sector, beat)
    if level is Level.SECTOR:
        return sector
    lpa = F.lookup(force.sector_lpa, sector)
    return lpa if level is Level.LPA else np.where(lpa >= 0, 0, -1)


def pool(force: F.Force, groups: int, facts: F.SlotFacts, tasks: dict, level: Level, ids: np.ndarray) -> Pooled:
    """Slots summed to the subjects ``ids`` of ``level``, by role group; tasks (per beat) to theirs."""
    row = rows_of(ids, subject_of(force, level, facts.officer, facts.beat))
    keep = (row >= 0) & (facts.group >= 0)
    # members: an officer's slots within one subject; only those with duty hours there count
    _, member = np.unique(facts.officer * F.SLOT + np.where(keep, row, 0), return_inverse=True)
    member_minutes = np.bincount(member, np.where(keep, facts.duty_minutes, 0.0))
    keep &= member_minutes[member] > 0
    cell = np.where(keep, row * groups + facts.group, 0)
    size = len(ids) * groups

    def total(values):
        return np.bincount(cell, np.where(keep, values, 0.0), size)[:size].reshape(len(ids), groups)

    members = np.zeros(size)
    if keep.any():
        first = np.unique(member[keep], return_index=True)[1]
        np.add.at(members, cell[keep][first], 1)
    amounts = np.stack([total(facts.amounts[:, j]) for j in range(len(facts.sources))], axis=2) \
        if facts.sources else np.zeros((len(ids), groups, 0))
    due, done = np.zeros(len(ids)), np.zeros(len(ids))
    if level is not Level.OFFICER and tasks:
        beats = np.fromiter(tasks, dtype=np.int64)
        counts = np.asarray(list(tasks.values()), dtype=np.float64)
        task_row = rows_of(ids, subject_of(force, level, np.zeros_like(beats), beats))
        ok = task_row >= 0
        np.add.at(due, task_row[ok], counts[ok, 0])
        np.add.at(done, task_row[ok], counts[ok, 1])
    return Pooled(ids, total(facts.duty_minutes), members.reshape(len(ids), groups), amounts,
                   total(facts.outside_minutes), total(facts.outside_base), due, done)
