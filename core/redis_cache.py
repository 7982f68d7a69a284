"""Django's Redis cache, with one client per connection pool instead of one per call, and no
memcached key checks.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call, and
redis-py builds its table of response callbacks in each (about 0.2 ms a call, measured with
cProfile on the screens' poll, where it was a fifth of the request). A client is only a handle
on its pool and is safe to share between threads, so each pool's is built once.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _Client(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class SharedClientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with a client kept per pool."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _Client

    def validate_key(self, key: str) -> None:
        """No memcached warnings: Redis takes any key. Django checks each key's length and
        every character in Python, about a tenth of a screen's 304 poll, which reads a dozen."""
