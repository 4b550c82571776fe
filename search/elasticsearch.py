"""The Elasticsearch 9 backend of the site: modelsearch's, failing fast and falling back.

``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.elasticsearch"`` (built by
``search.es_settings.backend_settings``). Every search the site makes goes through it: the
public search and its suggestions (``search.service``, ``search.autocomplete``) and
Wagtail's admin (pages, images, documents, snippets, which call ``queryset.search()`` or
``autocomplete()`` and evaluate the results lazily, in a paginator or a template).

One fallback rule, in :class:`FallbackSearchResults`: when Elasticsearch fails (refused,
timed out, an error status, an index that does not exist) or the circuit breaker says it is
down, the same search runs on the database backend (``FALLBACK``, « database »), which
is always kept up to date. A failure trips the :class:`CircuitBreaker`, shared by every
process through the cache (and kept in this process too, should the cache be down), for
``BREAKER_SECONDS``: the next searches go straight to the database, so a request waits for
Elasticsearch once at most, and a dead cluster costs one timeout per window, not one per
search. The public search asks the backend to raise instead (``raise_when_down``) so that it
can run its whole page again on the database backend (its counts are cached per backend).

Differences from modelsearch's Elasticsearch 9 backend, each for a reason:

- the index settings are the French analysis of ``search.es_settings`` only (no unused
  ngram analyser);
- facets ask for every bucket (``FACET_SIZE``): a terms aggregation returns 10 by default,
  8 of the 18 régions would go missing (wagtail#5668);
- a field a model declares again with another boost (StoryPage's title, 3, over Page's 2)
  keeps the mapping of the model that defines it (one field of one shared index cannot have
  two ``copy_to``) and the model's document adds its value to its own boost field, so that
  the boost the model declares is the one that ranks;
- index updates use their own timeout (``INDEX_TIMEOUT``) and a failed one is retried
  through the task queue (``search.indexing``) instead of being only logged.
"""

import copy
import hashlib
import logging
import time
from collections import OrderedDict

from django.core.cache import cache
from elastic_transport import ApiError, TransportError
from modelsearch.backends import get_search_backend
from modelsearch.backends.elasticsearch9 import (
    Elasticsearch9AutocompleteQueryCompiler,
    Elasticsearch9Index,
    Elasticsearch9Mapping,
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchQueryCompiler,
    Elasticsearch9SearchResults,
)
from modelsearch.backends.elasticsearchbase import ElasticsearchAutocompleteQueryCompilerImpl
from modelsearch.index import Indexed

from .es_settings import FRENCH_INDEX_SETTINGS
from .indexing import failures_counted, index_update_counts, schedule_retry

logger = logging.getLogger(__name__)

# What the cluster or the network can raise (elasticsearch's errors derive from these):
# connection refused or reset, timeouts, TLS errors, any error status, a server that is
# not Elasticsearch.
ELASTICSEARCH_ERRORS = (ApiError, TransportError)

# Buckets asked of a terms aggregation: more than any facet of the site has values (18
# régions, a few kinds and themes), far below Elasticsearch's search.max_buckets (65 536).
FACET_SIZE = 1000


class ElasticsearchDown(Exception):
    """Elasticsearch did not answer, or the circuit breaker is open (``raise_when_down``)."""


class CircuitBreaker:
    """« Elasticsearch is down » for ``seconds`` after a failure, for every process.

    The deadline is kept in the shared cache (Redis in production) and in this process: with
    the cache down, each process still stops asking after its own first failure.
    """

    _local = {}  # cache key → time.monotonic() deadline, in this process

    def __init__(self, key, seconds):
        self.key = key
        self.seconds = seconds

    def is_open(self):
        if self._local.get(self.key, 0) > time.monotonic():
            return True
        try:
            until = cache.get(self.key)
        except Exception:
            until = None
        remaining = (until or 0) - time.time()
        if remaining > 0:
            self._local[self.key] = time.monotonic() + remaining
            return True
        return False

    def remaining(self):
        return max(0.0, self._local.get(self.key, 0) - time.monotonic())

    def trip(self):
        self._local[self.key] = time.monotonic() + self.seconds
        try:
            cache.set(self.key, time.time() + self.seconds, self.seconds)
        except Exception:
            logger.warning("Could not share the search circuit breaker through the cache", exc_info=True)

    def reset(self):
        self._local.pop(self.key, None)
        try:
            cache.delete(self.key)
        except Exception:
            logger.warning("Could not reset the search circuit breaker in the cache", exc_info=True)


