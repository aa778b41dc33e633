"""Importing official ward boundaries and building each beat's outline from them.

The file is read and checked against the wards of the installed beat plan before anything is written;
then wards, beats, the source note and the audit entry are written in one transaction, so a refused
or failed import leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import Engine
from sqlmodel import Session, select

from beatdesk.database import session_scope
from beatdesk.geo.shapes import display_copies, from_wkb, km2, to_wkb
from beatdesk.geo.wardfile import WardLayer, read_ward_file
from beatdesk.models import Beat, Ward
from beatdesk.models.meta import WARDS_IMPORTED_AT, WARDS_SOURCE
from beatdesk.services import audit, force
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ImportFailed
from beatdesk.services.permissions import Action, require

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class WardImportReport:
    wards_updated: int
    beats_built: int
    area_km2: float
    warnings: tuple[str, ...]
    source: str


def import_wards(engine: Engine, actor: Actor, path: str | Path, progress: Progress | None = None) -> WardImportReport:
    """Load the ward file at ``path`` into the wards and beats of the installed plan (one transaction).

    ``progress(done, total, message)`` is called between steps; if it raises (a cancel), nothing is kept.
    """
    require(actor, Action.IMPORT_WARDS)
    report = progress or (lambda done, total, message: None)
    total = 5
    report(0, total, f"Reading {Path(path).name}")
    layer = read_ward_file(path)
    with session_scope(engine) as session:
        report(1, total, "Checking the wards against the beat plan")
        wards = list(session.exec(select(Ward).order_by(Ward.code)))
        warnings = [*layer.warnings, *_match(wards, layer)]

        report(2, total, f"Preparing {len(wards)} wards")
        geoms = np.array([layer.geometries[layer.index(w.code)] for w in wards], dtype=object)
        for ward, wkb, display, area in zip(wards, to_wkb(geoms), to_wkb(display_copies(geoms)), km2(geoms)):
            ward.geometry_wkb, ward.display_wkb, ward.area_km2 = wkb, display, float(area)
        session.add_all(wards)

        report(3, total, "Building beat outlines")
        beats = list(session.exec(select(Beat).order_by(Beat.code)))
        unions = [shapely.union_all(geoms[[i for i, w in enumerate(wards) if w.beat_id == b.id]]) for b in beats]
        displays = to_wkb(display_copies(unions))
        for beat, union, wkb, display in zip(beats, unions, to_wkb(unions), displays):
            if union.is_empty:  # a beat without wards keeps its planned centroid
                continue
            centroid = union.centroid
            beat.geometry_wkb, beat.display_wkb = wkb, display
            beat.centroid_easting, beat.centroid_northing = round(centroid.x, 1), round(centroid.y, 1)
        session.add_all(beats)

        report(4, total, "Recording the source")
        force.set_meta(session, WARDS_SOURCE, layer.source)
        force.set_meta(session, WARDS_IMPORTED_AT, datetime.now(UTC).isoformat(timespec="seconds"))
        area = float(km2(unions).sum())
        audit.record(
            session, actor, "import_wards", "ward", "", source=layer.source, wards=len(wards),
            beats=len(beats), area_km2=round(area, 1), warnings=len(warnings),
        )
        session.flush()
        report(5, total, "Committing")  # a cancel here still rolls everything back
    return WardImportReport(len(wards), len(beats), area, tuple(warnings), layer.source)


def _match(wards: list[Ward], layer: WardLayer) -> list[str]:
    """Refuse a file that does not hold exactly the plan's wards for its councils; return warnings."""
    planned = {w.code: w for w in wards}
    if not planned:
        raise ImportFailed("no beat plan is installed: there are no wards to give boundaries to")
    if not planned.keys() & set(layer.codes):
        sample = ", ".join(layer.codes[:3])
        raise ImportFailed(
            f"no ward codes matched: none of the {len(planned)} wards of the beat plan is in {layer.source}; "
            f"its {len(layer)} wards have unknown codes ({sample}, ...). Import the ONS ward file of the "
            "plan's vintage (December 2021, fields WD21CD/WD21NM)"
        )
    missing = [f"{w.code} ({w.name})" for w in wards if w.code not in layer]
    if missing:
        raise ImportFailed(f"{layer.source} lacks {len(missing)} ward(s) of the beat plan: {', '.join(missing)}")
    extra = [i for i, code in enumerate(layer.codes) if code not in planned]
    unknown = _same_area(extra, wards, layer)
    if unknown:
        names = ", ".join(layer.label(layer.codes[i]) for i in unknown)
        raise ImportFailed(
            f"{layer.source} has {len(unknown)} ward(s) in the force's councils that the beat plan does not "
            f"know (unknown ward codes): {names}"
        )
    warnings = []
    if len(extra) > len(unknown):
        warnings.append(f"{len(extra) - len(unknown)} ward(s) outside the force area ignored")
    for w in wards:
        i = layer.index(w.code)
        if layer.council_codes and layer.council_codes[i] != w.council_code:
            raise ImportFailed(
                f"ward {w.code} ({w.name}) is in {w.council_name} ({w.council_code}) in the beat plan, "
                f"but in council {layer.council_codes[i]} in {layer.source}"
            )
        if layer.names[i] != w.name:
            warnings.append(f"ward {w.code} is named {layer.names[i]!r} in the file, {w.name!r} in the beat plan")
    return warnings


def _same_area(extra: list[int], wards: list[Ward], layer: WardLayer) -> list[int]:
    """The extra wards in the plan's councils: by council field, else those lying mostly inside its area."""
    if not extra:
        return []
    if layer.council_codes:
        councils = {w.council_code for w in wards}
        return [i for i in extra if layer.council_codes[i] in councils]
    known = shapely.union_all([layer.geometries[layer.index(w.code)] for w in wards])
    others = np.array([layer.geometries[i] for i in extra], dtype=object)
    inside = shapely.area(shapely.intersection(others, known)) > 0.5 * shapely.area(others)
    return [i for i, hit in zip(extra, inside) if hit]


def wards_loaded(session: Session) -> bool:
    """True once ward boundaries have been imported (the map can draw real outlines)."""
    return session.exec(select(Ward.id).where(Ward.geometry_wkb.is_not(None)).limit(1)).first() is not None


def loaded_layer(session: Session) -> WardLayer | None:
    """The imported ward geometry as a ``WardLayer`` (for checking the plan file), or None if none."""
    wards = list(session.exec(select(Ward).where(Ward.geometry_wkb.is_not(None)).order_by(Ward.code)))
    if not wards:
        return None
    source = force.get_meta(session, WARDS_SOURCE) or "the database"
    return WardLayer(
        codes=tuple(w.code for w in wards),
        names=tuple(w.name for w in wards),
        geometries=tuple(from_wkb(w.geometry_wkb for w in wards)),
        council_codes=tuple(w.council_code for w in wards),
        council_names=tuple(w.council_name for w in wards),
        source=f"the ward boundaries in the database, from {source}",
    )
