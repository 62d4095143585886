from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "toolbox.learning"
    label = "learning"
    verbose_name = "Assignments, attempts and progress"

    def ready(self) -> None:
        from toolbox.learning import signals  # noqa: F401  (connects the receivers)
