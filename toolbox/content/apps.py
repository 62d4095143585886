from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "toolbox.content"
    label = "content"
    verbose_name = "Lessons and quizzes"
