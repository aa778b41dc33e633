"""Equal-area hexagon map: one hexagon per beat, each placed near the beat's centroid.

Without ward boundaries the map still has to show every beat at the same visual weight, so a
town-centre beat of 2 km² is as easy to click as a rural beat of 200 km². Each beat gets its own
cell of a pointy-top hexagon grid laid over British National Grid (EPSG:27700) metres:

1. the cell size is chosen so the hexagons together cover about the area of the centroids' hull;
2. sectors are placed one at a time, the most crowded first: each grows one contiguous region of
   free cells from the cell nearest its beats, and its beats are matched to those cells;
3. a deterministic local search then moves and swaps beats nearer their centroids, never splitting
   a sector or an LPA into more pieces than it had.

Same input, same map: there is no randomness, and ties are broken by beat code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from shapely.geometry import Polygon

SQRT3 = math.sqrt(3.0)
# axial neighbour offsets of a hex cell
NEIGHBOURS: tuple[tuple[int, int], ...] = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1))

SEARCH_RADIUS = 3
MAX_PASSES = 60

Cell = tuple[int, int]


@dataclass(frozen=True)
class HexLayout:
    """Where each beat sits on the hexagon map, in the same metres as its centroid."""

    size: float  # circumradius (centre to corner) of every hexagon, metres
    cells: dict[str, Cell]  # axial (q, r) cell of each beat
    centres: dict[str, tuple[float, float]]
    polygons: dict[str, Polygon]

    @property
    def cell_area(self) -> float:
        return 1.5 * SQRT3 * self.size**2

    def neighbours(self, code: str) -> list[str]:
        """Codes of the beats in the (up to six) cells touching this beat's cell."""
        by_cell = {cell: other for other, cell in self.cells.items()}
        q, r = self.cells[code]
        return sorted(by_cell[(q + dq, r + dr)] for dq, dr in NEIGHBOURS if (q + dq, r + dr) in by_cell)


def cell_centre(cell: Cell, size: float, origin: tuple[float, float]) -> tuple[float, float]:
    q, r = cell
    return origin[0] + size * SQRT3 * (q + r / 2.0), origin[1] + size * 1.5 * r


def hexagon(centre: tuple[float, float], size: float) -> Polygon:
    """A pointy-top regular hexagon with circumradius ``size``."""
    cx, cy = centre
    angles = [math.radians(30 + 60 * k) for k in range(6)]
    return Polygon([(cx + size * math.cos(a), cy + size * math.sin(a)) for a in angles])


def _fractional_cell(x: float, y: float, size: float, origin: tuple[float, float]) -> tuple[float, float]:
    px, py = x - origin[0], y - origin[1]
    r = py / (1.5 * size)
    q = px / (SQRT3 * size) - r / 2.0
    return q, r


def _round_cell(q: float, r: float) -> Cell:
    x, z = q, r
    y = -x - z
    rx, ry, rz = round(x), round(y), round(z)
    dx, dy, dz = abs(rx - x), abs(ry - y), abs(rz - z)
    if dx > dy and dx > dz:
        rx = -ry - rz
    elif dy <= dz:
        rz = -rx - ry
    return int(rx), int(rz)


def _hex_distance(a: Cell, b: Cell) -> int:
    dq, dr = a[0] - b[0], a[1] - b[1]
    return (abs(dq) + abs(dr) + abs(dq + dr)) // 2


def _default_size(points: list[tuple[float, float]]) -> float:
    """Hexagons whose total area is about the area of the centroids' convex hull, padded a little."""
    from shapely import MultiPoint

    hull = MultiPoint(points).convex_hull
    area = hull.area if hull.area > 0 else max(hull.length, 1.0) ** 2
    # the hull of centroids sits well inside the real area: pad it by 35 %
    cell_area = 1.35 * area / len(points)
    return math.sqrt(cell_area / (1.5 * SQRT3))


