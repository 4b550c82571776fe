"""Cached counts of the public listings (search results and facets, story index facets).

Counting the stories that match a search or a filter, per region, kind and theme, is the
costly part of the search page and of the story index (GROUP BY queries over thousands of
stories), and the answer only changes when a page is published, unpublished, moved, edited
or deleted, a view restriction or a theme changes. So those counts, and the ids of a page of
search results, are kept in the Django cache under a *generation* number that any such
change increments (the signal handlers are connected in ``stories.apps``): an old answer is
never read again. Only public, non-personal data goes in: live pages without view
restrictions, the same for every visitor. The entries also expire after ``TIMEOUT`` seconds,
which bounds staleness with a per-process cache (LocMemCache in development).

A cache that does not answer (Redis down) costs the cache, never the page: the value is
then computed as if it were not cached.
"""

import hashlib
import json
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

GENERATION_KEY = "listings:generation"
TIMEOUT = 300


def generation():
    return cache.get_or_set(GENERATION_KEY, 1, None)


def new_generation(**kwargs):
    """Forget every cached listing count (called by signal handlers, hence ``**kwargs``)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(GENERATION_KEY, 2, None)
    except Exception:
        logger.warning("Could not start a new generation of cached listings", exc_info=True)


def cached(namespace, parts, compute):
    """``compute()``, kept under a key made of ``namespace``, the generation and ``parts``.

    ``parts`` must be JSON-serialisable and describe everything the value depends on.
    """
    digest = hashlib.sha1(
        json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode(), usedforsecurity=False
    ).hexdigest()
    try:
        key = f"listings:{namespace}:{generation()}:{digest}"
        value = cache.get(key)
    except Exception:
        logger.warning("The cache did not answer; computing %s", namespace, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, TIMEOUT)
        except Exception:
            logger.warning("Could not cache %s", namespace, exc_info=True)
    return value


def on_model_change(sender, instance=None, **kwargs):
    """post_save / post_delete: a page, a view restriction or a theme changed."""
    from wagtail.models import BaseViewRestriction, Page

    from stories.models import Theme

    if isinstance(instance, (Page, BaseViewRestriction, Theme)):
        new_generation()


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from stories.models import StoryPage

    for signal in (post_save, post_delete):
        signal.connect(on_model_change, dispatch_uid=f"listings-generation-{signal!r}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(new_generation, dispatch_uid=f"listings-generation-{signal!r}")
    m2m_changed.connect(new_generation, sender=StoryPage.themes.through, dispatch_uid="listings-generation-themes")
