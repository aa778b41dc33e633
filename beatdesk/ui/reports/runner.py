"""Producing a report: the file is chosen and checked first, the data read on a worker thread (with a
progress dialog that can cancel it), and the PDF painted here on the interface's thread once it is in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from sqlalchemy import Engine

from beatdesk.services.actor import Actor
from beatdesk.services.errors import ServiceError
from beatdesk.ui.workers import JobRunner

PDF_FILTER = "PDF files (*.pdf);;All files (*)"


def ask_pdf_path(parent: QWidget, caption: str, suggested: str) -> str | None:
    """A file name to save a PDF to (".pdf" added when it has no extension), or None if cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, PDF_FILTER)
    if not path:
        return None
    if "." not in Path(path).name:
        path += ".pdf"
    return path


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text).lower().split())


class ReportRunner(QObject):
    """Runs one report at a time for ``parent``; says what happened through ``say(text)`` and, on a
    failure, a message box (``written`` / ``failed`` tell whoever else listens)."""

    written = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QWidget, engine: Engine, actor: Actor, say: Callable[[str], None] | None = None):
        super().__init__(parent)
        self.parent_widget, self.engine, self.actor = parent, engine, actor
        self.say = say or (lambda text: None)
        self.jobs = JobRunner(parent)

    @property
    def busy(self) -> bool:
        return self.jobs.busy

    def run(self, caption: str, path: str, build: Callable[..., object],
            write: Callable[[Actor, str, object], Path], what: str) -> bool:
        """Checks ``path``, reads ``build()`` off this thread, then ``write``s it; False if it cannot start."""
        from beatdesk.services.reports.export import check_target

        if self.busy:
            self._fail(caption, "A report is being made already; wait for it to finish.")
            return False
        try:
            check_target(self.actor, path)
        except ServiceError as exc:
            self._fail(caption, str(exc))
            return False

        def finished(data) -> None:
            try:
                written = write(self.actor, path, data)
            except ServiceError as exc:
                self._fail(caption, str(exc))
                return
            self.say(f"Wrote {what} to {written}.")
            self.written.emit(str(written))

        self.jobs.start(caption, build, on_finished=finished,
                        on_failed=lambda message: self._fail(caption, message),
                        on_cancelled=lambda: self.say(f"{caption}: cancelled; nothing was written."))
        return True

    def _fail(self, caption: str, message: str) -> None:
        self.say(message)
        self.failed.emit(message)
        QMessageBox.warning(self.parent_widget, caption, message)

    # ---- the two reports --------------------------------------------------------------------------------

    def beat_profile(self, beat_id: int, code: str, period, path: str) -> bool:
        from beatdesk.services.reports.profile import build_profile
        from beatdesk.ui.reports.beat_profile_pdf import write_beat_profile_pdf

        return self.run("Beat profile (PDF)", path,
                        lambda progress: build_profile(self.engine, self.actor, beat_id, period),
                        write_beat_profile_pdf, f"the beat profile of {code}")

    def area_report(self, level: str, area_id: int, name: str, period, path: str) -> bool:
        from beatdesk.services.reports.area_report import build_area_report
        from beatdesk.ui.reports.area_report_pdf import write_area_report_pdf

        return self.run("Area performance report (PDF)", path,
                        lambda progress: build_area_report(self.engine, self.actor, level, area_id, period,
                                                           progress=progress),
                        write_area_report_pdf, f"the performance report of {name}")
