"""`{% cachedfragment %}`: a part of a page rendered once per distinct data, from that data
alone, so that what it serves is exactly what rendering it again would give."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.template.base import NodeList, TextNode
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import StudentFactory
from toolbox.ui.templatetags.fragments import FRAGMENTS, CachedFragmentNode

PAGE = Template(
    "{% load fragments %}<p>{{ request.user.username }}</p>"
    '{% cachedfragment "card" card=card %}<h2>{{ card.title }}</h2>'
    '<time>{{ card.due_at|date:"j M H:i" }}</time><i>{{ request.user.username }}</i>{% csrf_token %}'
    "{% endcachedfragment %}"
)


@dataclass(frozen=True)
class Card:
    title: str
    due_at: dt.datetime


def render(card: Card, **context: object) -> str:
    return PAGE.render(Context({"card": card, **context}))


@pytest.fixture(autouse=True)
def _empty_fragments() -> None:
    FRAGMENTS.clear()


def test_equal_data_is_rendered_once_and_different_data_renders_afresh() -> None:
    due = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)

    first = render(Card("Cells", due))
    again = render(Card("Cells", due))
    changed = render(Card("Cells & tissues", due))

    assert first == again == "<p></p><h2>Cells</h2><time>2 Mar 09:30</time><i></i>"
    assert changed == "<p></p><h2>Cells &amp; tissues</h2><time>2 Mar 09:30</time><i></i>"
    assert len(FRAGMENTS._cache) == 2  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_fragment_sees_only_the_values_it_is_given() -> None:
    """No user, no CSRF token, nothing of the request: a fragment cached for one student
    can never show another's name or token."""
    request = RequestFactory().get("/")
    request.user = StudentFactory(username="ada")
    card = Card("Cells", dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))

    html = PAGE.render(Context({"card": card, "request": request, "csrf_token": "secret"}))

    assert html == "<p>ada</p><h2>Cells</h2><time>2 Mar 09:30</time><i></i>"


def test_a_fragment_rendered_by_another_process_is_reused() -> None:
    """Shared through Redis: a student's fragment is rendered once, not once per worker."""
    card = Card("Cells", dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
    rendered = render(card)
    FRAGMENTS.clear()  # another process: nothing in its own memory
    (fragment,) = PAGE.nodelist.get_nodes_by_type(CachedFragmentNode)
    assert isinstance(fragment, CachedFragmentNode)
    body, fragment.nodelist = fragment.nodelist, NodeList([TextNode("rendered again")])
    try:
        assert render(card) == rendered
        assert "rendered again" in render(Card("Tissues", card.due_at))
    finally:
        fragment.nodelist = body


def test_the_time_zone_is_part_of_what_is_cached() -> None:
    card = Card("Cells", dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))

    with timezone.override("Asia/Tokyo"):
        tokyo = render(card)
    utc = render(card)

    assert "<time>2 Mar 18:30</time>" in tokyo
    assert "<time>2 Mar 09:30</time>" in utc


def test_the_tag_wants_a_name_and_named_values() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template('{% load fragments %}{% cachedfragment "x" %}{% endcachedfragment %}')
    with pytest.raises(TemplateSyntaxError):
        Template('{% load fragments %}{% cachedfragment "x" card %}{% endcachedfragment %}')
