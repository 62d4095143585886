"""What the educator's class pages share: finding a class the educator teaches (else 404)
and showing times in the school's time zone."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom

ViewFunction = TypeVar("ViewFunction", bound=Callable[..., HttpResponse])

CLASS_NOT_FOUND = "This class does not exist, or you do not teach it."


def educator_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def classroom_for_teacher(request: HttpRequest, pk: int) -> Classroom:
    """The class with this id when the signed-in educator teaches it; otherwise 404, so
    that another teacher's class ids leak nothing."""
    classroom = Classroom.objects.select_related("school").filter(pk=pk).first()
    if classroom is None or not permissions.can_edit_classroom(educator_of(request), classroom):
        raise Http404(CLASS_NOT_FOUND)
    return classroom


def in_school_time_zone(view: ViewFunction) -> ViewFunction:
    """Dates typed into forms and shown on the page are in the school's time zone, not the
    server's, so "due Friday 17:00" means 17:00 where the school is."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        school = getattr(request.user, "school", None)
        if school is None:
            return view(request, *args, **kwargs)
        with timezone.override(school.tzinfo):
            return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def class_crumbs(classroom: Classroom, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("educators:home")),
        ("Classes", reverse("educators:class_list")),
        (classroom.name, reverse("educators:class_detail", args=[classroom.pk])),
        *more,
    ]
