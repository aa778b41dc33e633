"""Errors a service raises for the user to read: specific, and raised before anything is written."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal the interface shows as it is: the message says what is wrong and what to do."""


class PermissionDenied(ServiceError):
    pass


class ValidationError(ServiceError):
    pass


class ImportFailed(ServiceError):
    pass
