"""Page helpers shared by every surface (educators, students, parents).

- `role_required(role)`: each role's pages are for that role only, decided by the
  permissions module.
- `render_page_or_fragment(...)`: one view answers a full page, or just the fragment that an
  HTMX request swaps in.
- `domain_errors_to_form(form)` and `domain_errors_as_messages`: a `DomainError` raised by
  a service becomes a form error or a flash message instead of a 500; `NotFoundError`
  becomes the 404 page (an object the caller may not see leaks nothing).
- `not_found_as_404()`: the same for a selector call alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from toolbox.accounts import permissions
from toolbox.errors import DomainError, NotFoundError

ViewFunction = TypeVar("ViewFunction", bound=Callable[..., HttpResponse])

_ROLE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "student": permissions.is_student,
    "educator": permissions.is_educator,
    "parent": permissions.is_parent,
    "admin": permissions.is_admin,
}

MESSAGES_FRAGMENT = "includes/messages.html"


def role_required(role: str) -> Callable[[ViewFunction], ViewFunction]:
    """Anonymous visitors are sent to sign in; signed-in users of another role get 403."""
    check = _ROLE_CHECKS[role]

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied(f"This page is for {role}s.")
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


# --- HTMX ---------------------------------------------------------------------------------


def is_htmx(request: HttpRequest) -> bool:
    """True for a request htmx made (it sends `HX-Request: true`), except a history restore,
    which needs the whole page because the browser lost its cached copy."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def render_page_or_fragment(
    request: HttpRequest,
    template: str,
    fragment_template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """The full page for a normal request, only `fragment_template` for an HTMX request.

    The page template includes the fragment template where the fragment belongs, so both
    answers render the same markup from the same context and the page works without JS.
    """
    chosen = fragment_template if is_htmx(request) else template
    response = render(request, chosen, dict(context or {}), status=status)
    response.headers["Vary"] = _vary_with(response.headers.get("Vary", ""), "HX-Request")
    return response


def _vary_with(existing: str, header: str) -> str:
    names = [name.strip() for name in existing.split(",") if name.strip()]
    if header.lower() not in (name.lower() for name in names):
        names.append(header)
    return ", ".join(names)


# --- Domain errors on pages -----------------------------------------------------------------


def form_add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Put a service's message next to the field it names, or at the top of the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    for detail in error.errors:
        detail_field = detail.get("field")
        message = str(detail.get("message") or "")
        if message:
            form.add_error(detail_field if detail_field in form.fields else None, message)  # type: ignore[arg-type]


@contextmanager
def not_found_as_404() -> Iterator[None]:
    """A `NotFoundError` from the selector or service called inside becomes the 404 page.

    with not_found_as_404():
        job = generation_job_detail(user=request.user, job_id=pk)
    """
    try:
        yield
    except NotFoundError as error:
        raise Http404(error.message) from error


@contextmanager
def domain_errors_to_form(form: forms.BaseForm) -> Iterator[None]:
    """Run a service; a `DomainError` it raises becomes an error on `form`.

        with domain_errors_to_form(form):
            classroom = classroom_create(actor=request.user, **form.cleaned_data)
            return redirect(classroom)
        return render(request, "educators/class_form.html", {"form": form}, status=422)

    `NotFoundError` is not a form problem: it becomes the 404 page.
    """
    try:
        yield
    except NotFoundError as error:
        raise Http404(error.message) from error
    except DomainError as error:
        form_add_domain_error(form, error)


def domain_errors_as_messages(view: ViewFunction) -> ViewFunction:
    """For action views with no form to redisplay (archive, approve, regenerate a code…).

    A `DomainError` becomes an error flash message and the visitor goes back where they came
    from (the Referer when it is ours, else their home page). For an HTMX request the answer is
    the messages fragment, status 422, retargeted to the page's `#messages` region (htmx is
    configured in base.html to swap 422 answers). `NotFoundError` becomes the 404 page.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFoundError as error:
            raise Http404(error.message) from error
        except DomainError as error:
            messages.error(request, error.message)
            if is_htmx(request):
                body = render_to_string(MESSAGES_FRAGMENT, {"messages": messages.get_messages(request)}, request)
                response = HttpResponse(body, status=422)
                response.headers["HX-Retarget"] = "#messages"
                response.headers["HX-Reswap"] = "innerHTML"
                return response
            return HttpResponseRedirect(_back_url(request))

    return wrapped  # type: ignore[return-value]


def _back_url(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("accounts:home")
