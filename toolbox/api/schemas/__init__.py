"""Schemas shared by every router: the error body, pagination and small shared shapes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Schema
from ninja.params import P, PathEx
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
# 400 is a body that is not JSON, or JSON with text that is not valid Unicode.
AUTH_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def responses(ok: dict[int, Any], *extra_codes: int) -> dict[int, Any]:
    """An operation's response map: its success schemas, the common errors, and extras."""
    result: dict[int, Any] = dict(ok)
    result.update(AUTH_ERRORS)
    for code in extra_codes:
        result[code] = ErrorOut
    return result


# Ids are bounded so that an absurd number is a validation error, never a database overflow.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = PathEx[int, P(ge=1, le=MAX_ID)]

GradeLevelName = Literal["K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


# Query parameters carry a single `example`: ninja copies a field's JSON-schema `examples`
# list onto the parameter, where OpenAPI wants a map, and client generators refuse it.
class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="1-based page number.", json_schema_extra={"example": 1})
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Items per page, at most {MAX_PAGE_SIZE}.",
        json_schema_extra={"example": 25},
    )


class PageOut(Schema):
    count: int = Field(description="How many items there are in all pages.", examples=[42])
    page: int = Field(examples=[1])
    page_size: int = Field(examples=[25])
    has_next: bool = Field(examples=[True])


class PersonOut(Schema):
    id: int = Field(examples=[42])
    name: str = Field(examples=["Maria Rivera"])


class NotesIn(Schema):
    notes: str = Field("", max_length=5000, description="What the reviewer says.", examples=["Clear and accurate."])


class MessageOut(Schema):
    detail: str = Field(examples=["Done."])
