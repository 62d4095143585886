"""Writing fields of many saved rows in one statement, cheaply."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Model


def rows_write(*, rows: Sequence[Model], fields: Sequence[str]) -> None:
    """Write `fields` of rows already in their table (loaded whole, not deferred) in one
    statement: an insert that meets each row's primary key and updates those fields instead.

    Django's `bulk_update` writes the same in one UPDATE, but it builds a CASE expression
    per row and field, and compiling it took about half the CPU time of a quiz submit (25
    of 46 ms for 25 answers); the insert is built like any bulk insert. Its auto_now
    fields are set in memory only: the table keeps theirs unless they are in `fields`."""
    if rows:
        type(rows[0])._default_manager.bulk_create(
            rows, update_conflicts=True, unique_fields=["pk"], update_fields=list(fields)
        )
