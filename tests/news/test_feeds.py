import feedparser
import pytest
from wagtail.models import PageViewRestriction

from tests.news.factories import NewsIndexPageFactory, NewsPageFactory
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

FEEDS = [
    ("/flux/actualites/rss/", "rss20"),
    ("/flux/actualites/atom/", "atom10"),
    ("/flux/laureats/rss/", "rss20"),
    ("/flux/laureats/atom/", "atom10"),
]


@pytest.fixture
def content(home_page):
    news_index = NewsIndexPageFactory(parent=home_page)
    story_index = StoryIndexPageFactory(parent=home_page)
    NewsPageFactory(parent=news_index, title="Résultats publiés")
    NewsPageFactory(parent=news_index, title="Nouvelle en brouillon", live=False)
    private_news = NewsPageFactory(parent=news_index, title="Nouvelle réservée")
    PageViewRestriction.objects.create(page=private_news, restriction_type=PageViewRestriction.LOGIN)
    StoryPageFactory(parent=story_index, title="Café publié")
    StoryPageFactory(parent=story_index, title="Café en brouillon", live=False)
    private_story = StoryPageFactory(parent=story_index, title="Café réservé")
    PageViewRestriction.objects.create(
        page=private_story, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return news_index, story_index


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "version"), FEEDS)
def test_feeds_are_valid_and_list_only_live_public_pages(client, content, url, version):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    titles = [entry.title for entry in parsed.entries]
    expected = "Résultats publiés" if "actualites" in url else "Café publié"
    assert titles == [expected]
    assert parsed.entries[0].link.startswith("http://testserver/")
    assert parsed.entries[0].summary
    body = response.content.decode()
    assert "brouillon" not in body and "réservé" not in body
    # Served to anonymous visitors like a public page: cached, never private.
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_pages_advertise_their_feeds(client, content):
    news_index, story_index = content
    home = client.get("/").content.decode()
    for url, _version in FEEDS:
        assert f'href="{url}"' in home
    news = client.get(news_index.url).content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in news and 'href="/flux/actualites/atom/"' in news
    stories = client.get(story_index.url).content.decode()
    assert 'type="application/atom+xml"' in stories and 'href="/flux/laureats/rss/"' in stories


@pytest.mark.django_db
def test_no_feed_without_a_public_index(client, home_page):
    assert client.get("/flux/actualites/rss/").status_code == 404
    index = NewsIndexPageFactory(parent=home_page)
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/flux/actualites/atom/").status_code == 404


@pytest.mark.django_db
def test_feeds_are_cached_like_public_pages_and_renewed_on_publish(client, content, settings):
    settings.PAGE_CACHE_SECONDS = 300
    news_index, _story_index = content
    first = client.get("/flux/actualites/rss/")
    assert first["X-Page-Cache"] == "miss"
    assert "s-maxage=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert client.get("/flux/actualites/rss/")["X-Page-Cache"] == "hit"

    NewsPageFactory(parent=news_index, title="Nouvelle toute fraîche")
    fresh = client.get("/flux/actualites/rss/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Nouvelle toute fraîche" in [entry.title for entry in feedparser.parse(fresh.content).entries]
