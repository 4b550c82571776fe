"""The story index's listing: filters from the query string, facet counts, pagination.

Filters combine (region AND kind AND theme) and live in the query string
(?region=occitanie&kind=cafe&theme=parentalite&page=2), so a filtered list can be shared
and works without JavaScript. Unknown values are ignored rather than answered with an error.

Facet counts are disjunctive: the count beside each region is the number of stories
matching the *other* active filters (kind and theme) in that region, so a visitor sees what
choosing that value would give. The total and the counts take two aggregate queries (GROUP BY
region, kind and has-the-selected-theme, summed here; GROUP BY theme), and the page's cards
come from one query plus one prefetch (their renditions), so the number of SQL queries does not grow
with the number of stories. The counts are cached (``stories.listing_cache``) until a page,
a view restriction or a theme changes.
"""

import re
from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from home.chrome import public_q
from home.pagination import page_links, parse_page_number
from home.text import fold

from .listing_cache import cached
from .models import StoryPage, Theme
from .taxonomy import BusinessKind, Region
from .vocabulary import MIN_LENGTH, one_edit_apart

PAGE_SIZE = 12
# The renditions a story card shows (see stories/includes/story_card.html): prefetched
# together with the cards so that no card costs a query of its own.
CARD_IMAGE_SPECS = ("fill-360x240|format-webp", "fill-720x480|format-webp")
FILTER_PARAMS = ("region", "kind", "theme")
# What a misspelt filter value may look like to be corrected: a slug of a sensible length.
_SLUG = re.compile(rf"[a-z][a-z0-9-]{{{MIN_LENGTH - 1},80}}")
# What a card never shows: left out of the cards' query (the story's text would otherwise be
# read, and sorted with, every row).
CARD_DEFERRED = ("body", "support_received", "search_description", "seo_title")


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    all_label: str
    options: list
    selected: str | None
    total: int

    @property
    def selected_label(self):
        return next((option.label for option in self.options if option.selected), "")


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


def clean_filters(params, themes, corrected=None):
    """Keep the known values of region, kind and theme; the last value wins when repeated.

    A value one letter away from a single known one (« ?theme=parentalte ») is read as that
    one (``stories.vocabulary.one_edit_apart``); ``corrected``, a list, then receives
    ``(name, typed value, known value)`` so the page can say so. Anything else is ignored.
    """
    valid = {
        "region": set(Region.values),
        "kind": set(BusinessKind.values),
        "theme": {theme.slug for theme in themes},
    }
    cleaned = {}
    for name in FILTER_PARAMS:
        value = params.get(name, "")
        if not isinstance(value, str) or not value:
            continue
        if value in valid[name]:
            cleaned[name] = value
            continue
        typed = fold(value.strip())
        if not _SLUG.fullmatch(typed):
            continue
        near = [known for known in valid[name] if known == typed or one_edit_apart(typed, known)]
        if len(near) == 1:
            cleaned[name] = near[0]
            if corrected is not None:
                corrected.append((name, value, near[0]))
    return cleaned


def apply_filters(queryset, filters, *, skip=None):
    if filters.get("region") and skip != "region":
        queryset = queryset.filter(region=filters["region"])
    if filters.get("kind") and skip != "kind":
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("theme") and skip != "theme":
        queryset = queryset.filter(themes__slug=filters["theme"])
    return queryset


