"""Colour scales for scores on the map, readable with colour-blind vision, and the marks beside values.

Scores are percent of target (0 to the criteria file's cap). Neither scale uses red against green:
- "diverging": ColorBrewer PuOr, orange below target, near-white at target, purple above it; the
  target (100 %) is the pale middle, so "below" and "above" read apart for every kind of vision.
- "sequential": viridis, dark blue-violet (low) to yellow (high), lightness rising all the way.
Pure Python (hex strings), so the maths is tested without Qt; a lookup table keeps recolouring cheap.
"""

from __future__ import annotations

DIVERGING, SEQUENTIAL = "diverging", "sequential"
SCALE_LABELS = {DIVERGING: "Orange–purple, centred on target", SEQUENTIAL: "Viridis (low to high)"}

PUOR = ("#B35806", "#E08214", "#FDB863", "#FEE0B6", "#F7F7F7", "#D8DAEB", "#B2ABD2", "#8073AC", "#542788")
VIRIDIS = ("#440154", "#472D7B", "#3B528B", "#2C728E", "#21918C", "#28AE80", "#5EC962", "#ADDC30", "#FDE725")
NO_SCORE = "#C8C8C8"  # drawn hatched on the map and in the key
STEPS = 256
SAME = 1.0  # a change under this many points gets no mark


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _mix(stops: tuple[str, ...], t: float) -> str:
    t = min(1.0, max(0.0, t)) * (len(stops) - 1)
    i = min(int(t), len(stops) - 2)
    f = t - i
    a, b = _rgb(stops[i]), _rgb(stops[i + 1])
    return "#{:02X}{:02X}{:02X}".format(*(round(x + (y - x) * f) for x, y in zip(a, b, strict=True)))


class ColourScale:
    """Maps a percent of target to a fill; ``position`` puts a value on the key's bar (0 to 1)."""

    def __init__(self, kind: str = DIVERGING, cap: float = 150.0, target: float = 100.0):
        if kind not in SCALE_LABELS:
            raise ValueError(f"colour scale: {kind!r} is not one of {', '.join(SCALE_LABELS)}")
        self.kind, self.cap, self.target = kind, float(cap), float(target)
        stops = PUOR if kind == DIVERGING else VIRIDIS
        self._table = [_mix(stops, i / (STEPS - 1)) for i in range(STEPS)]

    @property
    def label(self) -> str:
        return SCALE_LABELS[self.kind]

    def position(self, value: float) -> float:
        value = min(self.cap, max(0.0, value))
        if self.kind == SEQUENTIAL:
            return value / self.cap
        if value <= self.target:  # the target sits in the middle of the bar, whatever the cap
            return 0.5 * value / self.target
        return 0.5 + 0.5 * (value - self.target) / (self.cap - self.target)

    def colour(self, value: float | None) -> str:
        if value is None or value != value:
            return NO_SCORE
        return self._table[round(self.position(value) * (STEPS - 1))]

    def stops(self, count: int = 9) -> list[tuple[float, str]]:
        """(position, colour) pairs for drawing the key's gradient."""
        return [(i / (count - 1), self._table[round(i / (count - 1) * (STEPS - 1))]) for i in range(count)]


def mark(change: float | None) -> str:
    """▲ better, ▼ worse than the previous period, nothing when about the same or unknown."""
    if change is None or abs(change) < SAME:
        return ""
    return "▲" if change > 0 else "▼"


def luminance(colour: str) -> float:
    channels = [c / 255.0 for c in _rgb(colour)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
