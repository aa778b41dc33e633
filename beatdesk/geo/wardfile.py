"""Reading an ONS ward file (GeoJSON, GeoPackage or Shapefile, any CRS) into British National Grid.

ONS names its fields by vintage (``WD21CD``, ``WD21NM``, ``LAD21CD``...), so fields are found by that
pattern rather than by a fixed name. Every way a file can be unusable raises ``ImportFailed`` with a
message that says what is wrong with this file, because an administrator has to act on it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from beatdesk.geo.shapes import BNG, repaired
from beatdesk.errors import ImportFailed

_WARD_CODE = re.compile(r"^WD(\d\d)CD$", re.IGNORECASE)
_COUNCIL_CODE = re.compile(r"^LAD(\d\d)CD$", re.IGNORECASE)
_POLYGONAL = {"Polygon", "MultiPolygon"}
_POLYGON_IDS = [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON]


@dataclass(frozen=True)
class WardLayer:
    """The wards of one file, geometry in EPSG:27700, in file order."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    geometries: tuple  # shapely Polygon / MultiPolygon, EPSG:27700
    council_codes: tuple[str, ...] | None = None
    council_names: tuple[str, ...] | None = None
    warnings: tuple[str, ...] = ()
    source: str = ""
    vintage: str = ""  # "2021" for WD21 fields
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        self._index.update((code, i) for i, code in enumerate(self.codes))

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code: str) -> bool:
        return code in self._index

    def index(self, code: str) -> int:
        return self._index[code]

    def label(self, code: str) -> str:
        return f"{code} ({self.names[self._index[code]]})" if code in self else code

    def council_of(self, code: str) -> str | None:
        return self.council_codes[self._index[code]] if self.council_codes else None


def read_ward_file(path: str | Path) -> WardLayer:
    """Read, reproject to EPSG:27700, and repair the wards of ``path``; refuse what cannot be used."""
    path = Path(path)
    if not path.exists():
        raise ImportFailed(f"ward file not found: {path}")
    if not path.is_file():
        raise ImportFailed(f"{path} is a folder, not a ward file (give the .geojson, .gpkg or .shp file)")
    if path.stat().st_size == 0:
        raise ImportFailed(f"{path.name} is empty (0 bytes)")
    frame = _read_frame(path)
    if len(frame) == 0:
        raise ImportFailed(f"{path.name} has no features: the layer is empty")

    columns = [c for c in frame.columns if c != frame.geometry.name]
    code_field, name_field, year = _ward_fields(path, columns)
    council_field, council_name_field = _council_fields(columns, year)
    codes = _texts(frame[code_field])
    names = _texts(frame[name_field])
    _refuse_bad_codes(path, codes)

    _refuse_bad_geometry(path, codes, names, list(frame.geometry.values))

    warnings: list[str] = []
    frame, crs_label = _to_bng(path, frame, warnings)
    geometries = _repair(path, codes, names, list(frame.geometry.values), warnings)

    vintage = f"20{year}"
    return WardLayer(
        codes=tuple(codes),
        names=tuple(names),
        geometries=tuple(geometries),
        council_codes=tuple(_texts(frame[council_field])) if council_field else None,
        council_names=tuple(_texts(frame[council_name_field])) if council_name_field else None,
        warnings=tuple(warnings),
        source=f"{path.name} (ONS {vintage} wards, {code_field}/{name_field}, {crs_label})",
        vintage=vintage,
    )


def _read_frame(path: Path):
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        layers = pyogrio.list_layers(path)
        # A GeoPackage may hold several layers: take the first polygon layer, else the first.
        layer = next((name for name, kind in layers if kind and "Polygon" in kind), layers[0][0])
        return pyogrio.read_dataframe(path, layer=layer)
    except (DataSourceError, DataLayerError) as exc:
        raise ImportFailed(
            f"cannot read {path.name}: it is corrupt or not a GeoJSON, GeoPackage or Shapefile ({exc})"
        ) from None
    except (IndexError, ValueError, RuntimeError) as exc:
        raise ImportFailed(f"cannot read {path.name}: {exc}") from None


