"""Elasticsearch: French index settings, and the database index taking over when it is down.

The fallback tests need no server: the backend points at a closed port (127.0.0.1:9). The
tests marked ``elasticsearch`` need a live server at ELASTICSEARCH_URL and are skipped
without one.
"""

import logging
import os

import pytest
from django.core.management import call_command
from wagtail.search.backends import get_search_backend

from search.es_settings import FRENCH_INDEX_SETTINGS
from tests.stories.factories import StoryPageFactory

CLOSED_PORT_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.elasticsearch9",
        "URLS": ["http://127.0.0.1:9"],
        "INDEX_PREFIX": "test_qc_",
        "TIMEOUT": 2,
        "OPTIONS": {"max_retries": 0},
        "INDEX_SETTINGS": FRENCH_INDEX_SETTINGS,
    },
    "database": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french_unaccent"},
}


def test_index_settings_are_french_on_both_sides():
    backend = get_search_backend("default", BACKEND="wagtail.search.backends.elasticsearch9", **_params())
    analysis = backend.settings["settings"]["analysis"]
    default = analysis["analyzer"]["default"]
    # The default analyser serves full-text fields at index and at query time alike.
    assert default["filter"] == ["french_elision", "lowercase", "french_stop", "asciifolding", "french_stemmer"]
    assert analysis["filter"]["french_stemmer"] == {"type": "stemmer", "language": "light_french"}
    assert "asciifolding" in analysis["analyzer"]["edgengram_analyzer"]["filter"]
    # modelsearch's own filters survive the merge.
    assert analysis["filter"]["edgengram"]["type"] == "edge_ngram"
    assert backend.settings["settings"]["index"]["max_ngram_diff"] == 12


def _params():
    params = dict(CLOSED_PORT_BACKENDS["default"])
    params.pop("BACKEND")
    return params


@pytest.fixture
def elasticsearch_down(settings):
    settings.WAGTAILSEARCH_BACKENDS = CLOSED_PORT_BACKENDS
    return settings


@pytest.mark.django_db
def test_publishing_while_elasticsearch_is_down_still_works(elasticsearch_down, story_index, caplog):
    caplog.set_level(logging.ERROR)
    story = StoryPageFactory(parent=story_index, title="Café Zorglub", live=False)
    story.save_revision().publish()  # no exception reaches the editor
    # modelsearch logged the Elasticsearch error (catch_indexing_errors) instead of raising it.
    assert any(
        record.name == "modelsearch.index" and "'default' search backend" in record.getMessage()
        for record in caplog.records
    )
    # The database index, the second backend, was updated all the same.
    database = get_search_backend("database")
    assert [page.title for page in database.search("zorglub", type(story).objects.live())] == ["Café Zorglub"]


@pytest.mark.django_db
def test_search_falls_back_to_the_database_index(elasticsearch_down, client, laureates, caplog):
    caplog.set_level(logging.ERROR)
    response = client.get("/recherche/", {"q": "negreneys", "theme": "inclusion-des-femmes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert ">La Passerelle Négreneys</a>" in html
    assert "mode réduit" in html
    assert any("answering from the database index" in record.getMessage() for record in caplog.records)

    suggestions = client.get("/recherche/suggestions/", {"q": "négr"})
    assert suggestions.status_code == 200
    assert [item["name"] for item in suggestions.json()["suggestions"]] == ["La Passerelle Négreneys"]


live = pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL")


@pytest.fixture
def live_elasticsearch(settings):
    backends = {
        "default": {**CLOSED_PORT_BACKENDS["default"], "URLS": [os.environ["ELASTICSEARCH_URL"]], "TIMEOUT": 10},
        "database": CLOSED_PORT_BACKENDS["database"],
    }
    backends["default"]["INDEX_PREFIX"] = "test_qc_search_"
    settings.WAGTAILSEARCH_BACKENDS = backends
    return get_search_backend("default")


@live
@pytest.mark.elasticsearch
@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed,expected",
    [
        ("epicerie", "Épicerie du Mirail"),
        ("negreneys", "La Passerelle Négreneys"),
        ("femme", "La Passerelle Négreneys"),
        ("l'épicerie", "Épicerie du Mirail"),
    ],
)
def test_french_search_on_a_live_server(live_elasticsearch, client, laureates, typed, expected):
    call_command("update_index", backend_name="default", verbosity=0)
    live_elasticsearch.refresh_indexes()
    response = client.get("/recherche/", {"q": typed})
    html = response.content.decode()
    assert f">{expected}</a>" in html
    assert "mode réduit" not in html


@live
@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_autocomplete_on_a_live_server(live_elasticsearch, client, laureates):
    call_command("update_index", backend_name="default", verbosity=0)
    live_elasticsearch.refresh_indexes()
    for typed in ("negr", "négr", "NÉGR"):
        response = client.get("/recherche/suggestions/", {"q": typed})
        assert [item["name"] for item in response.json()["suggestions"]] == ["La Passerelle Négreneys"]
