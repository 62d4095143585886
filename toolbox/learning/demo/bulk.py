"""Bulk inserts that keep the times the demo history says things happened."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models

BATCH_SIZE = 5000


@contextmanager
def historical_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Lets bulk inserts set auto_now / auto_now_add fields themselves while it lasts.

    A history written in one run would otherwise claim that eight weeks of work all happened
    this minute. Every insert made inside must give those fields a value.
    """
    fields = [
        field
        for model in model_classes
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]  # type: ignore[attr-defined]
    for field in fields:
        field.auto_now = False  # type: ignore[attr-defined]
        field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now = auto_now  # type: ignore[attr-defined]
            field.auto_now_add = auto_now_add  # type: ignore[attr-defined]
