"""The force tree (LPA > sector > beat), following and driving the shared beat selection."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from beatdesk.services.force_view import ForceMap
from beatdesk.ui.force_tree_model import BEAT_CODE_ROLE, ForceTreeModel
from beatdesk.ui.selection import BeatSelection


class ForceTree(QTreeView):
    beatActivated = Signal(str)  # double-click or Enter on a beat

    def __init__(self, selection: BeatSelection, parent=None):
        super().__init__(parent)
        self.setObjectName("forceTree")
        self._selection = selection
        self._loading = False
        self.setModel(ForceTreeModel(self))
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setIndentation(14)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(False)
        self.setMinimumWidth(200)
        self.selectionModel().selectionChanged.connect(self._tree_selection_changed)
        selection.changed.connect(self._follow)
        self.activated.connect(self._activated)

    def model(self) -> ForceTreeModel:  # narrow the type for callers
        return super().model()

    def load(self, force_map: ForceMap) -> None:
        self._loading = True
        try:
            self.model().load(force_map)
        finally:
            self._loading = False
        self.expandAll()
        self._follow(self._selection.current)

    def _activated(self, index) -> None:
        code = index.data(BEAT_CODE_ROLE)
        if code:
            self.beatActivated.emit(code)

    def _tree_selection_changed(self, *_args) -> None:
        if self._loading:
            return
        indexes = self.selectionModel().selectedIndexes()
        self._selection.select(indexes[0].data(BEAT_CODE_ROLE) if indexes else None)

    def _follow(self, code: str | None) -> None:
        index = self.model().index_of_beat(code) if code else None
        current = self.selectionModel().selectedIndexes()
        if index is not None and index.isValid():
            if current and current[0] == index:
                return
            self.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.scrollTo(index)
        elif current:
            self.selectionModel().clearSelection()
