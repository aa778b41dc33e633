"""Undoable form actions. Each wraps service calls, so an undo is checked, audited and totalled like any write.

A command is pushed only after its first write succeeded (a refusal never reaches the stack), so its
first ``redo`` (which ``QUndoStack.push`` calls) does nothing. Undoing a log deletes that entry with the
reason "undone in the form"; redoing it logs the same values again as a *new* entry (new id), since
deleted entries stay deleted. Undoing an edit edits the entry back to its old values at the version the
edit left; redoing applies the edit again. When a service refuses an undo or redo (someone else changed
or deleted the entry meanwhile), the command reports the message and makes itself obsolete, so the
stack drops it rather than pretend.

The commands of one stack share ``versions`` (entry id -> the version this session last wrote), so
undoing a log after undoing later edits of the same entry deletes it at the version those undos left,
while a change by anyone else still makes the service refuse with a conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtGui import QUndoCommand
from sqlalchemy import Engine

from beatdesk.services.activity import EntryInput, LoggedEntry, delete_entry, edit_entry, log_entry
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ServiceError

UNDO_REASON = "undone in the form"

Report = Callable[[str, bool], None]  # (message, is_error)


class _ServiceCommand(QUndoCommand):
    def __init__(self, engine: Engine, actor: Actor, text: str, report: Report | None = None,
                 versions: dict[int, int] | None = None):
        super().__init__(text)
        self.engine, self.actor = engine, actor
        self.versions = versions if versions is not None else {}
        self._report = report or (lambda message, error: None)
        self._fresh = True  # the write was already done before the push

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self._attempt(self._redo, "Redone")

    def undo(self) -> None:
        self._attempt(self._undo, "Undone")

    def _attempt(self, action, verb: str) -> None:
        try:
            action()
        except ServiceError as error:
            self.setObsolete(True)
            self._report(f"Could not {verb.lower()[:-2]} “{self.text()}”: {error}", True)
        else:
            self._report(f"{verb}: {self.text()}", False)

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class LogEntryCommand(_ServiceCommand):
    """An entry logged in the form; undo deletes it (soft, with a reason), redo logs it again as a new entry."""

    def __init__(self, engine: Engine, actor: Actor, entry: EntryInput, logged: LoggedEntry, text: str,
                 report: Report | None = None, versions: dict[int, int] | None = None):
        super().__init__(engine, actor, text, report, versions)
        self.entry = entry
        self.entry_id = logged.entry_id
        self.versions[logged.entry_id] = logged.version

    def _undo(self) -> None:
        version = self.versions[self.entry_id]
        delete_entry(self.engine, self.actor, self.entry_id, UNDO_REASON, expected_version=version)
        self.versions[self.entry_id] = version + 1

    def _redo(self) -> None:
        logged = log_entry(self.engine, self.actor, replace(self.entry))
        self.entry_id = logged.entry_id
        self.versions[logged.entry_id] = logged.version
        self.setText(f"{self.text().split(' #')[0]} #{logged.entry_id}")


class EditEntryCommand(_ServiceCommand):
    """An edit made in the form; undo writes the old values back at the version the edit left."""

    def __init__(self, engine: Engine, actor: Actor, entry_id: int, old: dict, new: dict, version: int, text: str,
                 report: Report | None = None, versions: dict[int, int] | None = None):
        super().__init__(engine, actor, text, report, versions)
        self.entry_id, self.old, self.new = entry_id, dict(old), dict(new)
        self.versions[entry_id] = version

    def _write(self, values: dict) -> None:
        version = self.versions[self.entry_id]
        self.versions[self.entry_id] = edit_entry(self.engine, self.actor, self.entry_id, values, version).version

    def _undo(self) -> None:
        self._write(self.old)

    def _redo(self) -> None:
        self._write(self.new)
