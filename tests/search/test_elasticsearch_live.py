"""Against a real Elasticsearch 9: analysis, facets, ranking, fallback off.

Skipped unless ELASTICSEARCH_URL points at a cluster (docs/operations.md, « Elasticsearch » gives the
docker command). Indexes are prefixed ``test_qc_live_`` and deleted afterwards.
"""

import os

import pytest
from django.core.management import call_command
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from stories.models import StoryPage
from stories.taxonomy import Region
from tests.factories import ProgrammePageFactory
from tests.search.conftest import elasticsearch_backends
from tests.search.test_search_page import result_titles
from tests.stories.factories import StoryPageFactory

pytestmark = [
    pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL"),
    pytest.mark.elasticsearch,
    pytest.mark.django_db,
]


@pytest.fixture
def live(settings):
    backends = elasticsearch_backends(os.environ["ELASTICSEARCH_URL"], timeout=10, index_timeout=60)
    backends["default"]["INDEX_PREFIX"] = "test_qc_live_"
    settings.WAGTAILSEARCH_BACKENDS = backends
    backend = get_search_backend("default")
    yield backend
    # By name: Elasticsearch 9 refuses a wildcard delete (action.destructive_requires_name).
    for name in backend.es.indices.get(index="test_qc_live_*", expand_wildcards="all"):
        backend.es.indices.delete(index=name)


def rebuild(backend):
    call_command("update_index", backend_name="default", verbosity=0)
    backend.refresh_indexes()


def analyse(backend, text):
    index = backend.get_index_for_model(StoryPage).name
    tokens = backend.es.indices.analyze(index=index, analyzer="default", text=text)["tokens"]
    return [token["token"] for token in tokens]


def test_stop_words_are_dropped_with_and_without_accents(live, laureates):
    rebuild(live)
    assert analyse(live, "été") == analyse(live, "ete") == []
    assert analyse(live, "même l'épicerie") == analyse(live, "meme l epicerie")
    assert analyse(live, "Épiceries solidaires") == analyse(live, "epicerie solidaire")


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("epicerie", "Épicerie du Mirail"),
        ("negreneys", "La Passerelle Négreneys"),
        ("femme", "La Passerelle Négreneys"),
        ("l'épicerie", "Épicerie du Mirail"),
    ],
)
def test_french_search(live, client, laureates, typed, expected):
    rebuild(live)
    response = client.get("/recherche/", {"q": typed})
    html = response.content.decode()
    assert expected in result_titles(response)
    assert "mode réduit" not in html


def test_suggestions(live, client, laureates):
    rebuild(live)
    for typed in ("negr", "négr", "NÉGR"):
        response = client.get("/recherche/suggestions/", {"q": typed})
        assert [item["name"] for item in response.json()["suggestions"]] == ["La Passerelle Négreneys"]


def test_every_region_is_faceted(live, story_index):
    for value, label in Region.choices:
        StoryPageFactory(parent=story_index, title=f"Café solidaire {label}", region=value)
    rebuild(live)
    facet = live.search("solidaire", StoryPage.objects.live(), order_by_relevance=False).facet("region")
    assert set(facet) == {value for value, _label in Region.choices}
    database = get_search_backend("database").search("solidaire", StoryPage.objects.live(), order_by_relevance=False)
    assert dict(facet) == dict(database.facet("region"))


def test_a_story_title_outranks_a_page_title(live, story_index, home_page):
    """StoryPage declares its title with boost 3, Page with 2: the story comes first."""
    ProgrammePageFactory(parent=home_page, title="Zinguerie")
    StoryPageFactory(parent=story_index, title="Zinguerie", business_name="Atelier", summary="")
    rebuild(live)
    ranked = [page.specific_class for page in live.search("zinguerie", Page.objects.live())]
    assert ranked[0] is StoryPage
