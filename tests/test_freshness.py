"""Cached page data per user (toolbox/freshness.py): reused while nothing changed, rebuilt
after any change, never served from a generation that is gone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

from toolbox import freshness
from toolbox.freshness import (
    EVERYONE_KEY,
    cached_for_users,
    code_version,
    everyone_changed,
    generation_key,
    users_changed,
)


class Counting:
    """A build function that says how often it ran and returns a new value each time."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> int:
        self.runs += 1
        return self.runs


def test_data_is_built_once_while_nothing_changes() -> None:
    build = Counting()

    values = [cached_for_users(key="page:1", user_ids=[1], build=build) for _ in range(3)]

    assert values == [1, 1, 1]
    assert build.runs == 1


def test_a_change_to_any_of_the_users_rebuilds_their_data_only() -> None:
    build, other = Counting(), Counting()
    cached_for_users(key="family:1", user_ids=[1, 2], build=build)
    cached_for_users(key="page:3", user_ids=[3], build=other)

    users_changed(user_ids=[2])

    assert cached_for_users(key="family:1", user_ids=[1, 2], build=build) == 2
    assert cached_for_users(key="page:3", user_ids=[3], build=other) == 1


def test_a_change_for_everyone_rebuilds_every_users_data() -> None:
    build = Counting()
    cached_for_users(key="page:1", user_ids=[1], build=build)

    everyone_changed()

    assert cached_for_users(key="page:1", user_ids=[1], build=build) == 2


@pytest.mark.parametrize("lost", [generation_key(1), EVERYONE_KEY])
def test_a_lost_generation_never_matches_data_stored_before(lost: str) -> None:
    """Redis may evict a generation or restart empty: the data stored under the old one must
    not be taken for current."""
    build = Counting()
    cached_for_users(key="page:1", user_ids=[1], build=build)

    cache.delete(lost)

    assert cached_for_users(key="page:1", user_ids=[1], build=build) == 2
    assert cached_for_users(key="page:1", user_ids=[1], build=build) == 2


@pytest.mark.django_db(transaction=True)
def test_a_change_replaces_the_generation_at_once_and_again_when_it_commits() -> None:
    """At once: later reads in the same transaction see the change. At commit: a page that
    another request built from the data before the commit is not kept."""
    cached_for_users(key="page:1", user_ids=[1], build=Counting())
    before = cache.get(generation_key(1))

    with transaction.atomic():
        users_changed(user_ids=[1])
        during = cache.get(generation_key(1))
        built_meanwhile = Counting()
        cached_for_users(key="page:1", user_ids=[1], build=built_meanwhile)
    after = cache.get(generation_key(1))

    assert len({before, during, after}) == 3
    assert cached_for_users(key="page:1", user_ids=[1], build=built_meanwhile) == 2


@pytest.mark.django_db(transaction=True)
def test_a_change_outside_a_transaction_replaces_the_generation_once(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.set(generation_key(1), "old")
    replaced: list[Any] = []
    set_many: Callable[..., Any] = cache.set_many

    def recording_set_many(data: dict[str, Any], **kwargs: Any) -> Any:
        replaced.append(list(data))
        return set_many(data, **kwargs)

    monkeypatch.setattr(cache, "set_many", recording_set_many)

    users_changed(user_ids=[1, None])

    assert replaced == [[generation_key(1)]]
    assert cache.get(generation_key(1)) != "old"


def test_without_a_working_cache_every_call_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Redis down: reads miss and writes are skipped (toolbox/cache.py); nothing cached may
    be served, so each page is built from the database."""
    monkeypatch.setattr(cache, "get_many", lambda keys, version=None: {})
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    build = Counting()

    assert [cached_for_users(key="page:1", user_ids=[1], build=build) for _ in range(2)] == [1, 2]


def test_data_stored_by_another_release_is_never_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A release may change the shape of the cached data: it must build its own."""
    build = Counting()
    cached_for_users(key="page:1", user_ids=[1], build=build)

    monkeypatch.setattr(freshness, "code_version", lambda: "the-next-release")

    assert cached_for_users(key="page:1", user_ids=[1], build=build) == 2


def test_the_code_version_changes_with_any_template_or_module(settings, tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "toolbox").mkdir()
    page = tmp_path / "templates" / "home.html"
    page.write_text("<h2>{{ card.title }}</h2>")
    module = tmp_path / "toolbox" / "filters.py"
    module.write_text("def title(value): return value\n")
    settings.BASE_DIR = tmp_path
    version = code_version.__wrapped__

    first = version()
    page.write_text("<h3>{{ card.title }}</h3>")
    second = version()
    module.write_text("def title(value): return value.upper()\n")

    assert len({first, second, version()}) == 3
