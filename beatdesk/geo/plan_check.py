"""Checking the beat plan against ward geometry: coverage, councils, contiguity, overlaps and gaps.

Each problem names the beats and wards involved, since the person reading it has to fix the plan file.
Generalised ONS files (20 m to 200 m) disagree slightly along shared edges, so geometric checks allow
``CONTIGUITY_TOLERANCE_M`` and ignore slivers below ``SLIVER_KM2``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from beatdesk.geo.shapes import CONTIGUITY_TOLERANCE_M, SLIVER_KM2, where
from beatdesk.geo.wardfile import WardLayer
from beatdesk.plan import BeatPlan, PlanBeat, PlanLpa, structural_problems


@dataclass(frozen=True)
class _BeatShape:
    beat: PlanBeat
    lpa: PlanLpa | None
    wards: np.ndarray  # indices into the layer
    union: object


def check_plan(plan: BeatPlan, layer: WardLayer) -> list[str]:
    """Every fault of ``plan`` against the wards of ``layer``, the structural ones first."""
    geoms = np.asarray(layer.geometries, dtype=object)
    shapes = _beat_shapes(plan, layer, geoms)
    return [
        *structural_problems(plan),
        *_coverage(plan, layer),
        *_councils(shapes, layer),
        *_contiguity(shapes, layer, geoms),
        *_overlaps(shapes, layer),
        *_gaps(plan, shapes, layer, geoms),
    ]


def _lpa(plan: BeatPlan, beat: PlanBeat) -> PlanLpa | None:
    try:
        return plan.council_of_beat(beat)
    except StopIteration:  # unknown sector or LPA: a structural problem, reported there
        return None


def _label(beat: PlanBeat) -> str:
    return f"{beat.code} ({beat.name})"


def _beat_shapes(plan: BeatPlan, layer: WardLayer, geoms: np.ndarray) -> list[_BeatShape]:
    shapes = []
    for beat in plan.beats:
        wards = np.array([layer.index(w.code) for w in beat.wards if w.code in layer], dtype=int)
        if len(wards):
            shapes.append(_BeatShape(beat, _lpa(plan, beat), wards, shapely.union_all(geoms[wards])))
    return shapes


def _coverage(plan: BeatPlan, layer: WardLayer) -> list[str]:
    problems = []
    absent_councils = set()
    if layer.council_codes:
        present = set(layer.council_codes)
        for lpa in plan.lpas:
            if lpa.council_code not in present:
                absent_councils.add(lpa.code)
                problems.append(
                    f"the ward file has no wards of {lpa.council_name} ({lpa.council_code}), "
                    f"the council of LPA {lpa.code} ({lpa.name})"
                )
    planned = set()
    for beat in plan.beats:
        lpa = _lpa(plan, beat)
        for ward in beat.wards:
            planned.add(ward.code)
            if ward.code not in layer and not (lpa and lpa.code in absent_councils):
                problems.append(f"ward {ward.code} ({ward.name}) of beat {_label(beat)} is not in the ward file")
    councils = {lpa.council_code for lpa in plan.lpas}
    for i, code in enumerate(layer.codes):
        if code in planned or (layer.council_codes and layer.council_codes[i] not in councils):
            continue
        council = f", {layer.council_names[i]}" if layer.council_names else ""
        problems.append(f"ward {code} ({layer.names[i]}{council}) is in the ward file but in no beat")
    return problems


def _councils(shapes: list[_BeatShape], layer: WardLayer) -> list[str]:
    """Each beat lies in its LPA's council, by the ward file's own council field when it has one."""
    if not layer.council_codes:
        return []
    problems = []
    for shape in shapes:
        if shape.lpa is None:
            continue
        for i in shape.wards:
            if layer.council_codes[i] != shape.lpa.council_code:
                other = layer.council_names[i] if layer.council_names else layer.council_codes[i]
                problems.append(
                    f"beat {_label(shape.beat)} is in LPA {shape.lpa.code} ({shape.lpa.council_name}), but its ward "
                    f"{layer.label(layer.codes[i])} is in {other} ({layer.council_codes[i]})"
                )
    return problems


def _contiguity(shapes: list[_BeatShape], layer: WardLayer, geoms: np.ndarray) -> list[str]:
    """A beat is one piece once wards are grown by half the tolerance (bridging generalisation gaps)."""
    grown = shapely.buffer(geoms, CONTIGUITY_TOLERANCE_M / 2)
    problems = []
    for shape in shapes:
        parts = shapely.get_parts(shapely.union_all(grown[shape.wards]))
        if len(parts) < 2:
            continue
        part_of, ward_of = shapely.STRtree(geoms[shape.wards]).query(parts, predicate="intersects")
        members = sorted(sorted(set(ward_of[part_of == p])) for p in range(len(parts)))  # in plan order
        groups = [", ".join(layer.label(layer.codes[shape.wards[w]]) for w in group) for group in members]
        problems.append(
            f"beat {_label(shape.beat)} is not contiguous: it falls into {len(parts)} separate parts: "
            + " | ".join(f"[{g}]" for g in groups)
        )
    return problems


def _overlaps(shapes: list[_BeatShape], layer: WardLayer) -> list[str]:
    """Pairs of beats whose areas overlap by more than a sliver, found through an STRtree."""
    unions = np.array([s.union for s in shapes], dtype=object)
    left, right = shapely.STRtree(unions).query(unions, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    common = shapely.intersection(unions[left], unions[right])
    areas = shapely.area(common) / 1e6
    problems = []
    for a, b, area, piece in zip(left, right, areas, common):
        if area <= SLIVER_KM2:
            continue
        shared = sorted(set(shapes[a].wards) & set(shapes[b].wards))
        why = f"; both include ward {', '.join(layer.label(layer.codes[i]) for i in shared)}" if shared else ""
        problems.append(
            f"beats {_label(shapes[a].beat)} and {_label(shapes[b].beat)} overlap by {area:.2f} km² "
            f"at {where(shapely.point_on_surface(piece))}{why}"
        )
    return problems


def _gaps(plan: BeatPlan, shapes: list[_BeatShape], layer: WardLayer, geoms: np.ndarray) -> list[str]:
    """Holes inside the union of each council's beats: land that belongs to no beat."""
    half = CONTIGUITY_TOLERANCE_M / 2
    tree = shapely.STRtree(geoms)
    problems = []
    for lpa in plan.lpas:
        wards = [s.wards for s in shapes if s.lpa is not None and s.lpa.code == lpa.code]
        if not wards:
            continue
        # Grow, unite and shrink back: closes generalisation slivers without moving real edges.
        area = shapely.buffer(shapely.union_all(shapely.buffer(geoms[np.concatenate(wards)], half)), -half)
        rings = [ring for part in shapely.get_parts(area) for ring in shapely.get_rings(part)[1:]]
        holes = shapely.polygons(np.array(rings, dtype=object)) if rings else np.array([], dtype=object)
        for hole in holes[shapely.area(holes) / 1e6 > SLIVER_KM2]:
            around = sorted(tree.query(shapely.buffer(hole, half), predicate="intersects"))
            names = ", ".join(layer.label(layer.codes[i]) for i in around)
            problems.append(
                f"gap of {hole.area / 1e6:.2f} km² inside {lpa.council_name} (LPA {lpa.code}) "
                f"at {where(shapely.point_on_surface(hole))} is in no beat; wards around it: {names}"
            )
    return problems
