from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "toolbox.classroom"
    label = "classroom"
    verbose_name = "Classes and rosters"
