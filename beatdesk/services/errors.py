"""The errors services raise (defined in ``beatdesk.errors``, which the lower layers share)."""

from beatdesk.errors import Conflict, ImportFailed, PermissionDenied, ServiceError, ValidationError

__all__ = ["Conflict", "ImportFailed", "PermissionDenied", "ServiceError", "ValidationError"]
