"""RSS and Atom feeds of a listing page's children, with Django's syndication framework.

A feed reads the live, public children of the site's index page of ``index_model`` (the
request's site): a draft, a page in a private section, a private index are never listed.
Each app writes its feed's fields (``news/feeds.py``, ``stories/feeds.py``); ``config/urls.py``
serves them under ``/flux/``, which the CDN purge adds on every page change (``home/cdn.py``),
and the page cache stores them like any public page. ``FEEDS`` names them for the pages' head
(``includes/feed_links.html``).
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from wagtail.models import Site

from .chrome import public_q

FEED_SIZE = 20


class FeedSource:
    def __init__(self, index, request):
        self.index = index
        self.request = request


class PageFeed(Feed):
    index_model = None
    item_model = None
    feed_type = Rss201rev2Feed
    language = "fr"

    def get_object(self, request, *args, **kwargs):
        site = Site.find_for_request(request)
        if site is None:
            raise Http404
        index = (
            self.index_model.objects.live()
            .filter(public_q())
            .descendant_of(site.root_page, inclusive=True)
            .order_by("path")
            .first()
        )
        if index is None:
            raise Http404
        return FeedSource(index, request)

    def title(self, source):
        return f"{source.index.title} · Quartiers Cafés"

    def link(self, source):
        return source.index.get_url(source.request)

    def description(self, source):
        return getattr(source.index, "intro", "") or source.index.title

    def order_by(self):
        return ("-first_published_at", "-pk")

    def items(self, source):
        pages = self.item_model.objects.child_of(source.index).live().filter(public_q()).order_by(*self.order_by())
        pages = list(pages[:FEED_SIZE])
        for page in pages:
            page.feed_link = page.get_url(source.request)
        return pages

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.feed_link

    def item_description(self, item):
        return item.summary

    def item_updateddate(self, item):
        return item.last_published_at


class AtomFeed:
    """Mixed in before a ``PageFeed`` for its Atom version (``subtitle`` is Atom's description)."""

    feed_type = Atom1Feed

    def subtitle(self, source):
        return self.description(source)