def facet_counts(base, filters, themes):
    """The total and the three facets' counts in two aggregate queries.

    One GROUP BY over the stories under no filter but (region, kind, and whether the story
    has the selected theme) gives the few dozen (region, kind, flag) cells; the disjunctive
    counts of region and kind, the total and the theme facet's "all" count are sums over
    those cells. One GROUP BY over the theme links of the stories in the selected region and
    kind gives the theme counts.
    """
    region, kind, theme = filters.get("region"), filters.get("kind"), filters.get("theme")
    theme_id = next((item.pk for item in themes if item.slug == theme), None) if theme else None
    Links = StoryPage.themes.through
    cells = base.order_by()
    # ``pk IN (the stories with that theme)``: one list built once, not a lookup per story.
    has_theme = Q(pk__in=Links.objects.filter(theme_id=theme_id).values("storypage_id")) if theme_id else None
    # Only the stories that match every active filter but one count anywhere: with two
    # filters or more, each of them has one of two values, so the pass reads those stories
    # through the region and kind indexes instead of scanning every story.
    if region and kind:
        cells = cells.filter(Q(region=region) | Q(kind=kind))
    elif (region or kind) and has_theme:
        cells = cells.filter((Q(region=region) if region else Q(kind=kind)) | has_theme)
    cells = cells.values("region", "kind")
    if has_theme:
        cells = cells.annotate(has_theme=ExpressionWrapper(has_theme, output_field=BooleanField())).values(
            "region", "kind", "has_theme"
        )
    cells = cells.annotate(n=Count("pk"))
    counts = {"total": 0, "region": {}, "kind": {}, "theme_total": 0}
    for cell in cells:
        in_theme = theme_id is None or cell["has_theme"]
        in_region = region is None or cell["region"] == region
        in_kind = kind is None or cell["kind"] == kind
        n = cell["n"]
        if in_kind and in_theme:
            counts["region"][cell["region"]] = counts["region"].get(cell["region"], 0) + n
        if in_region and in_theme:
            counts["kind"][cell["kind"]] = counts["kind"].get(cell["kind"], 0) + n
        if in_region and in_kind:
            counts["theme_total"] += n
            if in_theme:
                counts["total"] += n
    # A (story, theme) pair is one row of the many-to-many table: no DISTINCT needed.
    stories = apply_filters(base, filters, skip="theme").order_by().values("pk")
    links = Links.objects.filter(storypage_id__in=stories).order_by().values("theme_id").annotate(n=Count("pk"))
    slugs = {item.pk: item.slug for item in themes}
    counts["theme"] = {slugs[row["theme_id"]]: row["n"] for row in links if row["theme_id"] in slugs}
    return counts


def build_facets(counts, filters, themes, total):
    """The three facets from ``facet_counts``.

    ``total`` is the number of stories matching every filter; the "all" option of each facet
    shows the number of stories under the other filters.
    """
    region_counts, kind_counts, theme_counts = counts["region"], counts["kind"], counts["theme"]

    def options(choices, counts, selected):
        return [
            FacetOption(value, label, counts.get(value, 0), value == selected)
            for value, label in choices
            if counts.get(value, 0) or value == selected
        ]

    # A story has one region and one kind, so their counts add up; it may have several themes.
    region_total = sum(region_counts.values())
    kind_total = sum(kind_counts.values())
    theme_total = counts["theme_total"]
    return [
        Facet(
            "region",
            _("Région"),
            _("Toutes les régions"),
            options(Region.choices, region_counts, filters.get("region")),
            filters.get("region"),
            region_total,
        ),
        Facet(
            "kind",
            _("Type de commerce"),
            _("Tous les types"),
            options(BusinessKind.choices, kind_counts, filters.get("kind")),
            filters.get("kind"),
            kind_total,
        ),
        Facet(
            "theme",
            _("Thème"),
            _("Tous les thèmes"),
            options([(theme.slug, theme.name) for theme in themes], theme_counts, filters.get("theme")),
            filters.get("theme"),
            theme_total,
        ),
    ]


def query_string(filters, **changes):
    """The query string for these filters with some values changed (None removes one)."""
    params = QueryDict(mutable=True)
    merged = {**filters, **changes}
    for name in (*FILTER_PARAMS, "page"):
        value = merged.get(name)
        if value not in (None, "", 1):
            params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


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
    counts = cached("story-index:2", {"index": index.pk, "filters": filters}, compute_counts)
    total = counts["total"]
    facets = build_facets(counts, filters, themes, total)
    num_pages = max(1, -(-total // PAGE_SIZE))
    number = parse_page_number(params.get("page", 1), num_pages)
    offset = (number - 1) * PAGE_SIZE
    cards = with_card_images(matching.order_by("title", "pk").defer(*CARD_DEFERRED))
    stories = list(cards[offset : offset + PAGE_SIZE])
    active = [
        {"facet": facet, "label": facet.selected_label, "remove_url": query_string(filters, **{facet.name: None})}
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
