from django.apps import AppConfig


class AiConfig(AppConfig):
    name = "toolbox.ai"
    label = "ai"
    verbose_name = "AI content generation"
