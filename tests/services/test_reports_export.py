"""Writing a report file: only for those who may export reports, checked before any work, and all or
nothing (a failed write leaves no file and whatever was at the path before)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from beatdesk.services.actor import Actor
from beatdesk.services.errors import PermissionDenied, ServiceError, ValidationError
from beatdesk.services.reports.export import check_target, export_file

INSPECTOR = Actor("insp", "Inspector", None)


def _pdf(path):
    path.write_bytes(b"%PDF-1.4 a report")


def test_a_finished_file_is_moved_into_place(admin, tmp_path):
    target = tmp_path / "profile.pdf"
    assert export_file(admin, target, _pdf) == target
    assert export_file(INSPECTOR, target, _pdf) == target  # overwrites
    assert target.read_bytes() == b"%PDF-1.4 a report"
    assert [p.name for p in tmp_path.iterdir()] == ["profile.pdf"]


def test_only_those_who_may_export_reports_write_them(tmp_path):
    for role in ("PC", "PCSO", "Sergeant", "Staff"):
        with pytest.raises(PermissionDenied, match="may not export performance tables and reports"):
            export_file(Actor("someone", role, None), tmp_path / "x.pdf", _pdf)
    assert list(tmp_path.iterdir()) == []


def test_bad_paths_are_refused_before_any_work(admin, tmp_path):
    called = []
    for path, message in ((tmp_path, "is a folder; choose a file name"),
                          (tmp_path / "missing" / "x.pdf", "the folder .* does not exist"),
                          ("", "choose a file name")):
        with pytest.raises(ValidationError, match=message):
            export_file(admin, path, called.append)
        with pytest.raises(ValidationError, match=message):
            check_target(admin, path)
    assert called == [] and list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_nothing_and_keeps_what_was_there(admin, tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF the old one")

    def broken(path):
        path.write_bytes(b"%PDF half")
        raise ServiceError("PDF: the painter gave up.")

    with pytest.raises(ServiceError, match="the painter gave up"):
        export_file(admin, target, broken)
    with pytest.raises(ServiceError, match="could not write .*nothing was saved"):
        export_file(admin, target, lambda path: path.write_bytes(b""))
    with pytest.raises(ServiceError, match="could not write"):
        export_file(admin, target, lambda path: path.write_bytes(b"<html>not a pdf"))
    assert target.read_bytes() == b"%PDF the old one"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_an_unwritable_folder_is_a_clear_error(admin, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        folder = locked if not os.access(locked, os.W_OK) else Path("/proc")  # root writes anywhere but /proc
        if not folder.is_dir():
            pytest.skip("no folder here that this user may not write in")
        with pytest.raises(ServiceError, match=f"PDF: cannot write in {folder}"):
            export_file(admin, folder / "beatdesk-report.pdf", _pdf)
        assert not (folder / "beatdesk-report.pdf").exists()
    finally:
        locked.chmod(0o700)
    assert list(locked.iterdir()) == []
