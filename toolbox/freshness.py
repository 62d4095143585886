"""Per-user page data in the cache, never served after the change that made it wrong.

Every user has a *generation*: a random token in the cache that is replaced, once a change
commits, whenever something their pages show may have changed (`users_changed`; the
learning app's signal receivers and the services' bulk writes call it). Page data is cached
together with the generations it was built under (`cached_for_users`) and used only while
they are all still current, so the first request after a change rebuilds it from the
database. One more generation, `everyone_changed`, covers rare changes that touch every
page at once (a badge's name, a school's time zone).

Why this is safe:
- A generation is replaced once the change commits, so a page built after that reads the
  committed data, and a page built before it is stored under an older generation and never
  matches again, even if it is stored later. (It is also replaced at the change itself, so
  that a page read later in the same transaction sees the change too.)
- A generation that is missing (never set, evicted, or Redis restarted empty) is created
  afresh before the page is built, so no data stored under an older one can match it.
- Keys hold the code's version (`code_version`), so a release never reads data the code
  before it stored, whose shape may differ.
- Page data also expires after `PAGE_DATA_TIMEOUT`: the bound on staleness if replacing a
  generation ever fails while reads still work (the cache skips writes when Redis does not
  answer, see toolbox/cache.py). While Redis is down entirely, pages read the database.

Only data is cached, never a decision that depends on the clock: callers keep anything
that changes with time alone (due dates passing, a new school day) out of the cached value
and work it out on every request.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

GENERATION_TIMEOUT = 60 * 60 * 24 * 30
PAGE_DATA_TIMEOUT = 60 * 10
EVERYONE_KEY = "freshness:everyone"
CODE_SUFFIXES = frozenset({".html", ".py", ".txt"})


@functools.cache
def code_version() -> str:
    """A digest of the project's templates and modules and of Django's version: part of
    every key of cached page data and fragments, so that a release never reads what the
    code before it stored (another shape of data, other markup)."""
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=16)
    base = Path(settings.BASE_DIR)
    for folder in (base / "templates", base / "toolbox"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def generation_key(user_id: int) -> str:
    return f"freshness:user:{user_id}"


def _replace_generations(keys: list[str]) -> None:
    token = uuid.uuid4().hex
    cache.set_many(dict.fromkeys(keys, token), timeout=GENERATION_TIMEOUT)


def _replace_now_and_after_commit(keys: list[str]) -> None:
    """Now, so that a page read later in the same transaction sees the change; and again
    once it commits, so that a page another request built from the data as it was before
    the commit is not kept. A rolled-back change costs a rebuild, nothing more."""
    if not keys:
        return
    _replace_generations(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _replace_generations(keys))


def users_changed(*, user_ids: Iterable[int | None]) -> None:
    """What these users' pages show has changed: their cached page data is rebuilt on
    their next request."""
    _replace_now_and_after_commit(sorted({generation_key(user_id) for user_id in user_ids if user_id is not None}))


def everyone_changed() -> None:
    _replace_now_and_after_commit([EVERYONE_KEY])


def _current_generations(keys: list[str], found: dict[str, Any]) -> tuple[str, ...] | None:
    """The generations of `keys`, creating any that is missing; None if the cache cannot
    keep them (Redis down), in which case nothing may be served from it."""
    if all(key in found for key in keys):
        return tuple(found[key] for key in keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, timeout=GENERATION_TIMEOUT)
    again = cache.get_many(keys)
    if not all(key in again for key in keys):
        return None
    return tuple(again[key] for key in keys)


def cached_for_users(*, key: str, user_ids: Sequence[int], build: Callable[[], T]) -> T:
    """`build()`, or what it returned before if none of these users' generations (nor
    everyone's) has changed since. `key` names the data and everything it depends on
    besides those users (`"student-home:42"`, `"lesson:42:7"`): one cache round trip on a hit."""
    generation_keys = [*(generation_key(user_id) for user_id in user_ids), EVERYONE_KEY]
    data_key = f"freshness:data:{code_version()}:{key}"
    found = cache.get_many([*generation_keys, data_key])
    generations = _current_generations(generation_keys, found)
    if generations is None:
        return build()
    stored = found.get(data_key)
    if stored is not None and stored[0] == generations:
        return stored[1]
    value = build()
    cache.set(data_key, (generations, value), timeout=PAGE_DATA_TIMEOUT)
    return value
