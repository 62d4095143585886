from __future__ import annotations

import pytest
from pytest_django import Settings


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    """Factories hash a password per user; with the production hasher the 200-student
    query-budget cases would take minutes on a shared machine."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
