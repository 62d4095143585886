"""Page-number pagination over a queryset (in two queries: count, slice), a list or a Django Page."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.core.paginator import Page
from django.db.models import Model, QuerySet

from toolbox.api.schemas import PageQuery

ModelT = TypeVar("ModelT", bound=Model)
ItemT = TypeVar("ItemT")


def page_body(*, items: Iterable[Any], count: int, query: PageQuery) -> dict[str, Any]:
    item_list = list(items)
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "has_next": (query.page - 1) * query.page_size + len(item_list) < count,
        "items": item_list,
    }


def paginate(
    queryset: QuerySet[ModelT], query: PageQuery, shape: Callable[[ModelT], Any] | None = None
) -> dict[str, Any]:
    """One page of an ordered queryset; a page past the end is empty, not an error."""
    offset = (query.page - 1) * query.page_size
    count = queryset.count()
    rows = list(queryset[offset : offset + query.page_size]) if offset < count else []
    return page_body(items=[shape(row) for row in rows] if shape else rows, count=count, query=query)


def paginate_list(items: Sequence[ItemT], query: PageQuery) -> dict[str, Any]:
    """One page of a list already in order (as `paginate` cuts a queryset)."""
    offset = (query.page - 1) * query.page_size
    return page_body(items=items[offset : offset + query.page_size], count=len(items), query=query)


def from_django_page(page: Page[ItemT], shape: Callable[[ItemT], Any] | None = None) -> dict[str, Any]:
    """A Page a domain selector already cut (its page number is clamped to the last page)."""
    rows = list(page.object_list)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": page.paginator.per_page,
        "has_next": page.has_next(),
        "items": [shape(row) for row in rows] if shape else rows,
    }
