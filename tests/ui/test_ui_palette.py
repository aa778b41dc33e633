"""Sector colours: eight distinct colour-blind-safe fills, each with legible label text."""

from __future__ import annotations

from beatdesk.ui import palette

PLAN_SECTORS = ["CB", "KT", "EN", "WB", "NT", "NS", "DV", "SN"]


def test_every_sector_has_its_own_colour():
    colours = [palette.sector_colour(code, i) for i, code in enumerate(PLAN_SECTORS)]
    assert len(set(colours)) == 8
    assert set(colours) <= set(palette.TOL_MUTED)


def test_unknown_sectors_take_the_scheme_in_order():
    assert palette.sector_colour("ZZ", 0) == palette.TOL_MUTED[0]
    assert palette.sector_colour("ZZ", 10) == palette.TOL_MUTED[1]


def test_label_text_is_legible_on_every_fill():
    for colour in palette.TOL_MUTED:
        text = palette.text_colour(colour)
        assert palette.contrast(colour, text) >= 4.5, colour


def test_neighbouring_northampton_sectors_contrast():
    # the town centre sector sits inside the suburban one: they must not look alike
    assert palette.contrast(palette.sector_colour("NT"), palette.sector_colour("NS")) > 3


def test_contrast_extremes():
    assert round(palette.contrast("#000000", "#FFFFFF")) == 21
    assert palette.contrast("#777777", "#777777") == 1
