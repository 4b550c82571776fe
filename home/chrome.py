"""What every public page shows around its content, read once per generation of the page cache.

The main menu, the breadcrumbs' ancestors, the site settings, the children of a small page
(for routing) and the list of private sections (view restrictions) are the same for every
visitor and change only when a page, a setting, a snippet or a view restriction changes.
They share the page cache's generation (``home.page_cache``: the prefix ``pages``), which
those changes already start anew, but keep their own expiry: they are kept even when
``PAGE_CACHE_SECONDS`` turns the page cache off. A cache that does not answer costs the
cache, never the page (``home.cache.GenerationCache``).

Values are small: Page rows (base fields only), model instances of a setting, lists of ids
and paths. Nothing personal goes in.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from .cache import GenerationCache

# The page cache's prefix (home/page_cache.py): its generation moves whenever what a public
# page shows changes, which is exactly when these values must be read again.
CHROME = GenerationCache("pages", timeout=600)

# Routing through the cached children map is for pages with few children (the home page, a
# content page); a page with many (the story index) looks its child up by slug.
ROUTE_MAP_MAX_CHILDREN = 50


def restricted_sections():
    """``[[page id, path, depth], …]`` of every page with a view restriction (usually none)."""

    def compute():
        restrictions = PageViewRestriction.objects.select_related("page").order_by("page__path")
        return [[item.page_id, item.page.path, item.page.depth] for item in restrictions]

    return CHROME.cached("restricted-sections", [], compute)


def public_q():
    """A filter keeping the pages outside every private section (``PageQuerySet.public()``
    without its query of the view restrictions)."""
    private = Q()
    for _pk, path, depth in restricted_sections():
        private |= Q(path__startswith=path, depth__gte=depth)
    return ~private if private else Q()


def main_menu(site):
    """The site root's live, public children marked "show in menus", in tree order."""

    def compute():
        root = site.root_page  # already loaded by the routing of a page: no query then
        return list(root.get_children().live().filter(public_q()).in_menu().order_by("path"))

    return CHROME.cached("main-menu", [site.pk, site.root_page_id], compute)


def ancestors(page):
    """The ancestors of ``page`` below the tree root, the site root first.

    Kept per parent: every story of the index shares one entry.
    """
    step = page.steplen
    paths = [page.path[:end] for end in range(2 * step, len(page.path), step)]

    def compute():
        return list(Page.objects.filter(path__in=paths).order_by("depth"))

    return CHROME.cached("ancestors", [page.path[:-step]], compute) if paths else []


def child_by_slug(parent, slug):
    """``parent``'s child with this slug, as its specific page, in one query; ``None`` if none.

    The map from slugs to (id, content type) of a small page's children is kept per
    generation, so routing to a top-level page costs one query instead of two.
    """

    def compute():
        rows = parent.get_children().values_list("slug", "pk", "content_type_id")
        return {row_slug: [pk, content_type_id] for row_slug, pk, content_type_id in rows}

    children = CHROME.cached("children", [parent.pk], compute)
    if slug not in children:
        return None
    pk, content_type_id = children[slug]
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    return model.objects.filter(pk=pk).first()
