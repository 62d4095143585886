from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from toolbox.accounts.mixins import role_required


@role_required("parent")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "parents/home.html", {})
