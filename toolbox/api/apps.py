from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "toolbox.api"
    label = "api"
