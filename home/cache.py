"""Values kept in the Django cache until a *generation* changes.

Some answers are costly to compute and only change when the site's content changes (the
listings' counts, the search suggestions). Each family of such values has a generation
number, kept in the cache without expiry; a value's key holds the generation it was
computed under, and starting a new generation (from signal handlers connected in each
app's ``ready``) makes every older value unreachable at once. Values also expire after
``timeout`` seconds, which bounds staleness with a per-process cache (LocMemCache in
development).

A cache that does not answer (Redis down) costs the cache, never the page: the value is
then computed as if it were not cached, and the failure is logged as a warning.
"""

import hashlib
import json
import logging

from django.core.cache import cache

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
        """Forget every value of the family (a signal handler, hence ``**kwargs``)."""
        try:
            try:
                cache.incr(self.generation_key)
            except ValueError:  # not set yet, or evicted
                cache.set(self.generation_key, 2, None)
        except Exception:
            logger.warning("Could not start a new generation of %s", self.prefix, exc_info=True)

    def cached(self, name, parts, compute):
        """``compute()``, kept under a key made of ``name``, the generation and ``parts``.

        ``parts`` must be JSON-serialisable and describe everything the value depends on.
        A ``None`` value reads as a miss (computed again each time); an empty list or a
        zero is kept like any other value.
        """
        digest = hashlib.sha1(
            json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode(), usedforsecurity=False
        ).hexdigest()
        try:
            key = f"{self.prefix}:{name}:{self.generation()}:{digest}"
            value = cache.get(key)
        except Exception:
            logger.warning("The cache did not answer; computing %s:%s", self.prefix, name, exc_info=True)
            return compute()
        if value is None:
            value = compute()
            try:
                cache.set(key, value, self.timeout)
            except Exception:
                logger.warning("Could not cache %s:%s", self.prefix, name, exc_info=True)
        return value
