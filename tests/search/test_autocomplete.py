"""The story-name suggestions (/recherche/suggestions/?q=…) and the search box that uses them."""

import pytest

from home import cache as generation_cache
from stories.models import StoryPage
from tests.stories.factories import StoryPageFactory

pytestmark = pytest.mark.django_db


def suggest(client, q):
    response = client.get("/recherche/suggestions/", {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def names(client, q):
    return [item["name"] for item in suggest(client, q)["suggestions"]]


@pytest.mark.parametrize("typed", ["negr", "Négr", "NEGRENEYS", "passerelle neg", "la pass", "toulouse pass"])
def test_story_names_are_suggested_whatever_the_accents_and_case(client, laureates, typed):
    assert names(client, typed) == ["La Passerelle Négreneys"]


def test_unaccented_names_are_found_by_accented_prefixes(client, story_index):
    StoryPageFactory(parent=story_index, title="Cafe des Epices", business_name="Cafe des Epices", town="Lyon")
    assert names(client, "épic") == ["Cafe des Epices"]


def test_a_suggestion_carries_what_the_search_box_shows(client, laureates):
    (item,) = suggest(client, "blag")["suggestions"]
    assert item == {
        "name": "La Blague",
        "town": "Aubervilliers",
        "region": "Île-de-France",
        "url": laureates["blague"].url,
    }


def test_suggestions_are_limited_and_need_two_letters(client, story_index):
    for n in range(12):
        StoryPageFactory(parent=story_index, title=f"Café Roubaisien {n:02d}", town="Roubaix")
    assert len(names(client, "roub")) == 8
    assert names(client, "r") == []
    assert suggest(client, "")["suggestions"] == []


@pytest.mark.parametrize("typed", ['"', 'a"b', "a\x00b", "NEAR(", "*", "^x", "a:b", "(", "x" * 100_000])
def test_hostile_queries_get_an_empty_answer(client, laureates, typed):
    assert isinstance(suggest(client, typed)["suggestions"], list)


def test_suggestions_follow_publishing(client, story_index, laureates):
    assert names(client, "zorg") == []  # now cached
    story = StoryPageFactory(parent=story_index, title="Zorglub Café", business_name="Zorglub Café", live=False)
    story.save_revision().publish()
    assert names(client, "zorg") == ["Zorglub Café"]
    StoryPage.objects.get(pk=story.pk).unpublish()
    assert names(client, "zorg") == []


def test_suggestions_and_publishing_survive_a_cache_outage(client, story_index, laureates, monkeypatch):
    class CacheDown:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("Connection refused")

            return fail

    monkeypatch.setattr(generation_cache, "cache", CacheDown())
    story = StoryPageFactory(parent=story_index, title="Zorglub Café", business_name="Zorglub Café", live=False)
    story.save_revision().publish()
    assert names(client, "zorg") == ["Zorglub Café"]


def test_the_search_box_uses_the_suggestions_and_works_without_them(client, laureates):
    html = client.get("/recherche/", {"q": "blague"}).content.decode()
    assert 'data-suggest-url="/recherche/suggestions/"' in html
    assert '<script src="/static/search/autocomplete.js" defer></script>' in html
    # A plain GET form: submitting it without JavaScript searches.
    assert 'action="/recherche/" method="get"' in html
    assert 'name="q" value="blague"' in html
