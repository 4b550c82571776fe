"""The site search: stories first, then the other public pages, with the story facets.

Only Wagtail pages are searched (``StoryPage`` and ``Page``), live and public, under the
current site's root: draft and private pages never appear, and nothing else indexed on the
site (images, documents, snippets, applications) can. The query reaches the backend as
modelsearch query objects built from plain words (``search.query``), never as typed.

Facets are the story index's, from the same engine (``stories/facets.py``: region, kind of
business, theme, disjunctive counts, the same selects); here they count the stories that
match the words. Themes are filtered
through the backend with ``themes__slug`` (``RelatedFields("themes", [FilterField("slug")])``
on StoryPage): modelsearch cannot filter on the many-to-many ``FilterField("themes")`` itself
(it raises FilterFieldError on ``theme_id``), while faceting on it works.

The number of SQL queries is fixed whatever the number of results (tests pin it).
"""

import logging
import math
from dataclasses import dataclass, field

from django.db import DatabaseError
from django.db.models import Count, F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.models import Page, Site
from wagtail.search.utils import normalise_query_string

from home.folding import fold
from stories.facets import apply_filters, build_facets, clean_filters, query_string, tally
from stories.listing_cache import cached
from stories.models import StoryIndexPage, StoryPage, Theme
from stories.taxonomy import Region
from stories.vocabulary import corrections

from .autocomplete import did_you_mean
from .backends import SearchUnavailable, SQLiteMatch, backend_stems, is_sqlite_backend, run_with_fallback
from .query import build_backend_query, highlight, parse_query

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
REGION_LABELS = dict(Region.choices)


@dataclass
class Result:
    page: Page
    is_story: bool
    url: str
    excerpt: str


@dataclass
class SearchOutcome:
    stories_count: int = 0
    pages_count: int = 0
    results: list = field(default_factory=list)
    facets: list = field(default_factory=list)
    page_number: int = 1
    num_pages: int = 1
    first_index: int = 1

    @property
    def total(self):
        return self.stories_count + self.pages_count


def search_url(q, filters, **changes):
    """The search page's query string for ``q`` with these filters (None removes one)."""
    return query_string(filters, q=q, **changes) or "?"


def site_root(request):
    site = Site.find_for_request(request)
    return site.root_page if site else Page.get_first_root_node()


def public_pages_q():
    """The condition that leaves out private sections; Wagtail's ``public()`` reads the view
    restrictions on every call, this reads them once per search."""
    return ~Page.objects.all().private_q()


def story_queryset(root, filters, *, skip=None, public_q=None):
    queryset = StoryPage.objects.live().filter(public_q if public_q is not None else public_pages_q())
    return apply_filters(queryset.descendant_of(root), filters, skip=skip)


def other_pages_queryset(root, public_q):
    return Page.objects.live().filter(public_q).descendant_of(root, inclusive=True).not_type(StoryPage).specific()


def _excerpt_source(page):
    for attribute in ("summary", "search_description", "intro", "hero_text"):
        value = getattr(page, attribute, "")
        if isinstance(value, str) and value.strip():
            return value
    return ""


