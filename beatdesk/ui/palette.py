"""Sector colours: Paul Tol's colour-blind-safe "muted" qualitative scheme, with legible text on each.

Neighbouring sectors get clearly different hues (Northampton Town Centre wine inside Northampton
Suburban pale cyan; Kettering sand beside Corby indigo). A plan with other sector codes takes the
scheme in order. Text colour is chosen per fill by WCAG contrast, so a label is readable on every sector.
"""

from __future__ import annotations

TOL_MUTED: tuple[str, ...] = (
    "#332288",  # indigo
    "#88CCEE",  # cyan
    "#44AA99",  # teal
    "#117733",  # green
    "#999933",  # olive
    "#DDCC77",  # sand
    "#CC6677",  # rose
    "#882255",  # wine
    "#AA4499",  # purple
)

SECTOR_COLOURS: dict[str, str] = {
    "CB": "#332288",  # Corby: indigo
    "KT": "#DDCC77",  # Kettering: sand
    "EN": "#117733",  # East Northamptonshire: green
    "WB": "#CC6677",  # Wellingborough: rose
    "NT": "#882255",  # Northampton Town Centre: wine
    "NS": "#88CCEE",  # Northampton Suburban: cyan
    "DV": "#999933",  # Daventry: olive
    "SN": "#AA4499",  # South Northamptonshire: purple
}

MAP_BACKGROUND = "#E9EDF1"
OUTLINE = "#FFFFFF"
SELECTED_OUTLINE = "#111111"
HOVER_OUTLINE = "#333333"
DEMO_BANNER_BG = "#FFF1C2"
DEMO_BANNER_BORDER = "#E0B000"
DEMO_BANNER_TEXT = "#5A4300"


def sector_colour(code: str, index: int = 0) -> str:
    """The fill colour of sector ``code``; ``index`` (its position in the plan) picks one for others."""
    return SECTOR_COLOURS.get(code) or TOL_MUTED[index % len(TOL_MUTED)]


def colour_in(force_map, sector_code: str) -> str:
    """The fill of ``sector_code`` on ``force_map``'s map, tree, legend and panel alike."""
    codes = [s.code for s in force_map.sectors]
    return sector_colour(sector_code, codes.index(sector_code) if sector_code in codes else 0)


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255.0 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#FFFFFF") else "#FFFFFF"


def halo_colour(fill: str) -> str:
    """The opposite of :func:`text_colour`: a thin outline around label text on ``fill``."""
    return "#FFFFFF" if text_colour(fill) == "#000000" else "#000000"
