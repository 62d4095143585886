"""Sign-in pages, the set-password page for imported students, the per-role landing
redirect, and the Clerk webhook."""

from __future__ import annotations

import json
from typing import Any

import structlog
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from svix.webhooks import Webhook, WebhookVerificationError

from toolbox.accounts.forms import ChoosePasswordForm, LoginForm
from toolbox.accounts.services import clerk_user_deactivate, clerk_user_sync
from toolbox.classroom.services import set_password_link_redeem
from toolbox.errors import DomainError

logger = structlog.get_logger(__name__)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@sensitive_post_parameters("password1", "password2")
@never_cache
def set_password(request: HttpRequest, token: str) -> HttpResponse:
    """A student created by a roster import chooses a password from a one-time link, and is
    signed in straight away."""
    form = ChoosePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = set_password_link_redeem(token=token, password=form.cleaned_data["password1"])
        except DomainError as error:
            form.add_error("password1" if error.field == "password" else None, error.message)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return HttpResponseRedirect(user.home_url)
    return render(request, "accounts/set_password.html", {"form": form})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own home after signing in."""
    return HttpResponseRedirect(request.user.home_url)  # type: ignore[union-attr]


def _webhook_error(detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, "errors": []}, status=400)


@csrf_exempt
@require_POST
def clerk_webhook(request: HttpRequest) -> HttpResponse:
    """Apply Clerk's user.created, user.updated and user.deleted events (Svix-signed)."""
    if not settings.CLERK_WEBHOOK_SECRET:
        return JsonResponse(
            {"detail": "Clerk webhooks are not configured.", "code": "not_configured", "errors": []}, status=404
        )
    try:
        Webhook(settings.CLERK_WEBHOOK_SECRET).verify(request.body, dict(request.headers.items()))
    except (WebhookVerificationError, ValueError) as error:
        # ValueError covers signatures and bodies too malformed for the verifier to parse.
        logger.warning("clerk_webhook_rejected", reason=str(error) or type(error).__name__)
        return _webhook_error("The webhook signature is invalid or too old.", "bad_signature")
    try:
        event = json.loads(request.body)
    except ValueError:
        logger.warning("clerk_webhook_rejected", reason="body is not JSON")
        return _webhook_error("The event body is not JSON.", "invalid")
    data = event.get("data") if isinstance(event, dict) else None
    if not isinstance(data, dict) or not data.get("id"):
        logger.warning("clerk_webhook_rejected", reason="event names no user")
        return _webhook_error("The event names no user.", "invalid")
    event_type = str(event.get("type") or "")
    clerk_user_id = str(data["id"])
    if event_type in ("user.created", "user.updated"):
        metadata = data.get("public_metadata")
        user = clerk_user_sync(
            clerk_user_id=clerk_user_id,
            email=_primary_email(data),
            first_name=str(data.get("first_name") or ""),
            last_name=str(data.get("last_name") or ""),
            username=str(data.get("username") or ""),
            public_metadata=metadata if isinstance(metadata, dict) else {},
        )
        logger.info("clerk_webhook_applied", event_type=event_type, user_id=user.pk)
    elif event_type == "user.deleted":
        deactivated = clerk_user_deactivate(clerk_user_id=clerk_user_id)
        logger.info("clerk_webhook_applied", event_type=event_type, user_id=deactivated.pk if deactivated else None)
    else:
        logger.info("clerk_webhook_ignored", event_type=event_type)
    return JsonResponse({"ok": True})


def _primary_email(data: dict[str, Any]) -> str:
    addresses = [address for address in data.get("email_addresses") or [] if isinstance(address, dict)]
    primary_id = data.get("primary_email_address_id")
    for address in addresses:
        if address.get("id") == primary_id:
            return str(address.get("email_address") or "")
    return str(addresses[0].get("email_address") or "") if addresses else ""
