"""One wrong letter in a town, a kind of business, a theme or a région is forgiven and suggested.

On the database backend (the default, SQLite or PostgreSQL with DATABASE_URL) the corrected
query is searched and the page says « Vouliez-vous dire … ? »; on Elasticsearch (the local fake
of tests/search/fake_elasticsearch.py) the corrected words are what the site sends next.
"""

import re

import pytest

from stories.vocabulary import correct_word, one_edit_apart
from tests.search.conftest import elasticsearch_backends
from tests.search.fake_elasticsearch import FakeElasticsearch

pytestmark = pytest.mark.django_db


def result_titles(html):
    return re.findall(r'class="search-result__title"><a href="[^"]*">([^<]*)</a>', html)


@pytest.mark.parametrize(
    "a,b,expected",
    [
        ("toulose", "toulouse", True),  # a letter missing
        ("toulouze", "toulouse", True),  # a letter replaced
        ("touloouse", "toulouse", True),  # a letter added
        ("tuolouse", "toulouse", True),  # two neighbours swapped
        ("toulouse", "toulouse", False),  # the same word is no correction
        ("tolose", "toulouse", False),  # two letters missing
        ("marseile", "toulouse", False),
        ("uotlouse", "toulouse", False),  # two swaps
    ],
)
def test_one_edit_apart(a, b, expected):
    assert one_edit_apart(a, b) is expected
    assert one_edit_apart(b, a) is expected


@pytest.mark.parametrize(
    "typed,corrected",
    [
        ("Toulose", "Toulouse"),  # a town of a published story
        ("Aubervillier", "Aubervilliers"),
        ("epicrie", "Épicerie"),  # a kind of business
        ("Resturant", "Restaurant"),
        ("parentalte", "Parentalité"),  # a theme
        ("Ocitanie", "Occitanie"),  # a région
        ("Bretagnr", "Bretagne"),  # a région without a laureate still is a word of the vocabulary
    ],
)
def test_misspelt_words_are_corrected(laureates, typed, corrected):
    assert correct_word(typed) == corrected


@pytest.mark.parametrize("typed", ["Toulouse", "toulouse", "épicerie", "xyzt", "bar", "zzzzzzzz"])
def test_known_short_or_far_words_are_left_alone(laureates, typed):
    assert correct_word(typed) is None


