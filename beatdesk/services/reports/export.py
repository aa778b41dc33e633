"""Writing a report file for those who may export performance reports (the CSV tables' rule).

The painter (the interface's PDF writer) writes to a temporary file beside the target; only a
complete, non-empty file is moved into place, so a failure leaves whatever was there before and no
half-written file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from beatdesk.services.actor import Actor
from beatdesk.services.errors import ServiceError, ValidationError
from beatdesk.services.permissions import Action, require


def check_target(actor: Actor, path: str | os.PathLike, what: str = "PDF") -> Path:
    """The file ``path`` the actor may write a report to, checked before any work is done."""
    require(actor, Action.EXPORT_REPORTS)
    if not str(path).strip():
        raise ValidationError(f"{what}: choose a file name.")
    path = Path(path)
    if path.is_dir():
        raise ValidationError(f"{what}: {path} is a folder; choose a file name.")
    if not path.parent.is_dir():
        raise ValidationError(f"{what}: the folder {path.parent} does not exist.")
    return path


def export_file(actor: Actor, path: str | os.PathLike, write: Callable[[Path], None], what: str = "PDF",
                magic: bytes = b"%PDF") -> Path:
    """Calls ``write(temporary)`` and moves the finished file to ``path``; returns ``path``.

    ``write`` raises, or leaves an empty file or one not starting with ``magic``: nothing is kept."""
    path = check_target(actor, path, what)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ServiceError(f"{what}: cannot write in {path.parent} ({exc.strerror}).") from None
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        with temporary.open("rb") as written:
            head = written.read(len(magic))
        if not head or not head.startswith(magic):
            raise ServiceError(f"{what}: could not write {path}; nothing was saved.")
        os.replace(temporary, path)
    except OSError as exc:
        raise ServiceError(f"{what}: cannot write {path} ({exc.strerror}).") from None
    finally:
        temporary.unlink(missing_ok=True)
    return path
