"""Tens of thousands of Qt calls from Python in one process.

PySide6 6.12 under Python 3.11 corrupts the reference count of None and aborts the interpreter after a
few thousand calls that return None; this test makes sure the installed combination survives a long
session's worth of calls (the pin in pyproject.toml keeps 6.12 away from Python 3.11).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QBrush, QColor

CALLS = 50_000


def test_fifty_thousand_qt_calls(window):
    view = window.map_view
    items = list(view.beat_items().values())
    model = window.tree.model()
    index = model.index_of_beat("NT01")
    brushes = [QBrush(QColor(c)) for c in ("#332288", "#88CCEE", "#44AA99")]
    none_refs = sys.getrefcount(None)
    for i in range(CALLS):
        step = i % 3
        if step == 0:
            items[i % len(items)].setBrush(brushes[i % 3])  # returns None
        elif step == 1:
            assert model.data(index) is not None
        else:
            point = view.mapFromScene(QPointF(480_000.0 + i % 100, -260_000.0))
            assert isinstance(point, QPoint)
    assert sys.getrefcount(None) >= none_refs - 100
    window.reload()  # and the window still works afterwards
    assert len(view.beat_items()) == 36
