"""Cached counts of the public listings (search results and facets, story index facets).

Counting the stories that match a search or a filter, per region, kind and theme, is the
costly part of the search page and of the story index (GROUP BY queries over thousands of
stories), and the answer only changes when a page is published, unpublished, moved, edited
or deleted, a view restriction or a theme changes. So those counts, and the ids of a page of
search results, are kept in the Django cache (``home.cache.GenerationCache``, prefix
``listings``) under a *generation* number that any such change increments (the signal
handlers are connected in ``stories.apps``): an old answer is never read again. Only public,
non-personal data goes in: live pages without view restrictions, the same for every
visitor. The entries also expire after ``TIMEOUT`` seconds.

A cache that does not answer (Redis down) costs the cache, never the page: the value is
then computed as if it were not cached.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import BaseViewRestriction, Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.cache import GenerationCache

from .models import StoryPage, Theme

TIMEOUT = 300

LISTINGS = GenerationCache("listings", timeout=TIMEOUT)

# ``cached(name, parts, compute)`` and ``new_generation(**kwargs)``, as the listings use them.
cached = LISTINGS.cached
new_generation = LISTINGS.new_generation


def on_model_change(sender, instance=None, **kwargs):
    """post_save / post_delete: a page, a view restriction or a theme changed."""
    if isinstance(instance, (Page, BaseViewRestriction, Theme)):
        new_generation()


def connect_signals():
    for signal in (post_save, post_delete):
        signal.connect(on_model_change, dispatch_uid=f"listings-generation-{signal!r}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(new_generation, dispatch_uid=f"listings-generation-{signal!r}")
    m2m_changed.connect(new_generation, sender=StoryPage.themes.through, dispatch_uid="listings-generation-themes")
