"""Bulk inserts: fast on PostgreSQL, and keeping the times the demo history says things happened."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

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


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` new rows, drawn from the table's sequence on PostgreSQL."""
    if count == 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column if meta.pk else "id", count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        last = model._default_manager.aggregate(last=models.Max("pk"))["last"] or 0
        return list(range(last + 1, last + 1 + count))


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Inserts plain rows (values for `columns`, attribute names, no primary key) without
    building a model object for each: for the millions of answers, making Answer objects
    alone took a quarter of the seeding time. JSON values are Python objects, encoded once
    per distinct object (a response shared by thousands of answers is one object)."""
    if not rows:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BATCH_SIZE
        )
        return
    json_positions = [index for index, field in enumerate(fields) if isinstance(field, models.JSONField)]
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)  # type: ignore[union-attr]
    encoded: dict[int, str] = {}
    with connection.cursor() as cursor:
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:  # type: ignore[attr-defined]
            for row in rows:
                if json_positions:
                    row = list(row)
                    for index in json_positions:
                        value = row[index]
                        if value is not None:
                            key = id(value)
                            if key not in encoded:
                                encoded[key] = json.dumps(value, cls=DjangoJSONEncoder)
                            row[index] = encoded[key]
                copy.write_row(row)


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Inserts new rows and gives each object its primary key, on any backend.

    On PostgreSQL the rows go in with COPY, their ids drawn from the table's sequence first:
    for the millions of answers of a large demo school, INSERT statements built row by row
    were most of the seeding time. A JSON value shared by many rows (a quiz snapshot) is
    encoded once. COPY cannot skip conflicts, so only rows whose keys are new go through here.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        return
    meta = model._meta
    pk_column = meta.pk.column if meta.pk else "id"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk_column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        fields = list(meta.concrete_fields)
        json_positions = [index for index, field in enumerate(fields) if isinstance(field, models.JSONField)]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        encoded: dict[int, str] = {}
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:  # type: ignore[attr-defined]
            for obj in objs:
                row: list[Any] = [getattr(obj, field.attname) for field in fields]
                for index in json_positions:
                    value = row[index]
                    if value is not None:
                        key = id(value)
                        if key not in encoded:
                            encoded[key] = json.dumps(value, cls=DjangoJSONEncoder)
                        row[index] = encoded[key]
                copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
