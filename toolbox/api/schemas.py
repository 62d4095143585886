"""Schemas shared by every router: the error body and the caller."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class FieldErrorOut(Schema):
    field: str = Field(description="The request field at fault, dotted for nested fields.")
    message: str
    type: str = ""


class ErrorOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"detail": "That class code does not match an open class.", "code": "not_found", "errors": []},
                {
                    "detail": "Some fields are invalid: name.",
                    "code": "validation_error",
                    "errors": [{"field": "name", "message": "Field required", "type": "missing"}],
                },
            ]
        }
    )

    detail: str = Field(description="A sentence a person can act on.")
    code: str = Field(description="A stable, machine-readable code, e.g. not_found or validation_error.")
    errors: list[dict[str, Any]] = Field(default_factory=list, description="Per-field or per-row errors.")


# The error responses an authenticated operation can give; routers add 404/409 as they apply.
AUTH_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def responses(ok: dict[int, Any], *extra_codes: int) -> dict[int, Any]:
    """An operation's response map: its success schemas, the common errors, and extras."""
    result: dict[int, Any] = dict(ok)
    result.update(AUTH_ERRORS)
    for code in extra_codes:
        result[code] = ErrorOut
    return result
