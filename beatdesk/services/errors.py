"""The errors services raise (defined in ``beatdesk.errors``, which the lower layers share)."""

from beatdesk.errors import ImportFailed, PermissionDenied, ServiceError, ValidationError

__all__ = ["ImportFailed", "PermissionDenied", "ServiceError", "ValidationError"]