def hex_layout(
    centroids: Mapping[str, tuple[float, float]],
    groups: Mapping[str, str] | None = None,
    supergroups: Mapping[str, str] | None = None,
    *,
    size: float | None = None,
) -> HexLayout:
    """Give each beat (``code -> centroid``) its own hexagon near its centroid.

    ``groups`` maps beat code to sector code: beats of a sector are kept together. ``supergroups``
    maps beat code to a coarser group (the LPA), kept together more loosely.
    """
    codes = tuple(sorted(centroids))
    if not codes:
        return HexLayout(size=size or 1.0, cells={}, centres={}, polygons={})
    key = (
        tuple((c, float(centroids[c][0]), float(centroids[c][1])) for c in codes),
        tuple((c, (groups or {}).get(c, c)) for c in codes),
        tuple((c, (supergroups or {}).get(c, "")) for c in codes),
        None if size is None else float(size),
    )
    return _cached_layout(*key)


def _spread(points: list[tuple[float, float]]) -> float:
    """Mean distance of the points from their mean: how much room a group needs."""
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    return sum(math.hypot(p[0] - mx, p[1] - my) for p in points) / len(points)


def _placing_order(members: Mapping[str, list[str]], pts: Mapping[str, tuple[float, float]]) -> list[str]:
    """Densest groups first: they have the least room to move, so they claim their cells first."""
    return sorted(members, key=lambda g: (_spread([pts[c] for c in members[g]]) / len(members[g]), g))


def _place_group(beats, pts, frac, dist2, assigned, taken) -> None:
    """Grow one contiguous region of free cells for a group, then match its beats to the cells."""
    pending = sorted(beats)
    start = min(
        (_nearest_free(_round_cell(*frac[c]), taken, lambda cell, c=c: dist2(c, cell)) for c in pending),
        key=lambda item: (item[1], item[0]),
    )[0]
    region = [start]
    region_set = {start}
    while len(region) < len(pending):
        frontier = {
            (q + dq, r + dr)
            for q, r in region
            for dq, dr in NEIGHBOURS
            if (q + dq, r + dr) not in taken and (q + dq, r + dr) not in region_set
        }
        if not frontier:  # boxed in: jump to the nearest free cell and carry on from there
            frontier = {_nearest_free(region[-1], {**taken, **{c: "" for c in region_set}}, lambda cell: 0.0)[0]}
        cell = min(frontier, key=lambda cell: (min(dist2(c, cell) for c in pending), cell))
        region.append(cell)
        region_set.add(cell)
    # best one-to-one matching of beats to region cells (groups are small; fall back to greedy)
    if len(pending) <= 7:
        from itertools import permutations

        best = min(
            permutations(region),
            key=lambda cells: sum(dist2(c, cell) for c, cell in zip(pending, cells, strict=True)),
        )
        pairs = zip(pending, best, strict=True)
    else:
        pairs = []
        free = list(region)
        for c in sorted(pending, key=lambda c: min(dist2(c, cell) for cell in region)):
            cell = min(free, key=lambda cell: (dist2(c, cell), cell))
            free.remove(cell)
            pairs.append((c, cell))
    for code, cell in pairs:
        assigned[code] = cell
        taken[cell] = code


def _nearest_free(home: Cell, taken, cost) -> tuple[Cell, float]:
    radius = 0
    while True:
        ring = [
            (home[0] + dq, home[1] + dr)
            for dq in range(-radius, radius + 1)
            for dr in range(-radius, radius + 1)
            if _hex_distance((0, 0), (dq, dr)) == radius
        ]
        free = [cell for cell in ring if cell not in taken]
        if free:
            cell = min(free, key=lambda cell: (cost(cell), cell))
            return cell, cost(cell)
        radius += 1


