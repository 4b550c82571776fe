"""Which search backend answers, and what to do when it does not.

``WAGTAILSEARCH_BACKENDS`` (config/settings/base.py) always has a database backend; with
``ELASTICSEARCH_URL`` Elasticsearch is ``default`` and the database backend is kept up to
date under the name ``database``. Both are updated by modelsearch's signal handlers (every
backend whose ``AUTO_UPDATE`` is not False); an Elasticsearch indexing error is caught and
logged there (``catch_indexing_errors``), so a publish never fails because Elasticsearch is
down. A search, on the other hand, would raise: :func:`run_with_fallback` runs it again on
the database backend, and logs why.

https://docs.wagtail.org/en/stable/topics/search/backends.html
"""

import logging

from django.conf import settings
from wagtail.search.backends import get_search_backend

logger = logging.getLogger(__name__)


class SearchUnavailable(Exception):
    """Neither the default backend nor the database backend could answer."""


def database_backend_name():
    """The name of the database backend in WAGTAILSEARCH_BACKENDS."""
    backends = settings.WAGTAILSEARCH_BACKENDS
    if "database" in backends:
        return "database"
    return "default"


def is_database_backend(backend):
    return type(backend).__module__.startswith(("modelsearch.backends.database", "wagtail.search.backends.database"))


def is_sqlite_backend(backend):
    return type(backend).__module__.startswith("modelsearch.backends.database.sqlite")


def is_postgres_backend(backend):
    return type(backend).__module__.startswith("modelsearch.backends.database.postgres")


def backend_stems(backend):
    """Whether the backend reduces words to their stem, so that « femme » finds « femmes ».

    PostgreSQL does with a text search configuration (SEARCH_CONFIG, french_unaccent here),
    Elasticsearch with the French analyser of its index settings. SQLite FTS5 (unicode61
    tokenizer, as modelsearch creates the table) and the plain fallback backend do not.
    """
    if is_postgres_backend(backend):
        return bool(getattr(backend, "config", None))
    return not is_database_backend(backend)


def run_with_fallback(operation, *, what="search"):
    """Run ``operation(backend)`` on the default backend, else on the database backend.

    ``operation`` must evaluate everything it needs (counts, slices, facets) before it
    returns, so that an error from an unreachable Elasticsearch is raised here and not
    later while a template renders. Returns ``(result, backend, degraded)``.
    """
    default = get_search_backend("default")
    try:
        return operation(default), default, False
    except Exception:
        if is_database_backend(default):
            logger.exception("The database search backend failed during %s", what)
            raise SearchUnavailable(what) from None
        logger.exception(
            "The search backend %s did not answer during %s; answering from the database index",
            type(default).__name__,
            what,
        )
    database = get_search_backend(database_backend_name())
    try:
        return operation(database), database, True
    except Exception:
        logger.exception("The database search backend failed too during %s", what)
        raise SearchUnavailable(what) from None
