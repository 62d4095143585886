from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "toolbox.students"
    label = "students"