@pytest.mark.parametrize(
    "typed,corrected,expected",
    [
        ("Toulose", "Toulouse", ["La Passerelle Négreneys", "Épicerie du Mirail"]),
        ("Marzeille", "Marseille", ["La Marmite Joyeuse"]),
        ("epicrie", "Épicerie", ["Épicerie du Mirail"]),
        ("Ocitanie", "Occitanie", ["La Passerelle Négreneys", "Épicerie du Mirail"]),
        ("tiers-liue", "tiers lieu", ["La Passerelle Négreneys"]),
    ],
)
def test_the_search_page_forgives_one_wrong_letter_and_suggests_the_word(client, laureates, typed, corrected, expected):
    response = client.get("/recherche/", {"q": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert sorted(result_titles(html)) == sorted(expected)
    assert f"Aucun résultat pour « {typed} »." in html
    suggestion = re.search(r'Vouliez-vous dire <a href="([^"]*)">([^<]*)</a> \?', html)
    assert suggestion, html
    assert suggestion.group(2) == corrected
    # The suggestion, the filters and the pages of results carry the corrected words.
    follow = client.get("/recherche/" + suggestion.group(1).replace("&amp;", "&"))
    assert sorted(result_titles(follow.content.decode())) == sorted(expected)
    assert "Vouliez-vous dire" not in follow.content.decode()


def test_a_correction_keeps_the_filters(client, laureates):
    html = client.get("/recherche/", {"q": "Toulose", "kind": "epicerie"}).content.decode()
    assert result_titles(html) == ["Épicerie du Mirail"]
    assert 'href="?q=Toulouse&amp;kind=epicerie"' in html
    assert '<input type="hidden" name="q" value="Toulouse">' in html


def test_a_word_found_as_typed_is_not_corrected(client, laureates):
    html = client.get("/recherche/", {"q": "Toulouse"}).content.decode()
    assert sorted(result_titles(html)) == ["La Passerelle Négreneys", "Épicerie du Mirail"]
    assert "Vouliez-vous dire" not in html


def test_no_correction_no_suggestion_for_a_word_far_from_every_one(client, laureates):
    html = client.get("/recherche/", {"q": "zzzzzzzz"}).content.decode()
    assert "Aucun résultat pour « zzzzzzzz »" in html
    assert "Vouliez-vous dire" not in html


def test_elasticsearch_is_sent_the_corrected_words(settings, client, laureates):
    passerelle = laureates["passerelle"]
    region = passerelle.region  # read here: the server's thread has no database
    with FakeElasticsearch("ok") as fake:
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(fake.url)

        def answer(request):
            sent = str(request.body or {})
            found = "Toulouse" in sent
            if request.path.endswith("/_count"):
                return 200, {"count": 1 if found else 0}
            if "aggregations" in (request.body or {}):
                name = next(iter(request.body["aggregations"]))
                # The stories' count is the région facet's sum.
                buckets = [{"key": region, "doc_count": 1}] if found and name == "region" else []
                return 200, {"hits": {"total": {"value": 0}, "hits": []}, "aggregations": {name: {"buckets": buckets}}}
            hits = [{"_id": str(passerelle.pk), "_score": 1.0, "fields": {"pk": [str(passerelle.pk)]}}] if found else []
            return 200, {"hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits}}

        fake.respond = answer
        html = client.get("/recherche/", {"q": "Toulose"}).content.decode()
        queries = [r.body["query"]["bool"]["must"]["multi_match"]["query"] for r in fake.requests if r.body]
    assert "Toulose" in queries and "Toulouse" in queries
    assert queries.index("Toulose") < queries.index("Toulouse")
    assert "mode réduit" not in html
    assert result_titles(html) == ["La Passerelle Négreneys"]
    assert re.search(r'Vouliez-vous dire <a href="\?q=Toulouse">Toulouse</a> \?', html)


def test_search_page_filters_are_the_story_index_filters(client, laureates):
    """Same controls, labels and apply behaviour on both pages (stories/includes/filters.html)."""
    search = client.get("/recherche/", {"q": "Toulouse", "region": "occitanie"}).content.decode()
    index = client.get("/laureats/", {"region": "occitanie"}).content.decode()
    for html in (search, index):
        assert 'id="story-filters"' in html
        assert ">Filtrer les lauréats</h2>" in html
        assert '<option value="">Toutes les régions (' in html
        assert '<option value="">Tous les types (' in html
        assert '<option value="">Tous les thèmes (' in html
        assert '<button type="submit">Afficher</button>' in html
        assert ">Réinitialiser</a>" in html
        assert 'class="filters-toggle disclosure-toggle" aria-expanded="false" aria-controls="story-filters"' in html
        assert "(1 actif)" in html
        assert "stories/filters" in html  # applied as they change, with JavaScript
    assert '<option value="">Toutes les régions (2)</option>' in search
    assert '<option value="occitanie" selected>Occitanie (2)</option>' in search


def test_the_story_index_forgives_one_wrong_letter_in_a_filter_and_says_so(client, laureates):
    html = client.get("/laureats/", {"kind": "epicrie", "theme": "parentalte"}).content.decode()
    assert "Aucun filtre « epicrie ». Vouliez-vous dire « Épicerie » ?" in html
    assert "Aucun filtre « parentalte ». Vouliez-vous dire « Parentalité » ?" in html
    assert '<option value="epicerie" selected>' in html
    # Far from every value, or not a slug: ignored, as before.
    html = client.get("/laureats/", {"kind": "zzzzzz", "region": "ile-de-france\x00"}).content.decode()
    assert "Vouliez-vous dire" not in html
    assert " selected>" not in html
