"""Keeping students' personal data away from providers.

Before anything is sent to a provider, the names (full, display, first, last) and e-mail
addresses of the school's students found in the text become placeholders such as
[STUDENT_1]; the provider's answer gets the originals back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from toolbox.accounts.models import Role, User

PLACEHOLDER = re.compile(r"\[STUDENT_\d+(?:_[A-Z]+)?\]")


@dataclass
class Scrubber:
    """Replaces known personal strings with placeholders, and remembers how to undo it."""

    # (text to find, placeholder), longest text first so "Ada Lovelace" wins over "Ada".
    replacements: list[tuple[str, str]] = field(default_factory=list)
    originals: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_students(cls, students: Iterable[User]) -> Scrubber:
        pairs: list[tuple[str, str]] = []
        for number, student in enumerate(students, start=1):
            tag = f"STUDENT_{number}"
            full_name = f"{student.first_name} {student.last_name}".strip()
            parts = [
                (student.email, f"[{tag}_EMAIL]"),
                (full_name, f"[{tag}]"),
                (student.display_name, f"[{tag}_DISPLAY]"),
                (student.first_name, f"[{tag}_FIRST]"),
                (student.last_name, f"[{tag}_LAST]"),
            ]
            # A one-letter "name" would blank every "a" in the text; two letters is the floor.
            pairs.extend((text.strip(), placeholder) for text, placeholder in parts if len(text.strip()) >= 2)
        pairs.sort(key=lambda pair: -len(pair[0]))
        return cls(replacements=pairs)

    @classmethod
    def for_school(cls, school_id: int) -> Scrubber:
        students = User.objects.filter(school_id=school_id, role=Role.STUDENT).only(
            "first_name", "last_name", "display_name", "email"
        )
        return cls.for_students(students.order_by("pk"))

    def scrub(self, text: str) -> str:
        if not text or not self.replacements:
            return text
        lookup = {source.casefold(): placeholder for source, placeholder in reversed(self.replacements)}
        pattern = re.compile(
            r"(?<![\w@.])(?:" + "|".join(re.escape(source) for source, _ in self.replacements) + r")(?![\w@])",
            re.IGNORECASE,
        )

        def substitute(match: re.Match[str]) -> str:
            placeholder = lookup[match.group(0).casefold()]
            self.originals.setdefault(placeholder, match.group(0))
            return placeholder

        return pattern.sub(substitute, text)

    def restore(self, text: str) -> str:
        if not self.originals:
            return text
        return PLACEHOLDER.sub(lambda match: self.originals.get(match.group(0), match.group(0)), text)

    def restore_data(self, data: Any) -> Any:
        """Restore every string inside a JSON-like structure."""
        if isinstance(data, str):
            return self.restore(data)
        if isinstance(data, list):
            return [self.restore_data(item) for item in data]
        if isinstance(data, dict):
            return {key: self.restore_data(value) for key, value in data.items()}
        return data
