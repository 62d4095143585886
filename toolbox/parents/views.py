"""The parent's pages: an overview of each linked child, one child in depth, linking a child
with an invite code, and the weekly digest setting."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from toolbox.accounts.mixins import domain_errors_to_form, form_add_domain_error, not_found_as_404, role_required
from toolbox.accounts.models import User
from toolbox.accounts.services import parent_digest_preference_set
from toolbox.classroom.services import parent_invite_redeem
from toolbox.errors import DomainError
from toolbox.learning.selectors import child_detail, parent_overview
from toolbox.parents.forms import DigestSettingsForm, LinkChildForm
from toolbox.ui.charts import percent_line_chart


def _parent(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@role_required("parent")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "parents/home.html", {"children": parent_overview(parent=_parent(request))})


@role_required("parent")
def child(request: HttpRequest, student_id: int) -> HttpResponse:
    student = User.objects.filter(pk=student_id).first()
    if student is None:
        raise Http404("We could not find that child among the children linked to your account.")
    with not_found_as_404():
        detail = child_detail(parent=_parent(request), student=student)
    chart = percent_line_chart(
        [(week.week_starting.strftime("%-d %b"), float(week.average_percent)) for week in detail.weekly_scores]
    )
    return render(request, "parents/child.html", {"detail": detail, "chart": chart})


@role_required("parent")
def link_child(request: HttpRequest) -> HttpResponse:
    form = LinkChildForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            link = parent_invite_redeem(parent=_parent(request), code=form.cleaned_data["code"])
        except DomainError as error:
            # An unknown code is a typo to fix, not a missing page: say so by the field.
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"{link.student.name} is now linked to your account.")
            return redirect("parents:home")
    return render(request, "parents/link_child.html", {"form": form}, status=422 if form.errors else 200)


@role_required("parent")
def settings(request: HttpRequest) -> HttpResponse:
    parent = _parent(request)
    form = DigestSettingsForm(
        request.POST if request.method == "POST" else None, initial={"digest_opt_in": parent.digest_opt_in}
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_to_form(form):
            parent_digest_preference_set(parent=parent, enabled=form.cleaned_data["digest_opt_in"])
            state = "on" if parent.digest_opt_in else "off"
            messages.success(request, f"The weekly digest is {state}.")
            return redirect("parents:settings")
    return render(request, "parents/settings.html", {"form": form}, status=422 if form.errors else 200)
