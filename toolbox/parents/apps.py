from django.apps import AppConfig


class ParentsConfig(AppConfig):
    name = "toolbox.parents"
    label = "parents"
