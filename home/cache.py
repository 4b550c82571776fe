"""Values kept in the Django cache until a *generation* changes.

Some answers are costly to compute and only change when the site's content changes (the
listings' counts, the search suggestions). Each family of such values has a generation
number, kept in the cache without expiry; a value's key holds the generation it was
computed under, and starting a new generation (from signal handlers connected in each
app's ``ready``) makes every older value unreachable at once. Values also expire after
``timeout`` seconds, which bounds staleness with a per-process cache (LocMemCache in
development).

A cache that does not answer (Redis down) costs the cache, never the page: the value is
then computed as if it were not cached, and the failure is logged as a warning. With
``REDIS_URL`` the cache backend is ``FailSafeRedisCache`` (below), which does the same for
every user of the cache, Wagtail's own site lookup included.
"""

import hashlib
import json
import logging
import threading
import time

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class GenerationCache:
    """A family of cached values under ``prefix``, forgotten all at once by ``new_generation``.

    Keys are ``{prefix}:{name}:{generation}:{digest}`` (``digest`` of the value's
    ``parts``); the generation number lives under ``{prefix}:generation``.
    """

    def __init__(self, prefix, *, timeout):
        self.prefix = prefix
        self.timeout = timeout
        self.generation_key = f"{prefix}:generation"

    def generation(self):
        return cache.get_or_set(self.generation_key, 1, None)

    def new_generation(self, **kwargs):
        """Forget every value of the family (a signal handler, hence ``**kwargs``).

        Inside a transaction (a publish), the generation moves now and again once the
        transaction commits: a visitor who reads between the two would otherwise keep, for
        ``timeout``, a value computed from the data before the commit, or before the search
        index update that runs after it (``home/task_backends.py``).
        """
        self._next_generation()
        connection = transaction.get_connection()
        if connection.in_atomic_block:
            transaction.on_commit(self._next_generation, robust=True)

    def _next_generation(self):
        try:
            try:
                cache.incr(self.generation_key)
            except ValueError:  # not set yet, or evicted
                cache.set(self.generation_key, 2, None)
        except Exception:
            logger.warning("Could not start a new generation of %s", self.prefix, exc_info=True)

    def _key(self, name, parts):
        digest = hashlib.sha1(
            json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode(), usedforsecurity=False
        ).hexdigest()
        return f"{self.prefix}:{name}:{self.generation()}:{digest}"

    def get(self, name, parts):
        """The value kept under ``name`` and ``parts`` in this generation, or ``None``."""
        try:
            return cache.get(self._key(name, parts))
        except Exception:
            logger.warning("The cache did not answer; computing %s:%s", self.prefix, name, exc_info=True)
            return None

    def set(self, name, parts, value):
        try:
            cache.set(self._key(name, parts), value, self.timeout)
        except Exception:
            logger.warning("Could not cache %s:%s", self.prefix, name, exc_info=True)

    def cached(self, name, parts, compute):
        """``compute()``, kept under a key made of ``name``, the generation and ``parts``.

        ``parts`` must be JSON-serialisable and describe everything the value depends on.
        A ``None`` value reads as a miss (computed again each time); an empty list or a
        zero is kept like any other value.
        """
        value = self.get(name, parts)
        if value is None:
            value = compute()
            self.set(name, parts, value)
        return value


# --- A Redis cache that degrades instead of failing ----------------------------------------

# What Redis (or the way to it) failing looks like, from redis-py.
CACHE_ERRORS = (RedisError, OSError)
# After a failure, the process stops asking Redis for this many seconds: a Redis that hangs
# would otherwise cost every request its socket timeout, several times.
RETRY_AFTER_SECONDS = 5.0
_down_until = 0.0
_lock = threading.Lock()


def _mark_down(operation, exc):
    global _down_until
    with _lock:
        first = time.monotonic() >= _down_until
        _down_until = time.monotonic() + RETRY_AFTER_SECONDS
    if first:  # one warning per outage window, not one per request
        logger.warning(
            "Redis did not answer (%s: %s); the site runs without cache for %ss", operation, exc, RETRY_AFTER_SECONDS
        )


def _is_down():
    return time.monotonic() < _down_until


class FailSafeRedisCache(RedisCache):
    """Django's Redis cache, except that Redis down reads as an empty cache.

    Everything the site caches can be computed again (Wagtail's site lookup, the listings'
    counts, the suggestions, the page cache): when Redis does not answer, a read is a miss,
    a write is dropped, and a warning is logged once per ``RETRY_AFTER_SECONDS`` window,
    during which Redis is not asked again. Pages render, applications are stored.

    ``incr``/``decr`` keep raising: a counter that silently reads 1 would hide the outage
    from the code that counts (the submission rate limit decides what to do, and logs it).
    ``ping()`` raises too, for the readiness probe.
    """

    def _safe(self, operation, default, call, *args, **kwargs):
        if _is_down():
            return default
        try:
            return call(*args, **kwargs)
        except CACHE_ERRORS as exc:
            _mark_down(operation, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._safe("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._safe("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._safe("has_key", False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safe("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safe("set_many", list(data), super().set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safe("add", False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safe("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._safe("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._safe("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._safe("clear", False, super().clear)

    def incr(self, key, delta=1, version=None):
        return self._counting("incr", super().incr, key, delta, version)

    def decr(self, key, delta=1, version=None):
        return self._counting("decr", super().decr, key, delta, version)

    def _counting(self, operation, call, *args):
        if _is_down():
            raise RedisError("Redis is marked down (home.cache.RETRY_AFTER_SECONDS)")
        try:
            return call(*args)
        except CACHE_ERRORS as exc:
            _mark_down(operation, exc)
            raise

    def ping(self):
        """Ask Redis directly (the readiness probe); raises when it does not answer."""
        return self._cache.get_client(write=False).ping()
