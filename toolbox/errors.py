"""The one family of domain errors.

Services raise these with a sentence a person can act on; the API's exception handlers and
the page mixin turn them into responses in one place.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; nothing was changed."""

    code = "invalid"
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, errors: list[dict[str, object]] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or []


class InvalidInputError(DomainError):
    code = "validation_error"
    status_code = 422


class NotFoundError(DomainError):
    """The object does not exist, or the caller may not see it (ids leak nothing)."""

    code = "not_found"
    status_code = 404


class ForbiddenError(DomainError):
    code = "permission_denied"
    status_code = 403


class ConflictError(DomainError):
    """The request clashes with the current state (already submitted, limit reached, …)."""

    code = "conflict"
    status_code = 409


class RateLimitError(DomainError):
    code = "rate_limited"
    status_code = 429
