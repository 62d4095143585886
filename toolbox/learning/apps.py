from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "toolbox.learning"
    label = "learning"
    verbose_name = "Assignments, attempts and progress"
