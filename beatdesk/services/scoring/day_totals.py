"""Values per cell and day, held in memory, summed over any run of days in a few milliseconds.

A *cell* is whatever the caller counts in (an officer on a beat, or that and an activity kind); a
value row has ``width`` numbers. The rows are kept sorted by (day, cell), and beside them the sums of
each calendar month per cell, cumulated. The sum up to a day is then the cumulated months before its
month plus the rows of its own month so far: at most one month of rows is added up, however long the
period. Writes arrive as absolute values for (day, cell) and replace what was there.
"""

from __future__ import annotations

import numpy as np

CELL_BITS = 24  # a key is day << 24 | cell: up to 16 million cells


def months_of(days: np.ndarray) -> np.ndarray:
    """Calendar months since January 1970 of days since 1 January 1970."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def first_day_of_month(month: int) -> int:
    return int(np.datetime64(int(month), "M").astype("datetime64[D]").astype(np.int64))


class DayTotals:
    def __init__(self, width: int):
        self.width = width
        self.keys = np.zeros(0, np.int64)
        self.values = np.zeros((0, width))
        self.cells = 0
        self.first_month = 0
        self.by_month = np.zeros((0, 0, width))  # (cells, months, width)
        self._cumulated: np.ndarray | None = None

    def load(self, days: np.ndarray, cells: np.ndarray, values: np.ndarray, n_cells: int) -> None:
        """Replace everything with these rows (one per day and cell)."""
        keys = (days.astype(np.int64) << CELL_BITS) | cells.astype(np.int64)
        order = np.argsort(keys, kind="stable")
        self.keys, self.values = keys[order], np.asarray(values, dtype=np.float64).reshape(-1, self.width)[order]
        self.cells = 0
        months = months_of(days) if len(days) else np.zeros(0, np.int64)
        self.first_month = int(months.min()) if len(months) else 0
        n_months = int(months.max()) - self.first_month + 1 if len(months) else 0
        self.by_month = np.zeros((0, n_months, self.width))
        self._grow(n_cells, self.first_month, self.first_month + n_months - 1)
        if len(days):
            self._add_to_months(cells.astype(np.int64)[order], months[order], self.values)

    def apply(self, days: np.ndarray, cells: np.ndarray, values: np.ndarray, n_cells: int) -> None:
        """Set (day, cell) to ``values``, row by row: rows already held are replaced, new ones added."""
        if not len(days):
            self._grow(n_cells, self.first_month, self.first_month + self.by_month.shape[1] - 1)
            return
        values = np.asarray(values, dtype=np.float64).reshape(-1, self.width)
        keys = (days.astype(np.int64) << CELL_BITS) | cells.astype(np.int64)
        order = np.argsort(keys, kind="stable")
        keys, values, cells, days = keys[order], values[order], cells[order], days[order]
        months = months_of(days)
        last = self.first_month + self.by_month.shape[1] - 1 if self.by_month.shape[1] else int(months.max())
        first = self.first_month if self.by_month.shape[1] else int(months.min())
        self._grow(n_cells, min(first, int(months.min())), max(last, int(months.max())))
        at = np.searchsorted(self.keys, keys)
        held = at < len(self.keys)
        held[held] = self.keys[at[held]] == keys[held]
        difference = values.copy()
        difference[held] -= self.values[at[held]]
        self.values[at[held]] = values[held]
        new = ~held
        if new.any():
            self.keys = np.insert(self.keys, at[new], keys[new])
            self.values = np.insert(self.values, at[new], values[new], axis=0)
        self._add_to_months(cells.astype(np.int64), months, difference)

    def total(self, first_day: int, last_day: int) -> np.ndarray:
        """Sums over days ``first_day``..``last_day`` (days since 1970, inclusive) per cell: (cells, width)."""
        if last_day < first_day:
            return np.zeros((self.cells, self.width))
        return self._up_to(last_day) - self._up_to(first_day - 1)

    # ---- inside -------------------------------------------------------------------------------------

    def _up_to(self, day: int) -> np.ndarray:
        """Sums over every day up to and including ``day``."""
        n_months = self.by_month.shape[1]
        month = int(months_of(np.asarray([day]))[0]) - self.first_month
        if month < 0 or n_months == 0:
            return np.zeros((self.cells, self.width))
        cumulated = self._cumulated_months()
        if month >= n_months:
            return cumulated[:, n_months].copy()
        result = cumulated[:, month].copy()
        start = first_day_of_month(self.first_month + month)
        lo = np.searchsorted(self.keys, np.int64(start) << CELL_BITS)
        hi = np.searchsorted(self.keys, np.int64(day + 1) << CELL_BITS)
        cells = self.keys[lo:hi] & ((1 << CELL_BITS) - 1)
        for w in range(self.width):
            result[:, w] += np.bincount(cells, self.values[lo:hi, w], self.cells)
        return result

    def _cumulated_months(self) -> np.ndarray:
        """(cells, months + 1, width): the sums of all months before each month."""
        if self._cumulated is None:
            shape = self.by_month.shape
            cumulated = np.zeros((shape[0], shape[1] + 1, shape[2]))
            np.cumsum(self.by_month, axis=1, out=cumulated[:, 1:])
            self._cumulated = cumulated
        return self._cumulated

    def _add_to_months(self, cells: np.ndarray, months: np.ndarray, values: np.ndarray) -> None:
        shape = self.by_month.shape
        at = months - self.first_month
        if len(cells) <= 64:  # a few writes: add them in place, cumulated sums too (a full cumsum is ~10 ms)
            for cell, month, value in zip(cells.tolist(), at.tolist(), values):
                self.by_month[cell, month] += value
                if self._cumulated is not None:
                    self._cumulated[cell, month + 1:] += value
            return
        flat = cells * shape[1] + at
        for w in range(self.width):
            self.by_month[:, :, w] += np.bincount(flat, values[:, w], shape[0] * shape[1]).reshape(shape[:2])
        self._cumulated = None

    def _grow(self, n_cells: int, first_month: int, last_month: int) -> None:
        """Room for ``n_cells`` cells and the months ``first_month``..``last_month``."""
        cells, months = self.by_month.shape[:2]
        if months == 0:
            first, n = first_month, max(last_month - first_month + 1, 0)
        else:
            first = min(first_month, self.first_month)
            n = max(last_month, self.first_month + months - 1) - first + 1
        n_cells = max(n_cells, cells)
        if (n_cells, n, first) != (cells, months, self.first_month):
            grown = np.zeros((n_cells, n, self.width))
            offset = self.first_month - first
            grown[:cells, offset:offset + months] = self.by_month
            self.by_month, self.first_month = grown, first
            self._cumulated = None
        self.cells = n_cells
