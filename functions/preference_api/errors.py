"""Domain errors. handler._error_response is the single place that turns them into HTTP responses."""
from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "bad_request"


class CenterNotFound(DomainError):
    status = 404
    code = "not_found"


class WrongAudience(DomainError):
    """A genuine token used for another center or another purpose."""

    status = 403
    code = "token_invalid"


class ValidationFailed(DomainError):
    status = 400
    code = "validation_failed"

    def __init__(self, fields: dict[str, dict[str, str]]):
        self.fields = fields
        super().__init__(", ".join(sorted(fields)))


class VersionConflict(DomainError):
    status = 409
    code = "version_conflict"

    def __init__(self, current_version: int):
        self.current_version = current_version
        super().__init__(f"current version is {current_version}")


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"


def field_error(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}
