"""Operations about the service and the caller: health, version, me."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from toolbox.accounts.clerk import clerk_enabled
from toolbox.accounts.models import User
from toolbox.accounts.selectors import children_for_parent
from toolbox.api.schemas import responses
from toolbox.health import health_report

router = Router(tags=["system"])


class HealthOut(Schema):
    status: str = Field(examples=["ok"])
    checks: dict[str, dict[str, str]] = Field(
        examples=[
            {"database": {"status": "up", "backend": "postgresql"}, "cache": {"status": "up", "backend": "redis"}}
        ]
    )


class VersionOut(Schema):
    api_version: str = Field(examples=["1.0.0"])
    ai_provider: str = Field(examples=["offline"], description="offline or openai")
    clerk_enabled: bool


class SchoolOut(Schema):
    id: int = Field(examples=[1])
    name: str = Field(examples=["Riverside Middle School"])
    time_zone: str = Field(examples=["Europe/London"])


class ChildOut(Schema):
    id: int = Field(examples=[101])
    name: str = Field(examples=["Ada Lovelace"])
    grade_level: str = Field(examples=["7"])
    can_view_grades: bool = Field(examples=[True])


class MeOut(Schema):
    id: int = Field(examples=[42])
    username: str = Field(examples=["mrivera"])
    name: str = Field(examples=["Maria Rivera"])
    email: str = Field(examples=["mrivera@riverside.example"])
    role: str = Field(examples=["educator"], description="student, educator, parent or admin")
    school: SchoolOut | None
    children: list[ChildOut] = Field(default_factory=list, description="Linked children (parents only).")


@router.get(
    "/health",
    auth=None,
    response={200: HealthOut, 503: HealthOut},
    operation_id="get_health",
    summary="Service health",
    description="Whether the database, the cache and the task broker answer. 503 names what does not.",
)
def get_health(request: HttpRequest) -> Status[dict[str, object]]:
    body, healthy = health_report()
    return Status(200 if healthy else 503, body)


@router.get(
    "/version",
    auth=None,
    response={200: VersionOut},
    operation_id="get_version",
    summary="API version",
    description="The API version and which optional integrations this server has configured.",
)
def get_version(request: HttpRequest) -> dict[str, object]:
    return {
        "api_version": "1.0.0",
        "ai_provider": settings.AI_PROVIDER,
        "clerk_enabled": clerk_enabled(),
    }


@router.get(
    "/me",
    response=responses({200: MeOut}),
    operation_id="get_me",
    summary="The caller",
    description="Who is calling: their role, their school and, for parents, their linked children.",
)
def get_me(request: HttpRequest) -> dict[str, object]:
    user: User = request.auth  # type: ignore[attr-defined]
    school = user.school
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "school": {"id": school.pk, "name": school.name, "time_zone": school.time_zone} if school else None,
        "children": [
            {
                "id": link.student.pk,
                "name": link.student.name,
                "grade_level": link.student.grade_level,
                "can_view_grades": link.can_view_grades,
            }
            for link in children_for_parent(parent=user)
        ],
    }
