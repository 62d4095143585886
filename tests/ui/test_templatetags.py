from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.paginator import Paginator

from toolbox.ui.templatetags.ui import elided_page_range, heat_class, initials, percent_of, width_class


@pytest.mark.parametrize(
    ("value", "total", "expected"),
    [
        (0, None, "w-0"),
        (1, None, "w-5"),
        (40, None, "w-40"),
        (42, None, "w-40"),
        (43, None, "w-45"),
        (100, None, "w-100"),
        (130, None, "w-100"),
        (-5, None, "w-0"),
        (Decimal("72.5"), None, "w-70"),
        (3, 4, "w-75"),
        (3, 0, "w-0"),
        ("junk", None, "w-0"),
    ],
)
def test_width_class(value: object, total: object, expected: str) -> None:
    assert width_class(value, total) == expected


@pytest.mark.parametrize(
    ("value", "total", "expected"),
    [
        (None, None, "heat-none"),
        ("", None, "heat-none"),
        (0, None, "heat-0"),
        (9.9, None, "heat-0"),
        (55, None, "heat-5"),
        (99, None, "heat-9"),
        (100, None, "heat-10"),
        (7, 10, "heat-7"),
        ("x", None, "heat-none"),
    ],
)
def test_heat_class(value: object, total: object, expected: str) -> None:
    assert heat_class(value, total) == expected


def test_percent_of_and_initials() -> None:
    assert percent_of(1, 3) == 33
    assert percent_of(5, 0) == 0
    assert initials("Ada King Lovelace") == "AK"
    assert initials("") == "?"


def test_elided_page_range_centres_on_the_current_page() -> None:
    page = Paginator(range(200), 10).page(10)
    assert list(elided_page_range(page)) == [1, "…", 9, 10, 11, "…", 20]
