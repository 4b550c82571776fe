"""A per-address request limit in fixed windows, counted in the shared cache (the pattern
of ``calls/submission.py``): ``limit`` requests per ``window`` seconds. The cache down
counts nothing and refuses nothing (logged)."""

import logging
import math
import time

from django.core.cache import caches

from home.security import client_ip

logger = logging.getLogger(__name__)


def over_limit(request, scope, *, limit, window):
    """Seconds to wait if this request is past the limit, else None. Counts the request."""
    now = time.time()
    number = int(now // window)
    retry_after = max(1, math.ceil(window - now % window))
    key = f"territory:rate:{scope}:{client_ip(request) or 'unknown'}:{number}"
    try:
        if caches["counters"].add(key, 1, timeout=window + 60):
            count = 1
        else:
            try:
                count = caches["counters"].incr(key)
            except ValueError:  # expired between add() and incr()
                caches["counters"].set(key, 1, timeout=window + 60)
                count = 1
    except Exception:
        logger.warning("Rate limit of %s not applied: the cache does not answer", scope, exc_info=True)
        return None
    if count is None:  # a fail-safe cache that is down answers nothing
        return None
    return retry_after if count > limit else None
