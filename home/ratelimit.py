"""Rate limits in fixed windows, counted in the "counters" cache (config/settings, « Cache »).

A budget is so many units (requests, files, bytes, emails) per key (a client address, an
address for one call, an email address under a hash) in a window of ``seconds``. The key
carries the window's number, so ``Retry-After`` is exact (the end of the window) and no
expiry needs bookkeeping; a client can spend up to twice a budget across a window's edge,
which is within what the budgets here are for. A counter outlives its window by a minute, so
a late increment never restarts a count.

The cache down (Redis stopped: ``home.cache.FailSafeRedisCache`` raises when counting)
counts nothing and refuses nothing: ``count`` and ``totals`` log a warning naming what was
not counted and return None, and the callers let the request through (an applicant never
loses an application to an outage).

Used by calls/submission.py (submissions, the validation budget, draft budgets),
applicants/limits.py (sign-in links) and territory/views.py (the lookup API), each with its
own settings and its own French 429. django-ratelimit does not fit them all: the submission
check reads the counters without counting, the validation and draft budgets count bytes,
and a refused draft gives its counts back.
"""

import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import caches

from home.security import client_ip

logger = logging.getLogger(__name__)

# Seconds a counter outlives its window.
MARGIN = 60


@dataclass(frozen=True)
class Window:
    """The fixed window of ``seconds`` the present falls in."""

    seconds: int
    number: int
    retry_after: int  # seconds left in it, at least 1

    @classmethod
    def now(cls, seconds):
        now = time.time()
        return cls(seconds, int(now // seconds), max(1, math.ceil(seconds - now % seconds)))

    def key(self, *parts):
        """The counter's key for ``parts`` in this window."""
        return ":".join(str(part) for part in (*parts, self.number))


def client(request):
    """The client address a counter is kept for ("unknown" without one)."""
    return client_ip(request) or "unknown"


def _increment(counters, key, amount, timeout):
    if counters.add(key, amount, timeout=timeout):
        return amount
    try:
        return counters.incr(key, amount)
    except ValueError:  # expired between add() and incr()
        counters.set(key, amount, timeout=timeout)
        return amount


def count(window, amounts, *, what):
    """Add each amount to its counter (``{key: amount}``, keys from ``window.key``), in order.

    Returns ``{key: total}``, or None when the cache does not answer: then ``what`` (« Sign-in
    link limits not counted ») is logged with the error and the caller refuses nothing.
    """
    counters = caches["counters"]
    timeout = window.seconds + MARGIN
    try:
        counted = {key: _increment(counters, key, amount, timeout) for key, amount in amounts.items()}
    except Exception:
        logger.warning("%s: the cache does not answer", what, exc_info=True)
        return None
    if None in counted.values():  # a cache that answers nothing without raising
        logger.warning("%s: the cache does not answer", what)
        return None
    return counted


def totals(keys, *, what):
    """The counters' totals without counting (0 for a counter never counted), or None when
    the cache does not answer (``what`` logged)."""
    try:
        found = caches["counters"].get_many(keys)
    except Exception:
        logger.warning("%s: the cache does not answer", what, exc_info=True)
        return None
    return {key: found.get(key, 0) for key in keys}


def give_back(amounts, *, what):
    """Take ``{key: amount}`` back off counters ``count`` added it to (a request refused after
    counting that must cost nothing); the cache down is logged."""
    try:
        for key, amount in amounts.items():
            caches["counters"].decr(key, amount)
    except Exception:
        logger.warning("%s: the cache does not answer", what, exc_info=True)


def over(request, scope, *, limit, seconds, what):
    """Count one request from this client for ``scope``; seconds to wait when it is past
    ``limit`` requests per ``seconds``, else None (None too when the cache does not answer)."""
    window = Window.now(seconds)
    key = window.key(scope, client(request))
    counted = count(window, {key: 1}, what=what)
    if counted is None or counted[key] <= limit:
        return None
    return window.retry_after