def _ward_fields(path: Path, columns: list[str]) -> tuple[str, str, str]:
    """The newest WDnnCD field that has its WDnnNM partner, and the two-digit year."""
    by_upper = {c.upper(): c for c in columns}
    pairs = sorted(
        ((m.group(1), c, by_upper[f"WD{m.group(1)}NM"]) for c in columns
         if (m := _WARD_CODE.match(c)) and f"WD{m.group(1)}NM" in by_upper),
        reverse=True,
    )
    if not pairs:
        found = ", ".join(columns) or "none"
        raise ImportFailed(
            f"{path.name} has no ONS ward fields (a WDnnCD code and a WDnnNM name, e.g. WD21CD and WD21NM); "
            f"its fields are: {found}"
        )
    year, code_field, name_field = pairs[0]
    return code_field, name_field, year


def _council_fields(columns: list[str], year: str) -> tuple[str | None, str | None]:
    """LADnnCD/LADnnNM if present, preferring the ward fields' year."""
    by_upper = {c.upper(): c for c in columns}
    found = sorted(
        ((m.group(1) == year, m.group(1), c) for c in columns if (m := _COUNCIL_CODE.match(c))), reverse=True
    )
    if not found:
        return None, None
    _, lad_year, code_field = found[0]
    return code_field, by_upper.get(f"LAD{lad_year}NM")


def _texts(series) -> list[str]:
    return ["" if v is None or v != v else str(v).strip() for v in series.tolist()]


def _refuse_bad_codes(path: Path, codes: list[str]) -> None:
    blank = [str(i + 1) for i, code in enumerate(codes) if not code]
    if blank:
        raise ImportFailed(f"{path.name}: feature {', '.join(blank[:10])} has no ward code")
    repeated = [f"{code} ({n} times)" for code, n in Counter(codes).items() if n > 1]
    if repeated:
        raise ImportFailed(f"{path.name} repeats ward code {', '.join(repeated)}: each ward must appear once")


def _refuse_bad_geometry(path: Path, codes: list[str], names: list[str], geoms: list) -> None:
    nulls = [f"{c} ({n})" for c, n, g in zip(codes, names, geoms) if g is None or g.is_empty]
    if nulls:
        raise ImportFailed(f"{path.name}: no geometry for ward {', '.join(nulls)}")
    others = [
        f"{c} ({n}, {g.geom_type})"
        for c, n, g in zip(codes, names, geoms)
        if g.geom_type not in _POLYGONAL and repaired(g) is None
    ]
    if len(others) == len(geoms):
        held = ", ".join(f"{n} {kind}" for kind, n in Counter(g.geom_type for g in geoms).most_common())
        raise ImportFailed(f"{path.name} is not a layer of ward polygons: it holds {held}")
    if others:
        raise ImportFailed(f"{path.name}: ward {', '.join(others)} is not a polygon")


def _repair(path: Path, codes: list[str], names: list[str], geoms: list, warnings: list[str]) -> list:
    """Make invalid geometry valid (``make_valid``, polygon parts kept), naming each repaired ward."""
    invalid = ~shapely.is_valid(geoms) | ~np.isin(shapely.get_type_id(geoms), _POLYGON_IDS)
    for i in invalid.nonzero()[0]:
        geom = geoms[i]
        reason = shapely.is_valid_reason(geom) if not geom.is_valid else f"a {geom.geom_type} with non-polygon parts"
        fixed = repaired(geom)
        if fixed is None:
            raise ImportFailed(f"{path.name}: ward {codes[i]} ({names[i]}) has no area left after repair ({reason})")
        warnings.append(f"ward {codes[i]} ({names[i]}) had invalid geometry ({reason}); repaired")
        geoms[i] = fixed
    return geoms


def _to_bng(path: Path, frame, warnings: list[str]):
    """Reproject to EPSG:27700; a layer without a CRS is taken as lon/lat only if it looks like it."""
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise ImportFailed(
                f"{path.name} does not say its coordinate reference system, and its coordinates are not "
                "longitude/latitude; save it with its CRS (e.g. the .prj file of a Shapefile)"
            )
        frame = frame.set_crs(4326)
        warnings.append(
            f"{path.name} does not say its coordinate reference system; assumed EPSG:4326 (longitude/latitude)"
        )
    label = frame.crs.to_string()
    try:
        return (frame if frame.crs.to_epsg() == BNG else frame.to_crs(BNG)), label
    except Exception as exc:  # pyproj raises several types for unusable CRSs
        raise ImportFailed(f"cannot convert {path.name} from {label} to British National Grid: {exc}") from None
