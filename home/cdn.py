"""CDN purge of everything a change touches, through Wagtail's frontend cache.

Wagtail purges the page it publishes or unpublishes, and nothing else: a story's index (the
list, its map, its filter pages), the home page (its featured stories, its figures) and the
pages that show a snippet or a setting would stay stale at the CDN for ``PAGE_CACHE_SECONDS``.
These handlers add them, in one ``PurgeBatch`` per change:

- a page published, unpublished or moved: its parent (for a story, the story index with its
  map), the site's home page, the feeds (``/flux/``, by prefix) and the sitemap — and on a move, the old
  address and the old parent too;
- a snippet saved or deleted: the pages that reference it (Wagtail's reference index, and the
  page fields pointing at it, such as a story's themes), their parents (whose listings show it:
  the story index's theme filters) and the home page;
- a site setting (header, footer, contact) saved: every live page of the site;
- what an app asks through ``purge_pages`` (the network's seats left: a session's page and the
  agenda, after the registration's commit), which never raises.

The index's filter pages (``/laureats/?region=…``) are the index's URL with a query string:
the CDN keys them under the index URL (``FRONTEND_CACHE_PURGE_URL``'s proxy purges by prefix —
nginx's ``proxy_cache_purge`` with ``*``, a Varnish ``ban`` on ``req.url ~``), so the purge of
the index reaches them. Nothing is sent without ``WAGTAILFRONTENDCACHE``.
https://docs.wagtail.org/en/stable/reference/contrib/frontendcache.html
"""

import logging

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, ReferenceIndex, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

logger = logging.getLogger(__name__)


def _home_pages(page=None):
    site = page.get_site() if page is not None else None
    sites = [site] if site is not None else Site.objects.select_related("root_page")
    return [s.root_page for s in sites]


def _add_home_and_feeds(batch, home, page=None):
    """The site's home page (unless it is the page Wagtail purges), its feeds (home/feeds.py:
    everything under /flux/, purged by prefix) and its sitemap, which list pages."""
    if page is None or home.pk != page.pk:
        batch.add_page(home.specific)
    site = home.get_site()
    if site is not None:
        batch.add_url(site.root_url + "/flux/")
        batch.add_url(site.root_url + "/sitemap.xml")


def _purge(batch):
    if batch.urls:
        batch.purge()


def purge_pages(pages):
    """Purge ``pages`` at the CDN (each page's URL, which the CDN purges by prefix) for a change
    Wagtail does not announce. Never raises: a CDN, a task queue or a setting that fails is logged
    and the caller goes on (a registration is never refused for its CDN). Nothing without
    ``WAGTAILFRONTENDCACHE``."""
    try:
        if not get_backends():
            return
        batch = PurgeBatch()
        batch.add_pages(pages)
        _purge(batch)
    except Exception:
        logger.exception("CDN purge failed; the pages stay at the CDN until they expire")


def on_page_change(sender, instance, **kwargs):
    if not get_backends():
        return
    batch = PurgeBatch()
    # Wagtail purges the page itself; its surroundings are ours.
    parent = instance.get_parent()
    if parent is not None and parent.depth > 1:
        batch.add_page(parent.specific)
    for home in _home_pages(instance):
        _add_home_and_feeds(batch, home, instance)
    _purge(batch)


def on_page_move(sender, instance, parent_page_before, parent_page_after, url_path_before, url_path_after, **kwargs):
    if not get_backends() or (url_path_before == url_path_after and parent_page_before == parent_page_after):
        return
    batch = PurgeBatch()
    if instance.live:
        batch.add_page(instance)
        # The old address: the new one with the old path, on the same site.
        site = instance.get_site()
        if site is not None and url_path_before.startswith(site.root_page.url_path):
            relative = "/" + url_path_before[len(site.root_page.url_path) :]
            batch.add_url(site.root_url + relative)
    for parent in (parent_page_before, parent_page_after):
        if parent is not None and parent.depth > 1 and parent.live:
            batch.add_page(parent.specific)
    for home in _home_pages(instance):
        _add_home_and_feeds(batch, home)
    _purge(batch)


def on_snippet_change(sender, instance, **kwargs):
    # Snippets register in wagtail_hooks, after this app's ready(): checked at each save.
    if sender not in get_snippet_models() or not get_backends():
        return
    batch = PurgeBatch()
    # Pages (with their inline children) are indexed under Page's content type.
    references = ReferenceIndex.get_references_to(instance).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    page_ids = {int(object_id) for object_id in references.values_list("object_id", flat=True)}
    # Page fields pointing at it that the reference index leaves out (a ParentalManyToManyField:
    # a story's themes).
    for relation in instance._meta.related_objects:
        if issubclass(relation.related_model, Page) and instance.pk is not None:
            lookup = {relation.field.name: instance.pk}
            page_ids.update(relation.related_model.objects.filter(**lookup).values_list("pk", flat=True))
    pages = list(Page.objects.live().filter(pk__in=page_ids).specific())
    batch.add_pages(pages)
    # Their listings show it too (the story index's theme filters, its cards): each parent.
    parent_ids = {page.get_parent().pk for page in pages if page.depth > 2}
    batch.add_pages(Page.objects.live().filter(pk__in=parent_ids - page_ids).specific())
    for home in _home_pages():
        batch.add_page(home.specific)
    _purge(batch)


def on_setting_change(sender, instance, **kwargs):
    if not get_backends():
        return
    site = getattr(instance, "site", None)
    pages = Page.objects.live().filter(depth__gt=1)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    batch = PurgeBatch()
    batch.add_pages(pages.specific())
    _purge(batch)


def connect_signals():
    page_published.connect(on_page_change, dispatch_uid="cdn-page-published")
    page_unpublished.connect(on_page_change, dispatch_uid="cdn-page-unpublished")
    post_page_move.connect(on_page_move, dispatch_uid="cdn-page-move")
    post_save.connect(on_snippet_change, dispatch_uid="cdn-snippet-save")
    post_delete.connect(on_snippet_change, dispatch_uid="cdn-snippet-delete")
    for model in _setting_models():
        post_save.connect(on_setting_change, sender=model, dispatch_uid=f"cdn-setting-{model._meta.label}")


def _setting_models():
    return [model for model in apps.get_models() if issubclass(model, BaseSiteSetting)]
