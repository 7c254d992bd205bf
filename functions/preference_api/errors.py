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


class StaleRead(DomainError):
    """Something a transaction was conditioned on changed after it was read; the caller re-reads and retries."""

    status = 409
    code = "conflict"


class Busy(DomainError):
    """DynamoDB kept answering with conflicts or throttling after our retries: try again shortly."""

    status = 503
    code = "busy"


class RateLimited(DomainError):
    """Too many confirmation messages for one address (no mail-bombing through the confirmation sender)."""

    status = 429
    code = "too_many_confirmations"


class NotSent(DomainError):
    """The confirmation message could not be handed to SES / End User Messaging; the request is kept."""

    status = 503
    code = "confirmation_not_sent"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


class OriginNotVerified(DomainError):
    """The request did not come through this stack's CloudFront distribution."""

    status = 403
    code = "forbidden"


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"


def field_error(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}