def trips_breaker(exc):
    """Whether an error says the cluster is unusable (unreachable, overloaded, failing, its
    index missing, the site's credentials refused), rather than that this one request or
    document was wrong (400 bad request, 409 conflict): only the former opens the breaker."""
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "meta", None), "status", None)
    return not isinstance(exc, ApiError) or status not in (400, 409)


def _describe(exc):
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "meta", None), "status", None)
    return f"{type(exc).__name__} {status}" if status else type(exc).__name__


class BoostMapping(Elasticsearch9Mapping):
    """modelsearch's mapping, with the boosts that a model declares again (see the module)."""

    def redeclared_boosts(self):
        """``(field, inherited)`` for each SearchField this model declares with another boost
        than the ancestor that defines the field (StoryPage's title: 3 over Page's 2)."""
        pairs = []
        if not issubclass(self.model, Indexed):  # a related model nested in a document
            return pairs
        for field in self.model.get_searchable_search_fields():
            definition = field.get_definition_model(self.model)
            if definition in (None, self.model) or not issubclass(definition, Indexed):
                continue
            inherited = {f.field_name: f for f in definition.get_searchable_search_fields()}.get(field.field_name)
            if inherited is not None and (inherited.boost or 1) != (field.boost or 1):
                pairs.append((field, inherited))
        return pairs

    def get_field_mapping(self, field):
        for redeclared, inherited in self.redeclared_boosts():
            if field is redeclared:
                # The shared field keeps its definition's mapping, whichever model's mapping
                # reaches the index last.
                return super().get_field_mapping(inherited)
        return super().get_field_mapping(field)

    def get_mapping(self):
        mapping = super().get_mapping()
        for field, _inherited in self.redeclared_boosts():
            mapping["properties"].setdefault(self.get_boost_field_name(field.boost or 1), {"type": "text"})
        return mapping

    def get_document(self, obj):
        document = super().get_document(obj)
        for field, _inherited in self.redeclared_boosts():
            value = field.get_value(obj)
            if value:
                name = self.get_boost_field_name(field.boost or 1)
                document.setdefault(name, []).append(value)
        return document


class BoostSearchQueryCompiler(Elasticsearch9SearchQueryCompiler):
    mapping_class = BoostMapping


class BoostAutocompleteQueryCompiler(Elasticsearch9AutocompleteQueryCompiler):
    mapping_class = BoostMapping


class IndexWithTimeout(Elasticsearch9Index):
    """Index writes (documents, mappings, a rebuild) with the indexing timeout."""

    def __init__(self, backend, name):
        super().__init__(backend, name)
        self.es = backend.indexing_es


class FallbackSearchResults(Elasticsearch9SearchResults):
    """Search results that come from the database backend when Elasticsearch cannot answer."""

    def _answer(self, what, from_elasticsearch, from_database):
        backend = self.backend
        if backend.breaker.is_open():
            return backend.fall_back(what, None, from_database)
        try:
            return from_elasticsearch()
        except ELASTICSEARCH_ERRORS as exc:
            if trips_breaker(exc):
                backend.breaker.trip()
            return backend.fall_back(what, exc, from_database)

    def _database_results(self):
        compiler = self.query_compiler
        database = self.backend.database_backend()
        method = (
            database.autocomplete
            if isinstance(compiler, ElasticsearchAutocompleteQueryCompilerImpl)
            else database.search
        )
        results = method(
            compiler.query, compiler.queryset, fields=compiler.fields, order_by_relevance=compiler.order_by_relevance
        )
        if self._score_field:
            results = results.annotate_score(self._score_field)
        if self.start or self.stop is not None:
            results = results[self.start : self.stop]
        return results

    def _do_search(self):
        return self._answer(
            "a search",
            lambda: list(super(FallbackSearchResults, self)._do_search()),
            lambda: list(self._database_results()),
        )

    def _do_count(self):
        return self._answer(
            "a count", lambda: super(FallbackSearchResults, self)._do_count(), lambda: self._database_results().count()
        )

    def facet(self, field_name):
        field = self.query_compiler._get_filterable_field(field_name)
        if field is None:
            return super().facet(field_name)  # raises FilterFieldError, as modelsearch does
        return self._answer(
            "a facet", lambda: self._facet(field_name, field), lambda: self._database_results().facet(field_name)
        )

    def _facet(self, field_name, field):
        """modelsearch's facet, every bucket asked for (``size``), and no sort (no hits)."""
        body = self._get_es_body(for_count=True)
        column_name = self.query_compiler.mapping.get_field_column_name(field)
        body["aggregations"] = {field_name: {"terms": {"field": column_name, "missing": 0, "size": FACET_SIZE}}}
        response = self._backend_do_search(
            body, index=self.backend.get_index_for_model(self.query_compiler.queryset.model).name, size=0
        )
        return OrderedDict(
            (bucket["key"] if bucket["key"] != 0 else None, bucket["doc_count"])
            for bucket in response["aggregations"][field_name]["buckets"]
        )


