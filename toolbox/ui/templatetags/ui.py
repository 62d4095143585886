"""Filters that turn numbers into the stylesheet's classes.

The Content-Security-Policy forbids inline styles, so a bar's width or a heat-map cell's
colour comes from a class: `{% load ui %}` then `class="bar-fill {{ 40|width_class }}"`
(→ `w-40`) or `class="heat {{ mastery|heat_class }}"` (→ `heat-7`).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from django import template
from django.core.paginator import Page

register = template.Library()


def _percent(value: object, total: object = None) -> float | None:
    try:
        number = float(Decimal(str(value)))
        if total not in (None, ""):
            whole = float(Decimal(str(total)))
            if whole == 0:
                return 0.0
            number = number * 100 / whole
    except (InvalidOperation, ValueError, TypeError):
        return None
    return min(max(number, 0.0), 100.0)


@register.filter
def width_class(value: object, total: object = None) -> str:
    """A percentage (or `value|width_class:total`) as `w-0` … `w-100` in steps of 5.
    Anything above zero shows at least a sliver (`w-5`) so that progress is never hidden."""
    percent = _percent(value, total)
    if percent is None or percent <= 0:
        return "w-0"
    return f"w-{max(5, round(percent / 5) * 5)}"


@register.filter
def heat_class(value: object, total: object = None) -> str:
    """A percentage (or `value|heat_class:total`) as `heat-0` … `heat-10`; no value gives
    `heat-none` (not yet measured, which is not the same as zero)."""
    if value is None or value == "":
        return "heat-none"
    percent = _percent(value, total)
    if percent is None:
        return "heat-none"
    return f"heat-{int(percent // 10)}"


@register.filter
def percent_of(value: object, total: object) -> int:
    """`value` as a whole percentage of `total` (0 when `total` is 0), for aria-valuenow."""
    percent = _percent(value, total)
    return 0 if percent is None else round(percent)


@register.filter
def initials(name: object) -> str:
    """Up to two initials for an avatar: "Ada Lovelace" → "AL"."""
    words = [word for word in str(name or "").split() if word]
    return "".join(word[0] for word in words[:2]).upper() or "?"


@register.filter
def elided_page_range(page: Page) -> Iterator[int | str]:
    """Page numbers around the current page with "…" gaps: 1 … 4 5 6 … 20."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
