from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "toolbox.content"
    label = "content"
    verbose_name = "Lessons and quizzes"

    def ready(self) -> None:
        from toolbox.content import signals  # noqa: F401  (connects the receivers)