def run_search(backend, *, root, parsed, filters, themes, q, page_number, request):
    """Every count, slice and facet of one results page, evaluated on ``backend``.

    The counts and facets, and the ids of each page of results, are cached per generation
    of the public pages (``stories.listing_cache``): they depend on the site, the backend,
    the words searched and the filters, never on the visitor.
    """
    query = build_backend_query(parsed, stems=backend_stems(backend))
    outcome = SearchOutcome()
    if query is None:
        return outcome
    public_q = public_pages_q()
    stories_queryset = story_queryset(root, filters, public_q=public_q).prefetch_related("themes")
    others_queryset = None
    if not filters:  # a facet narrows the search to the stories
        others_queryset = other_pages_queryset(root, public_q)
    key = {
        "root": root.pk,
        "backend": f"{type(backend).__module__}.{type(backend).__name__}",
        "terms": parsed.terms,
        "phrases": parsed.phrases,
        "filters": filters,
    }

    match = _sqlite_match(backend, query, stories_queryset)
    if match:
        # SQLite: the FTS ``MATCH`` (and its join to the index entries, the costly part) runs
        # twice in all, whatever the filters: once for the relevance order of every matching
        # story, once for their region, kind and themes; the total, the three facets and each
        # page of stories come from those two answers.
        def compute_counts():
            summary = _story_summary(match, root, filters, themes, public_q, stories_queryset.model)
            summary["pages"] = _count(backend, query, others_queryset) if others_queryset is not None else 0
            return summary

        counts = cached("search-summary:2", key, compute_counts)
    else:

        def compute_counts():
            counts = _facet_counts(backend, query, root, filters, themes, public_q)
            counts["stories"] = counts["total"]
            counts["pages"] = _count(backend, query, others_queryset) if others_queryset is not None else 0
            return counts

        counts = cached("search-counts:2", key, compute_counts)
    outcome.stories_count = counts["stories"]
    outcome.pages_count = counts["pages"]

    num_pages = max(1, math.ceil(outcome.total / PAGE_SIZE))
    page_number = min(page_number, num_pages)
    start = (page_number - 1) * PAGE_SIZE
    end = start + PAGE_SIZE
    terms = parsed.all_terms
    if start < outcome.stories_count:
        if match:
            stories = _pages_by_ids(stories_queryset, counts["story_ids"][start:end])
        else:
            stories = _cached_page("search-stories", key, backend, query, stories_queryset, start, end)
        for story in stories:
            outcome.results.append(Result(story, True, story.get_url(request), highlight(story.summary, terms)))
    if others_queryset is not None and end > outcome.stories_count:
        offset = max(0, start - outcome.stories_count)
        pages = _cached_page("search-pages", key, backend, query, others_queryset, offset, end - outcome.stories_count)
        for page in pages:
            excerpt = highlight(_excerpt_source(page), terms)
            outcome.results.append(Result(page, False, page.get_url(request), excerpt))
    outcome.page_number = page_number
    outcome.num_pages = num_pages
    outcome.first_index = start + 1
    outcome.facets = build_facets(counts, filters, themes, link=lambda **changes: search_url(q, filters, **changes))
    return outcome


def _cached_page(namespace, key, backend, query, queryset, start, stop):
    """Results ``start:stop`` by relevance; their ids are cached, the pages always read afresh
    (through ``queryset``, so a page that is no longer live or public cannot come back)."""
    computed = []

    def compute():
        computed.extend(_ranked(backend, query, queryset, start, stop))
        return [obj.pk for obj in computed]

    ids = cached(namespace, {**key, "start": start, "stop": stop}, compute)
    if computed:
        return computed
    objects = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
    return [objects[pk] for pk in ids if pk in objects]


def _pages_by_ids(queryset, ids):
    """The pages of ``ids`` in that order, read afresh through ``queryset`` (a page that is no
    longer live or public since the ids were cached is left out)."""
    objects = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
    return [objects[pk] for pk in ids if pk in objects]


def _story_summary(match, root, filters, themes, public_q, model):
    """The matching stories' count, the three facets and the ids of every matching story in
    relevance order, from two reads of the FTS index (SQLite).

    One query ranks every story that matches the words (bm25, as modelsearch ranks them);
    one reads ``(pk, region, kind, theme)`` for the live, public stories under ``root`` that
    match (a row per theme link). The filters and the disjunctive facet counts (each facet
    under the *other* active filters) are then applied here, as the GROUP BY queries did.
    """
    ranked = match.ranked_ids(model)
    base = story_queryset(root, {}, public_q=public_q)
    rows = match.filter(base).order_by().values_list("pk", "region", "kind", "themes")
    stories = {}
    for pk, region, kind, theme_id in rows:
        story = stories.setdefault(pk, (region, kind, set()))
        if theme_id is not None:
            story[2].add(theme_id)
    slugs = {theme.pk: theme.slug for theme in themes}
    region, kind, theme = filters.get("region"), filters.get("kind"), filters.get("theme")
    cells, matching = [], set()
    for pk, (story_region, story_kind, story_themes) in stories.items():
        story_slugs = [slugs[theme_pk] for theme_pk in story_themes if theme_pk in slugs]
        in_theme = not theme or theme in story_slugs
        cells.append((story_region, story_kind, in_theme, story_slugs, 1))
        if in_theme and (not region or story_region == region) and (not kind or story_kind == kind):
            matching.add(pk)
    counts = tally(cells, filters)
    story_ids = []
    for pk in ranked:
        if pk in matching:
            story_ids.append(pk)
            matching.discard(pk)  # once each
    story_ids.extend(sorted(matching, key=str, reverse=True))  # none expected: the same MATCH
    return {"stories": len(story_ids), "story_ids": story_ids, **counts}


