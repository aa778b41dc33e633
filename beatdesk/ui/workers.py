"""Long work off the GUI thread: a QRunnable that reports progress, its result or its failure.

The function runs on a thread of a ``QThreadPool`` and is given two keyword callables: ``progress``
(done, total, message) and, when asked for, ``cancelled`` (True once the user has cancelled). Once
cancelled, ``progress`` raises :class:`JobCancelled`, so a service that only reports progress (the
ward import) stops at its next step, and its transaction is rolled back. Signals are delivered to
the GUI thread, where the receivers live.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from beatdesk.services.errors import ServiceError

log = logging.getLogger(__name__)


def job_pool(parent: QObject | None = None) -> QThreadPool:
    """A pool whose threads end as soon as their job does (see the module notes), one job at a time."""
    pool = QThreadPool(parent)
    pool.setExpiryTimeout(0)
    pool.setMaxThreadCount(1)
    return pool


class JobCancelled(Exception):
    """Raised inside a job's ``progress`` once the user has cancelled it."""


class WorkerSignals(QObject):
    progress = Signal(int, int, str)  # done, total, message
    finished = Signal(object)  # the function's result
    failed = Signal(str)  # a message for the user: the service's own words when it refused
    cancelled = Signal()


class Worker(QRunnable):
    def __init__(self, fn: Callable[..., Any], *args: Any, pass_cancelled: bool = False, **kwargs: Any):
        super().__init__()
        self.setAutoDelete(False)  # the owner keeps it until a final signal arrives
        self.signals = WorkerSignals()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._pass_cancelled = pass_cancelled
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, message: str = "") -> None:
        if self._cancel.is_set():
            raise JobCancelled
        self.signals.progress.emit(int(done), int(total), str(message))

    def run(self) -> None:
        kwargs = dict(self._kwargs, progress=self._progress)
        if self._pass_cancelled:
            kwargs["cancelled"] = self.is_cancelled
        try:
            result = self._fn(*self._args, **kwargs)
        except JobCancelled:
            self.signals.cancelled.emit()
        except ServiceError as exc:
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.failed.emit(str(exc))
        except Exception as exc:  # an unexpected fault: tell the user plainly, log the details
            log.error("background job failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(f"An unexpected error stopped the job: {type(exc).__name__}: {exc}")
        else:
            self.signals.finished.emit(result)
        finally:
            self.done.set()


class JobRunner(QObject):
    """Runs one job at a time with a progress dialog (which can cancel it) and reports the outcome."""

    def __init__(self, parent: QWidget, pool: QThreadPool | None = None):
        super().__init__(parent)
        self._parent = parent
        self.pool = pool or job_pool(self)
        self.worker: Worker | None = None
        self.dialog: QProgressDialog | None = None
        self._on_finished: Callable[[Any], None] | None = None
        self._on_failed: Callable[[str], None] | None = None
        self._on_cancelled: Callable[[], None] | None = None

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def start(
        self,
        title: str,
        fn: Callable[..., Any],
        *args: Any,
        on_finished: Callable[[Any], None],
        on_failed: Callable[[str], None],
        on_cancelled: Callable[[], None] | None = None,
        pass_cancelled: bool = False,
        **kwargs: Any,
    ) -> Worker:
        if self.worker is not None:
            raise RuntimeError("a job is already running")
        worker = Worker(fn, *args, pass_cancelled=pass_cancelled, **kwargs)
        self._on_finished, self._on_failed, self._on_cancelled = on_finished, on_failed, on_cancelled
        dialog = QProgressDialog(title, "Cancel", 0, 0, self._parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setMinimumWidth(420)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._cancel)
        worker.signals.progress.connect(self._progress)
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(self._cancelled)
        self.worker, self.dialog = worker, dialog
        self.pool.start(worker)
        return worker

    def _cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            if self.dialog is not None:
                self.dialog.setLabelText("Cancelling…")

    def _progress(self, done: int, total: int, message: str) -> None:
        dialog = self.dialog
        if dialog is None or (self.worker and self.worker.is_cancelled()):
            return
        if message:
            dialog.setLabelText(message)
        dialog.setMaximum(max(total, 0))
        # last: on a modal dialog setValue processes events, which may deliver the job's end
        dialog.setValue(min(done, total) if total else 0)

    def _close(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self._cancel)
            self.dialog.close()
            self.dialog.deleteLater()
        self.worker, self.dialog = None, None

    def _finished(self, result: Any) -> None:
        callback = self._on_finished
        self._close()
        if callback:
            callback(result)

    def _failed(self, message: str) -> None:
        callback = self._on_failed
        self._close()
        if callback:
            callback(message)

    def _cancelled(self) -> None:
        callback = self._on_cancelled
        self._close()
        if callback:
            callback()
