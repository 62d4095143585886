"""Reading structlog events back from pytest's `caplog`.

structlog hands each event to the standard library as a dict (see toolbox/logging.py), so
a captured record's `msg` is the whole event, request id included.
"""

from __future__ import annotations

from typing import Any

import pytest


def logged_events(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [record.msg for record in caplog.records if isinstance(record.msg, dict)]
