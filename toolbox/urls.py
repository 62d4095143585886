"""The site's URLs: one prefix per surface."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from toolbox.accounts.views import clerk_webhook
from toolbox.api.main import api
from toolbox.health import healthz, ping

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="accounts:home", permanent=False), name="root"),
    path("accounts/", include("toolbox.accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
    path("api/v1/", api.urls),
    path("webhooks/clerk/", clerk_webhook, name="clerk_webhook"),
    path("educator/", include("toolbox.educators.urls")),
    path("student/", include("toolbox.students.urls")),
    path("parent/", include("toolbox.parents.urls")),
]

handler400 = "toolbox.middleware.bad_request"
handler403 = "toolbox.accounts.errors.permission_denied"
handler404 = "toolbox.accounts.errors.page_not_found"
handler500 = "toolbox.accounts.errors.server_error"