@lru_cache(maxsize=16)
def _cached_layout(points_key, groups_key, super_key, size) -> HexLayout:
    codes = [c for c, _, _ in points_key]
    pts = {c: (x, y) for c, x, y in points_key}
    group = dict(groups_key)
    group2 = dict(super_key)
    size = size or _default_size(list(pts.values()))
    xs = [p[0] for p in pts.values()]
    ys = [p[1] for p in pts.values()]
    origin = ((min(xs) + max(xs)) / 2.0, (min(ys) + max(ys)) / 2.0)
    spacing2 = (SQRT3 * size) ** 2

    frac = {c: _fractional_cell(*pts[c], size, origin) for c in codes}

    d2_cache: dict[tuple[str, Cell], float] = {}

    def dist2(code: str, cell: Cell) -> float:
        value = d2_cache.get((code, cell))
        if value is None:
            cx, cy = cell_centre(cell, size, origin)
            x, y = pts[code]
            value = d2_cache[(code, cell)] = ((cx - x) ** 2 + (cy - y) ** 2) / spacing2
        return value

    members: dict[str, list[str]] = {}
    members2: dict[str, list[str]] = {}
    for code in codes:
        members.setdefault(group[code], []).append(code)
        members2.setdefault(group2[code], []).append(code)

    assigned: dict[str, Cell] = {}
    taken: dict[Cell, str] = {}
    for sector in _placing_order(members, pts):
        _place_group(members[sector], pts, frac, dist2, assigned, taken)

    def pieces(group_members: list[str]) -> int:
        cells = {assigned[c] for c in group_members}
        seen: set[Cell] = set()
        count = 0
        for start in cells:
            if start in seen:
                continue
            count += 1
            stack = [start]
            seen.add(start)
            while stack:
                q, r = stack.pop()
                for dq, dr in NEIGHBOURS:
                    nxt = (q + dq, r + dr)
                    if nxt in cells and nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
        return count

    def move(code: str, cell: Cell) -> None:
        """Put ``code`` in ``cell``; a beat already there takes ``code``'s old cell."""
        old = assigned[code]
        other = taken.get(cell)
        del taken[old]
        if other is not None:
            assigned[other] = old
            taken[old] = other
        assigned[code] = cell
        taken[cell] = code

    def keeps_groups_whole(code: str, cell: Cell) -> bool:
        """Whether moving ``code`` to ``cell`` leaves no sector or LPA in more pieces than before."""
        other = taken.get(cell)
        involved = [code] if other is None else [code, other]
        checks = [members[g] for g in {group[c] for c in involved}]
        checks += [members2[g] for g in {group2[c] for c in involved}]
        before = [pieces(m) for m in checks]
        home_cell = assigned[code]
        move(code, cell)
        after = [pieces(m) for m in checks]
        move(code, home_cell)
        return all(a <= b for a, b in zip(after, before, strict=True))

    # local search: move or swap beats to bring them nearer their centroids, never splitting a group
    for _ in range(MAX_PASSES):
        improved = False
        for code in codes:
            home_cell = assigned[code]
            candidates = []
            for dq in range(-SEARCH_RADIUS, SEARCH_RADIUS + 1):
                for dr in range(-SEARCH_RADIUS, SEARCH_RADIUS + 1):
                    cell = (home_cell[0] + dq, home_cell[1] + dr)
                    if cell == home_cell or _hex_distance(home_cell, cell) > SEARCH_RADIUS:
                        continue
                    other = taken.get(cell)
                    delta = dist2(code, cell) - dist2(code, home_cell)
                    if other is not None:
                        delta += dist2(other, home_cell) - dist2(other, cell)
                    if delta < -1e-9:
                        candidates.append((delta, cell))
            for _delta, cell in sorted(candidates):
                other = taken.get(cell)
                if (other is not None and group[other] == group[code]) or keeps_groups_whole(code, cell):
                    move(code, cell)
                    improved = True
                    break
        if not improved:
            break

    centres = {c: cell_centre(assigned[c], size, origin) for c in codes}
    polygons = {c: hexagon(centres[c], size) for c in codes}
    return HexLayout(size=size, cells=dict(assigned), centres=centres, polygons=polygons)
