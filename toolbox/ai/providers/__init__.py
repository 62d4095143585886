"""The provider switch: a model when OPENAI_API_KEY is set, the offline generator otherwise."""

from __future__ import annotations

from django.conf import settings

from toolbox.ai.providers.base import Provider
from toolbox.ai.providers.offline import OfflineProvider


def current_provider_name() -> str:
    return "openai" if settings.OPENAI_API_KEY else "offline"


def current_model_name() -> str:
    return settings.AI_MODEL if current_provider_name() == "openai" else OfflineProvider.model_name


def get_provider() -> Provider:
    if current_provider_name() == "openai":
        from toolbox.ai.providers.openai import OpenAIProvider

        return OpenAIProvider(
            api_key=settings.OPENAI_API_KEY,
            base_url=settings.OPENAI_BASE_URL,
            model_name=settings.AI_MODEL,
            timeout_seconds=settings.AI_REQUEST_TIMEOUT_SECONDS,
        )
    return OfflineProvider()
