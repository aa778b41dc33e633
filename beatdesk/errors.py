"""Errors raised for the user to read: specific, and raised before anything is written.

They live outside `services` so that `geo` (which services use) can raise them too.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal the interface shows as it is: the message says what is wrong and what to do."""


class PermissionDenied(ServiceError):
    pass


class ValidationError(ServiceError):
    pass


class ImportFailed(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone else changed the record since it was read: reload and try again."""
