"""What the site sends to Elasticsearch 9, checked against the expected query DSL.

The backend points at a local HTTP server that answers like Elasticsearch
(``tests.search.fake_elasticsearch``) and records every request: the bodies of a search, a
filtered search, its facets and the suggestions are compared with the DSL written out
here; so are the index settings and mappings that ``update_index`` sends. The answers the
server gives (counts, hits, buckets) are then what the page shows.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils.html import escape
from wagtail.models import Page

from search.elasticsearch import FACET_SIZE, BoostMapping
from search.es_settings import FRENCH_STOPWORDS_FOLDED
from stories.models import StoryPage
from stories.taxonomy import Region
from tests.search.conftest import elasticsearch_backends
from tests.search.fake_elasticsearch import FakeElasticsearch, default_answer

pytestmark = pytest.mark.django_db

INDEX = "/test_qc_wagtailcore_page"
ALL_FIELDS = ["_all_text", "_all_text_boost_2_0^2.0", "_all_text_boost_3_0^3.0"]


@pytest.fixture
def fake(settings):
    with FakeElasticsearch("ok") as server:
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(server.url)
        yield server


def words(text):
    return {"multi_match": {"query": text, "operator": "and", "fields": ALL_FIELDS}}


def story_filters(root, *extra):
    return [
        {"match": {"_django_content_type": "stories.StoryPage"}},
        {
            "bool": {
                "must": [
                    {"term": {"live_filter": True}},
                    {"prefix": {"path_filter": root.path}},
                    {"range": {"depth_filter": {"gte": root.depth}}},
                    *extra,
                ]
            }
        },
    ]


def facet_body(name, column, query, filters):
    return {
        "aggregations": {name: {"terms": {"field": column, "missing": 0, "size": FACET_SIZE}}},
        "query": {"bool": {"must": query, "filter": filters}},
        "size": 0,
    }


def test_a_filtered_search_and_its_facets(fake, client, laureates, home_page):
    passerelle = laureates["passerelle"]
    theme_pk = passerelle.themes.get().pk  # read here: the server's thread has no database
    fake.requests.clear()

    def answer(request):
        body = request.body or {}
        if request.path.endswith("/_count"):
            return 200, {"count": 1}
        if "aggregations" in body:
            name = next(iter(body["aggregations"]))
            keys = {
                "region": ["occitanie"],
                "kind": ["tiers-lieu"],
                "themes": [theme_pk],
            }
            buckets = [{"key": key, "doc_count": 1} for key in keys[name]]
            return 200, {"hits": {"total": {"value": 1}, "hits": []}, "aggregations": {name: {"buckets": buckets}}}
        hit = {"_id": str(passerelle.pk), "_score": 2.5, "fields": {"pk": [str(passerelle.pk)]}}
        return 200, {"hits": {"total": {"value": 1, "relation": "eq"}, "hits": [hit]}}

    fake.respond = answer
    response = client.get("/recherche/", {"q": "Tiers-lieu des femmes", "region": "occitanie"})
    html = response.content.decode()
    assert ">La Passerelle Négreneys</a>" in html
    assert "mode réduit" not in html

    region = {"term": {"stories_storypage__region_filter": "occitanie"}}
    query = words("Tiers lieu femmes")  # « des » dropped, the hyphen a space (search.query)
    # The stories' count is the région facet's (no _count of its own).
    assert [(r.method, r.path) for r in fake.requests] == [
        ("POST", f"{INDEX}/_search"),
        ("POST", f"{INDEX}/_search"),
        ("POST", f"{INDEX}/_search"),
        ("POST", f"{INDEX}/_search"),
    ]
    regions, kinds, themes, results = (r.body for r in fake.requests)
    # Each facet counts under the *other* filters: the région facet without the région.
    assert regions == facet_body("region", "stories_storypage__region_filter", query, story_filters(home_page))
    assert kinds == facet_body("kind", "stories_storypage__kind_filter", query, story_filters(home_page, region))
    assert themes == facet_body("themes", "stories_storypage__themes_filter", query, story_filters(home_page, region))
    assert results == {
        "from": 0,
        "size": 10,
        "query": {"bool": {"must": query, "filter": story_filters(home_page, region)}},
        "_source": False,
        "stored_fields": "pk",
    }


def test_a_search_over_every_page(fake, client, laureates, home_page):
    fake.requests.clear()
    client.get("/recherche/", {"q": "épicerie"})
    regions = next(r.body for r in fake.requests if "region" in (r.body or {}).get("aggregations", {}))
    [pages] = [r.body for r in fake.requests if r.path.endswith("/_count")]  # the stories' is the facet's
    assert regions["query"] == {"bool": {"must": words("épicerie"), "filter": story_filters(home_page)}}
    # The other pages: live, public, under the site's root, stories left out.
    page_filters = pages["query"]["bool"]["filter"]
    assert page_filters[0] == {"match": {"_django_content_type": "wagtailcore.Page"}}
    must = page_filters[1]["bool"]["must"]
    assert {"term": {"live_filter": True}} in must
    assert {"prefix": {"path_filter": home_page.path}} in must
    assert {
        "bool": {"must_not": {"terms": {"content_type_id_filter": [ContentType.objects.get_for_model(StoryPage).pk]}}}
    } in must


def test_every_region_of_the_facet_is_shown(fake, client, laureates):
    """Elasticsearch returns what ``size`` allows (10 by default): the site asks for every
    bucket, and shows each région the cluster counts."""

    def answer(request):
        body = request.body or {}
        if request.path.endswith("/_count"):
            return 200, {"count": 18}
        aggregations = body.get("aggregations", {})
        if "region" in aggregations:
            assert aggregations["region"]["terms"]["size"] >= len(Region.choices)
            buckets = [{"key": value, "doc_count": 1} for value, _label in Region.choices]
            return 200, {"hits": {"total": {"value": 18}, "hits": []}, "aggregations": {"region": {"buckets": buckets}}}
        return default_answer(request)

    fake.respond = answer
    html = client.get("/recherche/", {"q": "café"}).content.decode()
    assert "mode réduit" not in html
    assert len(Region.choices) == 18
    for _value, label in Region.choices:
        assert escape(str(label)) in html


def test_suggestions_send_the_folded_prefix(fake, client, laureates):
    fake.requests.clear()
    client.get("/recherche/suggestions/", {"q": "La Négr"})
    assert [(r.method, r.path) for r in fake.requests] == [("POST", f"{INDEX}/_search")]
    assert fake.requests[0].body == {
        "from": 0,
        "size": 8,
        "query": {
            "bool": {
                "must": {"match": {"_edgengrams": {"query": "negr", "operator": "and"}}},
                "filter": [{"match": {"_django_content_type": "stories.StoryPage"}}, {"term": {"live_filter": True}}],
            }
        },
        "_source": False,
        "stored_fields": "pk",
    }


# --- What update_index sends: the French analysis, the mappings, the boosts ------------------


def test_update_index_creates_the_french_index_with_the_declared_boosts(fake, laureates):
    def answer(request):
        if request.method == "HEAD" and "/_alias/" in request.path:
            return 404, {}
        return default_answer(request)

    fake.respond = answer
    call_command("update_index", backend_name="default", verbosity=0)
    creations = [
        r for r in fake.requests if r.method == "PUT" and r.path.startswith(f"{INDEX}_") and r.path.count("/") == 1
    ]
    assert len(creations) == 1
    analysis = creations[0].body["settings"]["analysis"]
    assert analysis["analyzer"]["default"]["filter"] == [
        "french_elision",
        "lowercase",
        "asciifolding",
        "french_stop",
        "french_stemmer",
    ]
    assert set(analysis["analyzer"]) == {"default", "edgengram_analyzer"}  # no ngram analyser
    assert "ngram" not in analysis["filter"] and "tokenizer" not in analysis
    assert {"ete", "meme", "etaient", "a"} <= set(analysis["filter"]["french_stop"]["stopwords"])

    # Every page model gives the shared « title » field one mapping (Page's boost, 2)…
    mappings = [r.body for r in fake.requests if r.path.startswith(INDEX) and r.path.endswith("/_mapping")]
    titles = {str(body["properties"]["title"]) for body in mappings}
    assert titles == {str({"type": "text", "copy_to": ["_all_text", "_all_text_boost_2_0"]})}
    # …and a story's document carries its title in the boost-3 field its model declares.
    bulk = [r for r in fake.requests if r.path.endswith("/_bulk")]
    documents = [line for r in bulk for line in r.body if "pk" in line]
    passerelle = next(doc for doc in documents if doc["pk"] == str(laureates["passerelle"].pk))
    assert passerelle["_all_text_boost_3_0"] == ["La Passerelle Négreneys"]
    assert passerelle["title"] == "La Passerelle Négreneys"


def test_the_mapping_keeps_the_boosts_the_models_declare():
    page, story = BoostMapping(Page), BoostMapping(StoryPage)
    assert page.get_mapping()["properties"]["title"] == story.get_mapping()["properties"]["title"]
    assert story.get_mapping()["properties"]["_all_text_boost_3_0"] == {"type": "text"}
    assert [(field.field_name, field.boost, inherited.boost) for field, inherited in story.redeclared_boosts()] == [
        ("title", 3, 2)
    ]
    assert page.redeclared_boosts() == []


def test_french_stop_words_are_folded():
    assert "ete" in FRENCH_STOPWORDS_FOLDED and "été" not in FRENCH_STOPWORDS_FOLDED
    assert FRENCH_STOPWORDS_FOLDED == sorted(set(FRENCH_STOPWORDS_FOLDED))
