"""The full-page cache: anonymous visitors get a stored copy of a public page.

Most visits are anonymous reads of pages that change a few times a day; rendering each one
(menus, settings, listings, renditions) costs dozens of milliseconds. Pages are kept in the
Django cache (Redis in production, local memory by default) for ``PAGE_CACHE_SECONDS``
(0 turns the cache off) under a *generation* (``home.cache.GenerationCache``) that any
change to what a public page shows starts anew: a page published, unpublished, moved or
deleted, a snippet, a site setting, an image, a redirect or a view restriction saved or
deleted. A CDN in front is told the same lifetime (``s-maxage``) and purged by Wagtail's
frontend cache when pages change (``WAGTAILFRONTENDCACHE``, set from the environment;
``home/cdn.py``). Apps add what they know changes a public page: the network starts a new
generation, then purges the session's page and its agenda, when the seats left change
(``network/signals.py``).

The key holds the host, the path and only the query parameters that pages read
(``PAGE_CACHE_QUERY_PARAMETERS``: the story index's filters and page, the search's ``q``…);
a request with any other parameter is served the stored page without it, and its own
rendering is never stored (one entry is about 12 KB: a flood of made-up query strings would
otherwise push everything else out of a memory-capped Redis).

What is never stored or served from the cache:
- any request other than GET or HEAD, and any request of a signed-in user (the admin,
  previews and the userbar are theirs), or one that carries a session or messages cookie
  (what it shows may depend on that session);
- paths under ``PAGE_CACHE_EXCLUDED_PATHS`` (the admin, the probes, the applicant's space);
- any response that is not a plain 200, sets a cookie, says ``no-cache``/``no-store``/
  ``private``, or used the CSRF token: a page with a form (a call page and its one-time
  submission token) is never shared between visitors.

django-cache's per-site middleware is not used: it keys on ``Vary: Cookie`` and would
store nothing once the session is read; wagtail-cache does not support Wagtail 8.
"""

import logging

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_cache_control
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.models import BaseViewRestriction, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import GenerationCache

logger = logging.getLogger(__name__)

HIT_HEADER = "X-Page-Cache"
UNCACHEABLE_DIRECTIVES = {"no-cache", "no-store", "private"}

# What a public page can show: a change to any of these starts a new generation.
SHOWN_ON_PAGES = (Page, Site, BaseViewRestriction, Redirect, AbstractImage, AbstractDocument, BaseSiteSetting)
# The apps whose models (snippets, orderables, themes) appear on pages; renditions (made
# while a page renders) and users (a login) do not change what a page shows. The calls'
# form fields are saved with a revision, which publishing announces; applications never
# appear on a public page.
CONTENT_APPS = {"home", "stories", "news"}
NOT_SHOWN = (AbstractRendition,)


def page_cache():
    return GenerationCache("pages", timeout=settings.PAGE_CACHE_SECONDS)


def is_shown_on_pages(model):
    if issubclass(model, NOT_SHOWN) or model._meta.label == settings.AUTH_USER_MODEL:
        return False
    return issubclass(model, SHOWN_ON_PAGES) or model._meta.app_label in CONTENT_APPS


def new_generation(sender=None, **kwargs):
    page_cache().new_generation()


def on_model_change(sender, **kwargs):
    if is_shown_on_pages(sender):
        new_generation()


def connect_signals():
    post_save.connect(on_model_change, dispatch_uid="page-cache-post-save")
    post_delete.connect(on_model_change, dispatch_uid="page-cache-post-delete")
    m2m_changed.connect(on_model_change, dispatch_uid="page-cache-m2m")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(new_generation, dispatch_uid=f"page-cache-{signal!r}")


def request_is_cacheable(request):
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS)):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.user.is_authenticated


def response_is_cacheable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    if getattr(request, "_csp_nonce", None):  # the page holds this response's CSP nonce (django-csp)
        return False
    directives = {part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not directives & UNCACHEABLE_DIRECTIVES


def _parts(request):
    """The key of a page: host, path and only the query parameters pages read
    (``PAGE_CACHE_QUERY_PARAMETERS``), sorted; any other parameter is left out, so
    ``?utm_source=…`` or junk query strings never make a new entry."""
    known = settings.PAGE_CACHE_QUERY_PARAMETERS
    query = sorted((name, request.GET.getlist(name)) for name in request.GET if name in known)
    return [request.get_host(), request.path, query]


def has_unknown_parameters(request):
    known = settings.PAGE_CACHE_QUERY_PARAMETERS
    return any(name not in known for name in request.GET)


class PageCacheMiddleware:
    """Serve anonymous GETs from the page cache; store what may be shared."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            return self.get_response(request)
        cache = page_cache()
        stored = cache.get("page", _parts(request))
        if stored is not None:
            response = HttpResponse(stored["content"], status=200)
            for name, value in stored["headers"]:
                response[name] = value
            response[HIT_HEADER] = "hit"
            return response
        response = self.get_response(request)
        # A page asked with parameters no page reads is served from the entry of the same page
        # without them, never stored: junk query strings cannot fill the cache.
        if response_is_cacheable(request, response) and not has_unknown_parameters(request):
            if "Cache-Control" not in response:
                # Browsers check again after a minute; a CDN keeps it as long as we do and
                # is purged by Wagtail's frontend cache when pages change.
                patch_cache_control(response, public=True, max_age=60, s_maxage=settings.PAGE_CACHE_SECONDS)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set("page", _parts(request), {"content": response.content, "headers": list(response.items())})
            response[HIT_HEADER] = "miss"
        return response