def _sqlite_match(backend, query, queryset):
    if is_sqlite_backend(backend):
        match = SQLiteMatch(backend, query, queryset)
        if match.supported:
            return match
    return None


def _count(backend, query, queryset):
    match = _sqlite_match(backend, query, queryset)
    if match:
        return match.filter(queryset).count()
    # No ranking for a count: modelsearch then skips its per-row score.
    return backend.search(query, queryset, order_by_relevance=False).count()


def _ranked(backend, query, queryset, start, stop):
    """Results ``start:stop`` by relevance (the FTS5 index read once on SQLite)."""
    match = _sqlite_match(backend, query, queryset)
    if match:
        return match.ranked(queryset, start, stop)
    return list(backend.search(query, queryset)[start:stop])


def _facet(backend, query, queryset, field_name):
    match = _sqlite_match(backend, query, queryset)
    if match:
        rows = match.filter(queryset).order_by().values(field_name).annotate(count=Count("pk"))
        return {row[field_name]: row["count"] for row in rows}
    return dict(backend.search(query, queryset, order_by_relevance=False).facet(field_name))


def _facet_counts(backend, query, root, filters, themes, public_q):
    """The counts ``stories.facets.build_facets`` reads, from the backend's facets: for each
    facet, the matching stories per value under the *other* active filters.

    A story has one region, so the stories under every filter are the selected region's
    count (all the regions' without a region filter): no query of their own.
    """

    def counts(skip, field_name):
        queryset = story_queryset(root, filters, skip=skip, public_q=public_q)
        return _facet(backend, query, queryset, field_name)

    regions, kinds, by_pk = counts("region", "region"), counts("kind", "kind"), counts("theme", "themes")
    region = filters.get("region")
    total = regions.get(region, 0) if region else sum(regions.values())
    theme_total = total
    if filters.get("theme"):  # the theme facet's « all »: the stories under the other filters
        theme_total = _count(backend, query, story_queryset(root, filters, skip="theme", public_q=public_q))
    return {
        "total": total,
        "region": regions,
        "kind": kinds,
        "theme": {theme.slug: by_pk[theme.pk] for theme in themes if by_pk.get(theme.pk)},
        "theme_total": theme_total,
    }


def promotions_for(q):
    """Editors' picks for this query (wagtail.contrib.search_promotions), live public pages only.

    Matched accents and case aside, so a pick made for « épicerie » answers « Epicerie » too.
    Editors make a few dozen picks at most: they are read in one query and compared here;
    only the pages of the picks that match are then checked (live, public), which spares
    every search a scan of all the live pages.
    """
    key = fold(normalise_query_string(q))
    promotions = SearchPromotion.objects.select_related("query", "page").order_by("sort_order", "pk")
    matching = [promotion for promotion in promotions if fold(promotion.query.query_string) == key]
    page_ids = {promotion.page_id for promotion in matching if promotion.page_id is not None}
    if page_ids:
        page_ids = set(Page.objects.live().public().filter(pk__in=page_ids).values_list("pk", flat=True))
    return [promotion for promotion in matching if promotion.page_id is None or promotion.page_id in page_ids]


def record_hit(q):
    """Count the query for the editors' statistics (Paramètres › Promotions de recherche).

    A statistic is not worth a failed search: a write error (a locked SQLite file) is logged.
    """
    try:
        # One UPDATE when today's row exists (every search but the first of the day for this
        # query), instead of modelsearch's two lookups and an UPDATE; the same counts.
        updated = QueryDailyHits.objects.filter(
            query__query_string=normalise_query_string(q), date=timezone.now().date()
        ).update(hits=F("hits") + 1)
        if not updated:
            Query.get(q).add_hit()
    except DatabaseError:
        logger.warning("Could not record the search query statistics", exc_info=True)


