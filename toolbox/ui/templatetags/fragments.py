"""`{% cachedfragment %}`: render a part of a page once per distinct data.

    {% load fragments %}
    {% cachedfragment "student-home-work" todo=home.todo results=home.recent_results %}
      … markup that uses only `todo` and `results` …
    {% endcachedfragment %}

The body is rendered with a context that holds only the names given, so it cannot show
anything else (the signed-in user, a CSRF token, the time): whatever it shows comes from
those values. Its output is kept in this process's memory, keyed by the fragment's name,
the values' content (a digest of their pickle), and what else decides the markup: the
language, the time zone, the URL prefix and autoescaping. Equal values give the same HTML,
so a cached fragment is never out of date; it is only skipped work. The cache lives and
dies with the process, so a deploy (new templates or code) starts empty.

Worth it for a large fragment rendered again and again from data that changes rarely (a
student's home page, whose data is itself cached per student: toolbox/freshness.py).
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any

from django import template
from django.core.cache.backends.locmem import LocMemCache
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.template.context import Context
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# In this process's memory: a deploy (new templates, new code) starts empty.
FRAGMENTS = LocMemCache("toolbox-fragments", {"OPTIONS": {"MAX_ENTRIES": 2000}})


class CachedFragmentNode(Node):
    def __init__(self, name: FilterExpression, values: dict[str, FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        values = {name: expression.resolve(context) for name, expression in self.values.items()}
        setting = (
            str(self.name.resolve(context)),
            translation.get_language(),
            timezone.get_current_timezone_name(),
            get_script_prefix(),
            context.autoescape,
        )
        digest = hashlib.blake2b(pickle.dumps((setting, values), protocol=pickle.HIGHEST_PROTOCOL), digest_size=20)
        key = f"fragment:{digest.hexdigest()}"
        html = FRAGMENTS.get(key)
        if html is None:
            html = self.nodelist.render(context.new(values))
            FRAGMENTS.set(key, str(html), timeout=None)
        return mark_safe(html)  # noqa: S308 — the body's own rendering escaped it.


@register.tag
def cachedfragment(parser: Parser, token: Token) -> CachedFragmentNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a fragment name and at least one name=value.")
    values: dict[str, FilterExpression] = {}
    for bit in bits[2:]:
        name, equals, expression = bit.partition("=")
        if not equals or not name.isidentifier():
            raise template.TemplateSyntaxError(f"{bits[0]} expects name=value pairs, not {bit!r}.")
        values[name] = parser.compile_filter(expression)
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(parser.compile_filter(bits[1]), values, nodelist)
