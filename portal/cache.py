"""Redis as a cache the portal can live without.

Nothing the portal keeps in the cache is a record: sessions are in the database too, rate-limit
counts and cached look-ups can be counted or looked up again. So when Redis cannot be reached,
a customer must still be able to sign in, browse and submit a form: every cache call goes on
without Redis instead of answering the request with a server error.

- ``OPTIONS["FALLBACK"] = "local"``: while Redis is away, the cache of this process stands in
  (rate limits keep counting, per process). For values that may differ per process.
- Without it: reads miss and writes are dropped. For the session cache: a per-process copy of a
  session would outlive a sign-out made in another process.

After a failure Redis is left alone for ``RETRY_AFTER`` seconds, so that an unreachable host
(each attempt waiting for its connect timeout) costs one request that wait, not every call of
every request. While Redis is away, a sign-out cannot remove the session's cached copy: if the
same Redis comes back with its data (a network fault rather than a restart; the compose Redis
keeps nothing on disk), that copy lasts until the session would have expired.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER = 5.0

# Django makes a cache object per thread; what they learn of Redis is shared by the process.
_away_until: dict[str, float] = {}
_away_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        fallback = options.pop("FALLBACK", None)
        super().__init__(server, {**params, "OPTIONS": options})
        self._server = str(server)
        self._fallback: LocMemCache | None = None
        if fallback == "local":
            # Named by the server, so every thread of the process counts in the same place.
            self._fallback = LocMemCache(
                f"redis-fallback:{self._server}", {"TIMEOUT": params.get("TIMEOUT", 300)}
            )
        elif fallback is not None:
            raise ValueError(f"Unknown cache FALLBACK {fallback!r}; use 'local' or leave it out.")

    # -- the one rule: try Redis unless it failed a moment ago; otherwise go on without it --

    def _redis_is_resting(self) -> bool:
        return time.monotonic() < _away_until.get(self._server, 0.0)

    def _note_failure(self, operation: str) -> None:
        with _away_lock:
            first = not self._redis_is_resting()
            _away_until[self._server] = time.monotonic() + RETRY_AFTER
        if first:
            logger.warning(
                "Redis cache unreachable (%s); going on without it for %ss.",
                operation,
                RETRY_AFTER,
                exc_info=True,
            )

    def _call(self, operation: str, without_redis: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._redis_is_resting():
            try:
                return getattr(super(), operation)(*args, **kwargs)
            except UNREACHABLE:
                self._note_failure(operation)
        if self._fallback is not None:
            return getattr(self._fallback, operation)(*args, **kwargs)
        if isinstance(without_redis, BaseException):
            raise without_redis
        return without_redis

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        # As for a key that is not there: the caller starts counting again.
        return self._call("incr", ValueError(f"Key {key!r} not found."), key, delta, version)

    def clear(self):
        return self._call("clear", None)
