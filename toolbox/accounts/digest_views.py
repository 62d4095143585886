"""The weekly digest's unsubscribe page. It works without signing in: the signed token in
the link names the parent. GET asks to confirm (link scanners that open links change
nothing); POST unsubscribes, which is also what a mail client's one-click unsubscribe sends."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from toolbox.accounts.services import parent_digest_preference_set
from toolbox.learning.digests import parent_for_unsubscribe_token


@never_cache
@csrf_exempt  # The signed token, not a session, authorises this; mail clients post without a CSRF token.
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    parent = parent_for_unsubscribe_token(token)
    if parent is None:
        return render(request, "accounts/digest_unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        parent_digest_preference_set(parent=parent, enabled=False)
        return render(request, "accounts/digest_unsubscribe.html", {"done": True})
    return render(request, "accounts/digest_unsubscribe.html", {"parent": parent})
