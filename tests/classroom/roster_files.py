"""Roster CSV files for the import tests."""

from __future__ import annotations

from collections.abc import Sequence

HEADER = ("first_name", "last_name", "email", "username", "grade", "parent_email")


def roster_csv(
    rows: Sequence[Sequence[str]], *, header: Sequence[str] = HEADER, delimiter: str = ",", bom: bool = False
) -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def generated_rows(count: int, *, with_parents: bool = True) -> list[tuple[str, ...]]:
    return [
        (
            f"First{n}",
            f"Last{n}",
            f"pupil{n}@example.test",
            f"pupil{n}",
            str(n % 12 + 1),
            f"parent{n}@example.test" if with_parents else "",
        )
        for n in range(count)
    ]


ADA = ("Ada", "Lovelace", "ada@example.test", "ada.l", "7", "")
ALAN = ("Alan", "Turing", "alan@example.test", "alan.t", "K", "turing.parent@example.test")