class ElasticsearchWithFallback(Elasticsearch9SearchBackend):
    """modelsearch's Elasticsearch 9 backend with one fallback rule and retried index updates.

    Parameters, on top of modelsearch's: ``INDEX_TIMEOUT`` (seconds, index writes),
    ``BREAKER_SECONDS`` (how long a failure keeps searches off Elasticsearch), ``FALLBACK``
    (the name of the database backend in WAGTAILSEARCH_BACKENDS).
    """

    mapping_class = BoostMapping
    index_class = IndexWithTimeout
    query_compiler_class = BoostSearchQueryCompiler
    autocomplete_query_compiler_class = BoostAutocompleteQueryCompiler
    results_class = FallbackSearchResults
    # Not merged with modelsearch's class settings: its ngram analyser, filter and tokenizers
    # are used by no field.
    settings = FRENCH_INDEX_SETTINGS

    def __init__(self, params):
        params = copy.deepcopy(dict(params))
        self.index_timeout = params.pop("INDEX_TIMEOUT", 30)
        breaker_seconds = params.pop("BREAKER_SECONDS", 30)
        self.fallback_name = params.pop("FALLBACK", "database")
        super().__init__(params)
        self.indexing_es = self.es.options(request_timeout=self.index_timeout)
        where = ",".join(
            f"{host['scheme']}://{host['host']}:{host['port']}{host['path_prefix']}" for host in self.hosts
        )
        digest = hashlib.sha1(f"{where}|{self.index_prefix}".encode(), usedforsecurity=False).hexdigest()[:12]
        self.breaker = CircuitBreaker(f"search:breaker:{digest}", breaker_seconds)
        # Set when a search of this backend object was answered by the database backend.
        self.degraded = False
        # True: a failure raises ElasticsearchDown instead of answering from the database.
        self.raise_when_down = False

    def database_backend(self):
        return get_search_backend(self.fallback_name)

    def fall_back(self, what, exc, from_database):
        if exc is None:
            logger.info("Elasticsearch marked down: %s answered by the database backend", what)
        else:
            logger.warning(
                "Elasticsearch failed during %s (%s); answering from the database%s",
                what,
                _describe(exc),
                f", marked down for {self.breaker.seconds}s" if trips_breaker(exc) else "",
            )
        if self.raise_when_down:
            raise ElasticsearchDown(what) from exc
        self.degraded = True
        return from_database()

    # --- Index updates ---------------------------------------------------------------------

    def index_now(self, action, obj):
        """Apply one update now; raises when Elasticsearch fails (the retry task's way in)."""
        if action == "add":
            super().add(obj)
        else:
            super().delete(obj)

    def _update(self, action, obj):
        if self.breaker.is_open():
            logger.info("Elasticsearch marked down: %s of %s %s queued for later", action, obj._meta.label, obj.pk)
            schedule_retry(action, type(obj), obj.pk)
            return
        try:
            self.index_now(action, obj)
        except ELASTICSEARCH_ERRORS as exc:
            if trips_breaker(exc):
                self.breaker.trip()
            logger.warning(
                "Elasticsearch failed during the %s of %s %s (%s); retried through the task queue",
                action,
                obj._meta.label,
                obj.pk,
                _describe(exc),
            )
            schedule_retry(action, type(obj), obj.pk)

    def add(self, obj):
        self._update("add", obj)

    def delete(self, obj):
        self._update("delete", obj)

    # --- Readiness ---------------------------------------------------------------------------

    def health(self):
        """The state for /readyz/: whether the cluster answers a ping (two seconds at most),
        the circuit breaker, and the index updates waiting or failed."""
        result = {
            "backend": "elasticsearch",
            "breaker": "open" if self.breaker.is_open() else "closed",
            **index_update_counts(),
            "index_update_errors": failures_counted(),
        }
        if not self.es.options(request_timeout=2).ping():
            self.breaker.trip()
            result.update(status="unavailable", breaker="open")
        elif result["breaker"] == "open":
            result["status"] = "degraded"
        elif result["pending_index_updates"] or result["failed_index_updates"]:
            result["status"] = "stale"
        else:
            result["status"] = "ok"
        return result


SearchBackend = ElasticsearchWithFallback
