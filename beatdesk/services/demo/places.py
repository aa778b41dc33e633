"""Where on a beat demo activity happens: around a few hotspots, and scattered across the beat.

Ward boundaries may not be loaded, so points are drawn around the beat's centroid with a spread that
suits its setting (a town centre is a square kilometre or two, a rural beat runs to hundreds). When the
beat's outline is in the database, points outside it are drawn again, so the map stays honest.
"""

from __future__ import annotations

import random

from beatdesk.services.demo.establishment import BeatInfo, Setting

SPREAD_M = {Setting.TOWN_CENTRE: 350.0, Setting.URBAN: 550.0, Setting.TOWN: 900.0, Setting.RURAL: 2500.0}
HOTSPOT_SPREAD_M = 90.0
NEAR_HOTSPOT_SHARE = 0.5


class BeatPlaces:
    """Hotspots and random points for one beat, in British National Grid metres."""

    def __init__(self, beat: BeatInfo, rng: random.Random, outline_wkb: bytes | None = None):
        self.beat = beat
        self._spread = SPREAD_M[beat.setting]
        self._inside = _inside_test(outline_wkb)
        self._fallback = (beat.easting, beat.northing)
        if outline_wkb is not None:
            import shapely

            point = shapely.from_wkb(outline_wkb).representative_point()
            self._fallback = (point.x, point.y)
        self.hotspots = [self._scatter(rng, *self._fallback, self._spread * 0.8) for _ in range(rng.randint(3, 6))]

    def point(self, rng: random.Random, hotspot: bool | None = None) -> tuple[float, float]:
        """A point for an entry; ``hotspot`` True puts it at a hotspot, None lets chance decide."""
        if hotspot is None:
            hotspot = rng.random() < NEAR_HOTSPOT_SHARE
        if hotspot:
            x, y = self.hotspots[int(rng.random() * len(self.hotspots))]
            return self._scatter(rng, x, y, HOTSPOT_SPREAD_M)
        return self._scatter(rng, *self._fallback, self._spread)

    def _scatter(self, rng: random.Random, x: float, y: float, spread: float) -> tuple[float, float]:
        for _ in range(20):
            px, py = round(x + rng.gauss(0, spread), 1), round(y + rng.gauss(0, spread), 1)
            if self._inside is None or self._inside(px, py):
                return px, py
        return x, y


def _inside_test(outline_wkb: bytes | None):
    if outline_wkb is None:
        return None
    import shapely

    outline = shapely.from_wkb(outline_wkb)
    shapely.prepare(outline)
    return lambda x, y: bool(shapely.contains_xy(outline, x, y))
