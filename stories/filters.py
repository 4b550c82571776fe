"""The story index's listing: filters from the query string, facet counts, pagination.

Filters, facets and their counts are ``stories/facets.py``'s, shared with the search page.
The total and the counts take two aggregate queries (``facets.facet_counts``), and the page's
cards come from one query plus one prefetch (their renditions), so the number of SQL queries
does not grow with the number of stories. The counts are cached (``stories.listing_cache``)
until a page, a view restriction or a theme changes.
"""

from django.db.models import Prefetch
from wagtail.images import get_image_model

from home.chrome import public_q
from home.pagination import page_links, parse_page_number

from .facets import apply_filters, build_facets, clean_filters, facet_counts, query_string
from .listing_cache import cached
from .models import StoryPage, Theme

PAGE_SIZE = 12
# The renditions a story card shows (see stories/includes/story_card.html): prefetched
# together with the cards so that no card costs a query of its own.
CARD_IMAGE_SPECS = ("fill-360x240|format-webp", "fill-720x480|format-webp")
# What a card never shows: left out of the cards' query (the story's text would otherwise be
# read, and sorted with, every row).
CARD_DEFERRED = ("body", "support_received", "search_description", "seo_title")


def with_card_images(queryset):
    """Join each story's hero image and prefetch the card renditions in one extra query."""
    Rendition = get_image_model().get_rendition_model()
    return queryset.select_related("hero_image").prefetch_related(
        Prefetch(
            "hero_image__renditions",
            queryset=Rendition.objects.filter(filter_spec__in=CARD_IMAGE_SPECS),
            to_attr="prefetched_renditions",
        )
    )


def live_stories(index):
    """The index's published, public stories (the view restrictions come from the cache)."""
    return StoryPage.objects.child_of(index).live().filter(public_q())


def story_listing(index, params):
    """Everything the index template needs: cards, facets, pagination, active filters."""
    # The themes change as rarely as the counts, and the same signals forget them.
    themes = cached("themes", [], lambda: list(Theme.objects.order_by("name")))
    corrected = []
    filters = clean_filters(params, themes, corrected)
    base = live_stories(index)
    matching = apply_filters(base, filters)

    def compute_counts():
        return facet_counts(base, filters, themes)

    # The counts are the costly part of the page (GROUP BY over every story); they are the
    # same for every visitor and kept until a page, a view restriction or a theme changes.
    counts = cached("story-index:3", {"index": index.pk, "filters": filters}, compute_counts)
    total = counts["total"]
    facets = build_facets(counts, filters, themes, link=lambda **changes: query_string(filters, **changes))
    num_pages = max(1, -(-total // PAGE_SIZE))
    number = parse_page_number(params.get("page", 1), num_pages)
    offset = (number - 1) * PAGE_SIZE
    cards = with_card_images(matching.order_by("title", "pk").defer(*CARD_DEFERRED))
    stories = list(cards[offset : offset + PAGE_SIZE])
    active = [
        {"facet": facet, "label": facet.selected_label, "remove_url": facet.clear_url}
        for facet in facets
        if facet.selected
    ]
    labels = {facet.name: facet.selected_label for facet in facets}
    return {
        "corrected_filters": [{"typed": typed, "label": labels.get(name, value)} for name, typed, value in corrected],
        "stories": stories,
        "facets": facets,
        "filters": filters,
        "active_filters": active,
        "total": total,
        "pagination": pagination(filters, number, num_pages),
    }


def pagination(filters, number, num_pages):
    return page_links(number, num_pages, lambda page: query_string(filters, page=page))
