"""A Redis cache that degrades instead of failing.

The cache only ever holds what can be recomputed from the database, so when Redis does not
answer a read is a miss and a write is skipped: pages render from the database, slower but
whole. After a failure the cache stays bypassed for a short pause, so that a request making
many cache calls waits for one socket timeout, not one per call.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import structlog
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = structlog.get_logger(__name__)

T = TypeVar("T")


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new `redis.Redis` client for every cache call, which costs more CPU
    than the call itself on loopback; one client per connection pool does the same work (a
    client takes a pooled connection for each command)."""

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # pyright: ignore[reportAttributeAccessIssue]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # pyright: ignore[reportAttributeAccessIssue]
        return client


class FallbackRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.retry_after_seconds = float(options.pop("RETRY_AFTER_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _call(self, operation: Callable[[], T], fallback: T) -> T:
        if not self.available:
            return fallback
        try:
            return operation()
        except (RedisError, OSError) as error:
            with self._lock:
                first = self.available
                self._down_until = time.monotonic() + self.retry_after_seconds
            if first:
                logger.warning("cache_unavailable", error=type(error).__name__, bypass_seconds=self.retry_after_seconds)
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(lambda: super(FallbackRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call(lambda: super(FallbackRedisCache, self).get(key, default, version), default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._call(lambda: super(FallbackRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(lambda: super(FallbackRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda: super(FallbackRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._call(lambda: super(FallbackRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda: super(FallbackRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A counter that cannot be read does not exist, as Django's contract for a missing key says.
        missing = object()
        result = self._call(lambda: super(FallbackRedisCache, self).incr(key, delta, version), missing)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result  # type: ignore[return-value]

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._call(lambda: super(FallbackRedisCache, self).set_many(data, timeout, version), list(data))

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._call(lambda: super(FallbackRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._call(lambda: super(FallbackRedisCache, self).clear(), None)
