from django.apps import AppConfig


class EducatorsConfig(AppConfig):
    name = "toolbox.educators"
    label = "educators"
