"""Story-name suggestions for the search box (/recherche/suggestions/?q=…) and « did you mean ».

Prefix search over the stories' autocomplete fields (title, business name, town): SQLite
FTS5 and Elasticsearch answer through the search backend's ``autocomplete``; on PostgreSQL
modelsearch indexes autocomplete fields with the ``simple`` configuration (accents kept), so
« negr » would not find « Négreneys » there: the suggestions are then read from the pages
with ``f_unaccent`` (created by this app's migration) and a word-start regular expression.
Answers are cached (``home.cache.GenerationCache``, prefix ``search:suggest``), except those
the database gave while Elasticsearch was down (``search.backends.run_with_fallback``, whose
circuit breaker also spares « did you mean » a second wait); publishing,
unpublishing or deleting a story starts a new generation (signals connected in
``search.apps``). A cache that does not answer costs the cache, never the suggestions.
"""

import re

from django.db.models import TextField, Value
from django.db.models.functions import Concat, Lower
from modelsearch.query import PlainText

from home.cache import GenerationCache
from home.folding import fold
from stories.models import StoryPage
from stories.taxonomy import Region

from .backends import SearchUnavailable, SQLiteMatch, is_postgres_backend, is_sqlite_backend, run_with_fallback
from .query import autocomplete_terms, clean_query

MAX_SUGGESTIONS = 8
MIN_QUERY_LENGTH = 2
CACHE_SECONDS = 300
REGION_LABELS = dict(Region.choices)

SUGGESTIONS = GenerationCache("search:suggest", timeout=CACHE_SECONDS)
# Forget every cached suggestion (a story was published, unpublished or deleted).
new_generation = SUGGESTIONS.new_generation


def _stories():
    return StoryPage.objects.live().public()


def _from_backend(backend, terms, limit):
    if is_postgres_backend(backend):
        from modelsearch.backends.database.postgres.postgres import FUnaccent

        haystack = FUnaccent(
            Lower(Concat("title", Value(" "), "business_name", Value(" "), "town", output_field=TextField()))
        )
        queryset = _stories().annotate(_haystack=haystack)
        for term in terms:
            queryset = queryset.filter(_haystack__regex=r"\m" + re.escape(term))
        return list(queryset.order_by("title")[:limit])
    query = PlainText(" ".join(terms), operator="and")
    if is_sqlite_backend(backend):
        match = SQLiteMatch(backend, query, _stories(), autocomplete=True)
        if match.supported:
            return match.ranked(_stories(), 0, limit)
    return list(backend.autocomplete(query, _stories())[:limit])


def story_suggestions(raw, *, request=None, limit=MAX_SUGGESTIONS):
    """Up to ``limit`` stories whose name or town starts like the query, as JSON-ready dicts."""
    terms = autocomplete_terms(clean_query(raw))
    if sum(len(term) for term in terms) < MIN_QUERY_LENGTH:
        return []

    parts = {"terms": terms, "limit": limit}
    items = SUGGESTIONS.get("stories", parts)
    if items is not None:
        return items
    stories, _backend, degraded = run_with_fallback(
        lambda backend: _from_backend(backend, terms, limit), what="the suggestions"
    )
    items = [
        {
            "name": story.business_name or story.title,
            "town": story.town,
            "region": str(REGION_LABELS.get(story.region, "")),
            "url": story.get_url(request),
        }
        for story in stories
    ]
    if not degraded:  # the database's answer is not kept for when Elasticsearch is back
        SUGGESTIONS.set("stories", parts, items)
    return items


def did_you_mean(parsed, *, request=None, limit=3):
    """Story names close to a query that found nothing: a prefix of its longest word.

    « negrenys » finds nothing; « negren… » finds « La Passerelle Négreneys ». Up to three
    shorter prefixes are tried, longest first, so a typo near the end of a word is forgiven.
    """
    words = sorted({fold(word) for word in parsed.all_terms if len(word) >= 4}, key=len, reverse=True)
    if not words:
        return []
    word = words[0]
    for length in range(len(word), max(3, len(word) - 4), -2):
        try:
            suggestions = story_suggestions(word[:length], request=request, limit=limit)
        except SearchUnavailable:
            return []
        names = [item["name"] for item in suggestions]
        if names:
            return list(dict.fromkeys(names))
    return []
