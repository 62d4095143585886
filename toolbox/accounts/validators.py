"""Password rules beyond Django's own validators."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError


class UppercaseLetterValidator:
    """A password must contain at least one uppercase letter."""

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        if not any(character.isupper() for character in password):
            raise ValidationError(
                "This password needs at least one uppercase letter (A–Z).",
                code="password_no_uppercase",
            )

    def get_help_text(self) -> str:
        return "Your password must contain at least one uppercase letter."
