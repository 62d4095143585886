"""The offline content-safety check: a word list, matched on whole words.

It flags for the reviewer; it never blocks. A history lesson may rightly mention war and
death, so the list holds words that have no place in school material, by category.
"""

from __future__ import annotations

import re

UNSAFE_WORDS: dict[str, frozenset[str]] = {
    "profanity": frozenset({"fuck", "fucking", "shit", "bitch", "bastard", "asshole", "cunt", "dickhead", "wanker"}),
    "sexual": frozenset({"porn", "porno", "pornography", "nude", "nudes", "sexting", "orgasm", "erotic", "xxx"}),
    "self-harm": frozenset({"suicide", "self-harm", "selfharm", "cutting yourself", "kill yourself", "kys"}),
    "drugs": frozenset({"cocaine", "heroin", "meth", "methamphetamine", "ecstasy", "lsd"}),
    "hate": frozenset({"nigger", "faggot", "retard", "kike", "spic", "chink", "tranny"}),
    "weapons": frozenset({"pipe bomb", "make a bomb", "build a bomb", "3d-printed gun"}),
}

_PATTERNS = {
    category: re.compile(r"\b(?:" + "|".join(re.escape(word) for word in sorted(words)) + r")\b", re.IGNORECASE)
    for category, words in UNSAFE_WORDS.items()
}


def flag_unsafe_words(text: str) -> list[str]:
    return [category for category, pattern in _PATTERNS.items() if pattern.search(text)]
