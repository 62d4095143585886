"""The educator's home: classes, what waits for review, what is due, what came in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from toolbox.accounts.mixins import role_required
from toolbox.educators.views._shared import educator_of, in_school_time_zone
from toolbox.learning.selectors import educator_home


@role_required("educator")
@in_school_time_zone
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "educators/home.html", {"home": educator_home(educator=educator_of(request))})
