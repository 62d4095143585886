"""Installs ToolBox's admin site as the default one (kept apart from `admin_site` so that
loading the app config imports no models)."""

from django.contrib.admin.apps import AdminConfig


class ToolBoxAdminConfig(AdminConfig):
    default_site = "toolbox.admin_site.ToolBoxAdminSite"
