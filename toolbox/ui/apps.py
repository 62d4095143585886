from django.apps import AppConfig


class UiConfig(AppConfig):
    """Template filters shared by every page (no models, no views)."""

    name = "toolbox.ui"
    label = "ui"
