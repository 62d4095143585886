"""`{% cachedfragment %}`: render a part of a page once per distinct data.

    {% load fragments %}
    {% cachedfragment "student-home-work" todo=home.todo results=home.recent_results %}
      … markup that uses only `todo` and `results` …
    {% endcachedfragment %}

The body is rendered with a context that holds only the names given, so it cannot show
anything else (the signed-in user, a CSRF token, the time): whatever it shows comes from
those values. Its output is cached under a digest of everything that decides the markup:
the tag's place (template and position), the values' content (their pickle), the language,
the time zone, the URL prefix, autoescaping, and the code itself (every template and module of the project,
and Django's version), so that another release never serves a fragment this one did not
render. Equal inputs give the same HTML, so a cached fragment is never out of date; it is
only skipped work, shared by every process through Redis with a copy in each process.

Worth it for a large fragment rendered again and again from data that changes rarely (a
student's home page, whose data is itself cached per student: toolbox/freshness.py).
"""

from __future__ import annotations

import hashlib
import pickle

from django import template
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.template.context import Context
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from toolbox.freshness import code_version

register = template.Library()

FRAGMENT_TIMEOUT = 60 * 10
# The copy in this process's memory spares a round trip to Redis for a page asked for again.
FRAGMENTS = LocMemCache("toolbox-fragments", {"OPTIONS": {"MAX_ENTRIES": 2000}})


class CachedFragmentNode(Node):
    def __init__(self, name: FilterExpression, values: dict[str, FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        values = {name: expression.resolve(context) for name, expression in self.values.items()}
        setting = (
            code_version(),
            # Where the tag stands, so that two fragments never share a key by their names.
            self.origin.name if self.origin else "",
            self.token.position if self.token else None,
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
            html = cache.get(key)
            if html is None:
                html = str(self.nodelist.render(context.new(values)))
                cache.set(key, html, timeout=FRAGMENT_TIMEOUT)
            FRAGMENTS.set(key, html, timeout=FRAGMENT_TIMEOUT)
        return mark_safe(html)  # The body's own rendering escaped it.


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