def story_index_url(request):
    index = StoryIndexPage.objects.live().public().first()
    return index.get_url(request) if index else None


def explore_links(request, themes):
    """For an empty result: the themes and the regions that have stories, on the story index."""
    index_url = story_index_url(request)
    if not index_url:
        return None
    region_rows = (
        StoryPage.objects.live().public().order_by().values("region").annotate(n=Count("pk")).order_by("-n", "region")
    )
    return {
        "index_url": index_url,
        "themes": [(theme.name, f"{index_url}?theme={theme.slug}") for theme in themes],
        "regions": [
            (REGION_LABELS.get(row["region"], row["region"]), f"{index_url}?region={row['region']}", row["n"])
            for row in region_rows
        ],
    }


def search_site(request, q, page_number):
    """Everything the search page shows for query ``q`` (already cleaned)."""
    themes = list(Theme.objects.order_by("name"))
    filters = clean_filters(request.GET, themes)
    parsed = parse_query(q)
    root = site_root(request)
    context = {
        "search_query": q,
        "terms": parsed.all_terms,
        "filters": filters,
        "has_filters": bool(filters),
        "clear_filters_url": search_url(q, {}),
        "outcome": None,
        "degraded": False,
        "unavailable": False,
        "promotions": [],
        "did_you_mean": [],
        "corrected_query": "",
        "corrected_url": "",
        "results_query": q,
        "explore": None,
    }
    if parsed:

        def searcher(parsed, q):
            def operation(backend):
                return run_search(
                    backend,
                    root=root,
                    parsed=parsed,
                    filters=filters,
                    themes=themes,
                    q=q,
                    page_number=page_number,
                    request=request,
                )

            return operation

        try:
            outcome, _backend, degraded = run_with_fallback(searcher(parsed, q), what="the search page")
        except SearchUnavailable:
            context["unavailable"] = True
            return context
        if not outcome.total:
            # One wrong letter in a town, a kind of business, a theme or a région: the
            # corrected words are searched instead, on the same backends, and suggested.
            corrected = corrected_query(parsed)
            if corrected:
                try:
                    corrected_outcome, _backend, corrected_degraded = run_with_fallback(
                        searcher(parse_query(corrected), corrected), what="the search page"
                    )
                except SearchUnavailable:
                    corrected_outcome = None
                if corrected_outcome and corrected_outcome.total:
                    outcome, degraded = corrected_outcome, degraded or corrected_degraded
                    context["corrected_query"] = corrected
                    context["corrected_url"] = search_url(corrected, filters)
                    context["clear_filters_url"] = search_url(corrected, {})
        context["outcome"] = outcome
        context["results_query"] = context["corrected_query"] or q
        context["degraded"] = degraded
        if outcome.page_number == 1:
            context["promotions"] = promotions_for(q)
            record_hit(q)
        context["pagination"] = _pagination(context.get("corrected_query") or q, filters, outcome)
        if not outcome.total:
            context["did_you_mean"] = [
                (name, search_url(name, {})) for name in did_you_mean(parsed, request=request) if fold(name) != fold(q)
            ]
    if not context["outcome"] or not context["outcome"].total:
        context["explore"] = explore_links(request, themes)
    return context


def corrected_query(parsed):
    """The query with its misspelt towns, kinds, themes and régions corrected, or "" when
    none is (``stories.vocabulary``: one wrong letter). Quoted phrases are kept as typed."""
    found = {fold(correction.original): correction.word for correction in corrections(parsed.terms)}
    if not found:
        return ""
    words = [found.get(fold(term), term) for term in parsed.terms]
    words.extend(f'"{" ".join(phrase)}"' for phrase in parsed.phrases)
    return " ".join(words)


def _pagination(q, filters, outcome):
    number, count = outcome.page_number, outcome.num_pages
    if count <= 1:
        return None
    window = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    pages = []
    previous = None
    for n in window:
        if previous and n - previous > 1:
            pages.append(None)  # an ellipsis
        pages.append((n, search_url(q, filters, page=n), n == number))
        previous = n
    return {
        "number": number,
        "count": count,
        "pages": pages,
        "previous_url": search_url(q, filters, page=number - 1) if number > 1 else None,
        "next_url": search_url(q, filters, page=number + 1) if number < count else None,
    }
