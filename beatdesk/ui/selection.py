"""The one selected beat, shared by the map, the tree and the beat panel.

Every view asks this object to select and every view follows its ``changed`` signal. Selecting the beat
that is already selected does nothing and emits nothing, so views following each other cannot loop.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class BeatSelection(QObject):
    changed = Signal(object)  # the beat code, or None when nothing is selected

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._code: str | None = None

    @property
    def current(self) -> str | None:
        return self._code

    def select(self, code: str | None) -> None:
        if code == self._code:
            return
        self._code = code
        self.changed.emit(code)
