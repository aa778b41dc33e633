"""The background job runner: results, the service's refusal, unexpected faults, and cancel."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from beatdesk.services.errors import ServiceError
from beatdesk.ui.workers import JobRunner


@pytest.fixture
def runner(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    return JobRunner(parent)


def run(runner, qtbot, fn, *args, **kwargs):
    outcome = {}
    runner.start(
        "Testing",
        fn,
        *args,
        on_finished=lambda result: outcome.setdefault("finished", result),
        on_failed=lambda message: outcome.setdefault("failed", message),
        on_cancelled=lambda: outcome.setdefault("cancelled", True),
        **kwargs,
    )
    return outcome


def test_result_comes_back_on_the_gui_thread(runner, qtbot):
    main = threading.get_ident()
    seen = {}

    def job(x, progress):
        seen["thread"] = threading.get_ident()
        progress(1, 2, "half way")
        return x * 2

    outcome = run(runner, qtbot, job, 21)
    qtbot.waitUntil(lambda: "finished" in outcome, timeout=5000)
    assert outcome == {"finished": 42}
    assert seen["thread"] != main
    assert not runner.busy


def test_service_refusal_is_passed_on_in_its_own_words(runner, qtbot):
    def job(progress):
        raise ServiceError("the ward file has no ward codes")

    outcome = run(runner, qtbot, job)
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == {"failed": "the ward file has no ward codes"}


def test_unexpected_fault_is_reported_plainly(runner, qtbot):
    def job(progress):
        raise KeyError("boom")

    outcome = run(runner, qtbot, job)
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert "unexpected error" in outcome["failed"] and "KeyError" in outcome["failed"]


def test_cancel_stops_a_progress_only_job(runner, qtbot):
    started = threading.Event()

    def job(progress):
        for i in range(1000):
            progress(i, 1000, f"step {i}")
            started.set()
            time.sleep(0.005)
        return "finished anyway"

    outcome = run(runner, qtbot, job)
    assert started.wait(5)
    runner.dialog.findChild(QPushButton).click()  # the user presses Cancel
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == {"cancelled": True}


def test_cancel_reaches_a_job_that_asks(runner, qtbot):
    class Cancelled(ServiceError):
        pass

    def job(progress, cancelled):
        for _ in range(2000):
            if cancelled():
                raise Cancelled("cancelled by the user")
            time.sleep(0.002)
        return "not cancelled"

    outcome = run(runner, qtbot, job, pass_cancelled=True)
    qtbot.wait(30)
    runner.worker.cancel()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == {"cancelled": True}


def test_one_job_at_a_time(runner, qtbot):
    gate = threading.Event()
    outcome = run(runner, qtbot, lambda progress: gate.wait(5))
    with pytest.raises(RuntimeError):
        run(runner, qtbot, lambda progress: None)
    gate.set()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
