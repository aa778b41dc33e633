"""Undoable form actions. Each wraps service calls, so an undo is checked, audited and totalled like any write.

A command is pushed only after its first write succeeded (a refusal never reaches the stack), so its
first ``redo`` (which ``QUndoStack.push`` calls) does nothing. Undoing a log deletes that entry with the
reason "undone in the form"; redoing it restores that same entry. Undoing a delete restores the entry;
redoing it deletes it again with the reason first given. Undoing an edit edits the entry back to its old
values at the version the edit left; redoing applies the edit again. Every step keeps the entry's id, so
later commands on the stack still find it. When a service refuses an undo or redo (someone else changed,
deleted or restored the entry meanwhile), the command reports the message and makes itself obsolete, so
the stack drops it rather than pretend. Warnings (a reference logged again meanwhile) are reported too.

The commands of one stack share ``versions`` (entry id -> the version this session last wrote), so
undoing a log after undoing later edits of the same entry deletes it at the version those undos left,
while a change by anyone else still makes the service refuse with a conflict.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from sqlalchemy import Engine

from beatdesk.services.activity import LoggedEntry, delete_entry, edit_entry, restore_entry
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ServiceError

UNDO_REASON = "undone in the form"
REDO_REASON = "redone in the form"

Report = Callable[[str, bool, tuple[str, ...]], None]  # (message, is_error, warnings)


class _ServiceCommand(QUndoCommand):
    def __init__(self, engine: Engine, actor: Actor, text: str, report: Report | None = None,
                 versions: dict[int, int] | None = None):
        super().__init__(text)
        self.engine, self.actor = engine, actor
        self.versions = versions if versions is not None else {}
        self._report = report or (lambda message, error, warnings: None)
        self._fresh = True  # the write was already done before the push

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self._attempt(self._redo, "Redone")

    def undo(self) -> None:
        self._attempt(self._undo, "Undone")

    def _attempt(self, action: Callable[[], tuple[str, ...]], verb: str) -> None:
        try:
            warnings = action()
        except ServiceError as error:
            self.setObsolete(True)
            self._report(f"Could not {verb.lower()[:-2]} “{self.text()}”: {error}", True, ())
        else:
            self._report(f"{verb}: {self.text()}", False, warnings)

    def _redo(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _undo(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _delete(self, entry_id: int, reason: str) -> tuple[str, ...]:
        self.versions[entry_id] = delete_entry(self.engine, self.actor, entry_id, reason, self.versions[entry_id])
        return ()

    def _restore(self, entry_id: int, reason: str) -> tuple[str, ...]:
        restored = restore_entry(self.engine, self.actor, entry_id, reason, self.versions[entry_id])
        self.versions[entry_id] = restored.version
        return restored.warnings


class LogEntryCommand(_ServiceCommand):
    """An entry logged in the form; undo deletes it (soft, with a reason), redo restores it."""

    def __init__(self, engine: Engine, actor: Actor, logged: LoggedEntry, text: str,
                 report: Report | None = None, versions: dict[int, int] | None = None):
        super().__init__(engine, actor, text, report, versions)
        self.entry_id = logged.entry_id
        self.versions[logged.entry_id] = logged.version

    def _undo(self) -> tuple[str, ...]:
        return self._delete(self.entry_id, UNDO_REASON)

    def _redo(self) -> tuple[str, ...]:
        return self._restore(self.entry_id, REDO_REASON)


class DeleteEntryCommand(_ServiceCommand):
    """An entry deleted in the form (``version`` is the one the delete left); undo restores it, redo deletes it
    again with the same reason."""

    def __init__(self, engine: Engine, actor: Actor, entry_id: int, reason: str, version: int, text: str,
                 report: Report | None = None, versions: dict[int, int] | None = None):
        super().__init__(engine, actor, text, report, versions)
        self.entry_id, self.reason = entry_id, reason
        self.versions[entry_id] = version

    def _undo(self) -> tuple[str, ...]:
        return self._restore(self.entry_id, UNDO_REASON)

    def _redo(self) -> tuple[str, ...]:
        return self._delete(self.entry_id, self.reason)


class EditEntryCommand(_ServiceCommand):
    """An edit made in the form; undo writes the old values back at the version the edit left."""

    def __init__(self, engine: Engine, actor: Actor, entry_id: int, old: dict, new: dict, version: int, text: str,
                 report: Report | None = None, versions: dict[int, int] | None = None):
        super().__init__(engine, actor, text, report, versions)
        self.entry_id, self.old, self.new = entry_id, dict(old), dict(new)
        self.versions[entry_id] = version

    def _write(self, values: dict) -> tuple[str, ...]:
        edited = edit_entry(self.engine, self.actor, self.entry_id, values, self.versions[self.entry_id])
        self.versions[self.entry_id] = edited.version
        return edited.warnings

    def _undo(self) -> tuple[str, ...]:
        return self._write(self.old)

    def _redo(self) -> tuple[str, ...]:
        return self._write(self.new)
