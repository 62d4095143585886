"""The Django admin is the admin role's console: only that role gets in."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from toolbox.accounts import permissions


class ToolBoxAdminSite(admin.AdminSite):
    site_header = "ToolBox administration"
    site_title = "ToolBox admin"
    index_title = "Run the school"

    def has_permission(self, request: HttpRequest) -> bool:
        return permissions.can_use_admin_site(request.user)  # pyright: ignore[reportArgumentType]
