"""The story page: facts, structured data, Open Graph image, related stories, previous/next."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stories.models import StoryGalleryImage, Theme
from stories.taxonomy import BusinessKind, OpeningStatus, Region
from tests.factories import ImageFactory
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return StoryIndexPageFactory(parent=home_page)


@pytest.fixture
def themes():
    return {theme.slug: theme for theme in Theme.objects.all()}


def json_ld(response):
    html = response.content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_story_page_shows_the_facts(client, index, themes):
    story = StoryPageFactory(
        parent=index,
        title="La Passerelle Négreneys",
        business_name="La Passerelle Négreneys",
        kind=BusinessKind.TIERS_LIEU,
        town="Toulouse",
        neighbourhood="Négreneys",
        region=Region.OCCITANIE,
        year_founded=2012,
        laureate_year=2021,
        themes=[themes["parentalite"]],
        support_received="<p>Un financement des travaux de la salle.</p>",
        website_url="https://passerelle.example.org/",
        is_example=True,
    )
    StoryGalleryImage.objects.create(story=story, image=ImageFactory(), caption="La grande salle")
    html = client.get(story.url).content.decode()
    assert '<h1 id="story-title">La Passerelle Négreneys</h1>' in html
    assert "Ouvert depuis 2012" in html
    assert "Négreneys" in html and "Occitanie" in html and "Tiers-lieu" in html
    assert 'href="/laureats/?theme=parentalite">Parentalité</a>' in html
    assert 'href="/laureats/?region=occitanie"' in html
    assert "Le soutien de Quartiers Cafés" in html and "Un financement des travaux de la salle." in html
    assert 'href="https://passerelle.example.org/"' in html
    assert "La grande salle" in html
    assert "Récit d'exemple" in html


def test_opening_soon_is_shown(client, index):
    story = StoryPageFactory(parent=index, opening_status=OpeningStatus.OUVERTURE_PROCHAINE, year_founded=None)
    html = client.get(story.url).content.decode()
    assert "Ouverture prochaine" in html


def test_local_business_json_ld(client, index):
    story = StoryPageFactory(
        parent=index,
        title="La Blague",
        business_name="La Blague",
        town="Aubervilliers",
        region=Region.ILE_DE_FRANCE,
        year_founded=2012,
        latitude="48.910000",
        longitude="2.382000",
        instagram_url="https://instagram.example.org/lablague",
    )
    data = json_ld(client.get(story.url))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "LocalBusiness"
    assert data["name"] == "La Blague"
    assert data["url"] == "http://localhost/laureats/" + story.slug + "/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Aubervilliers",
        "addressRegion": "Île-de-France",
        "addressCountry": "FR",
    }
    assert data["image"].startswith("http://testserver/") and "fill-1200x630" in data["image"]
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 48.91, "longitude": 2.382}
    assert data["sameAs"] == ["https://instagram.example.org/lablague"]
    assert data["foundingDate"] == "2012"


def test_json_ld_cannot_be_broken_out_of(client, index):
    hostile = 'Chez </script><script>alert("x")</script> & <!-- Cie'
    story = StoryPageFactory(parent=index, title="Chez Cie", business_name=hostile, town="</script>")
    response = client.get(story.url)
    html = response.content.decode()
    assert "<script>alert" not in html
    head = html.split("</head>")[0]
    assert head.count("</script>") == 1  # only the JSON-LD element's own end tag
    data = json_ld(response)
    assert data["name"] == hostile
    assert data["address"]["addressLocality"] == "</script>"


def test_open_graph_image_falls_back_to_the_hero_image(client, index):
    story = StoryPageFactory(parent=index)
    html = client.get(story.url).content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert og.startswith("http://") and "fill-1200x630" in og
    assert '<meta property="og:type" content="article">' in html


def test_related_stories_share_a_theme_or_the_region(client, index, themes):
    story = StoryPageFactory(
        parent=index, title="Origine", region=Region.BRETAGNE, themes=[themes["emploi"], themes["parentalite"]]
    )
    StoryPageFactory(
        parent=index, title="Deux thèmes", region=Region.CORSE, themes=[themes["emploi"], themes["parentalite"]]
    )
    StoryPageFactory(parent=index, title="Même région", region=Region.BRETAGNE, themes=[])
    StoryPageFactory(parent=index, title="Un thème", region=Region.NORMANDIE, themes=[themes["emploi"]])
    StoryPageFactory(parent=index, title="Sans rapport", region=Region.GUYANE, themes=[themes["alimentation-durable"]])
    StoryPageFactory(parent=index, title="Brouillon lié", region=Region.BRETAGNE, live=False)
    html = client.get(story.url).content.decode()
    related = html.split('id="related-title"')[1]
    titles = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', related)
    assert titles == ["Deux thèmes", "Un thème", "Même région"]


def test_previous_and_next_follow_the_index_order(client, index):
    first = StoryPageFactory(parent=index, title="Alpha")
    middle = StoryPageFactory(parent=index, title="Bravo")
    last = StoryPageFactory(parent=index, title="Charlie")
    StoryPageFactory(parent=index, title="Beta brouillon", live=False)
    html = client.get(middle.url).content.decode()
    assert f'href="{first.url}" rel="prev"' in html
    assert f'href="{last.url}" rel="next"' in html
    first_html = client.get(first.url).content.decode()
    assert 'rel="prev"' not in first_html.split("<main")[1]
    assert f'href="{middle.url}" rel="next"' in first_html


def story_queries(client, url):
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# With the cache cleared: site, routing with the hero renditions, chrome, themes,
# previous/next, related cards and renditions, gallery and renditions.
STORY_MAX_QUERIES = 18


def test_story_page_query_count_does_not_grow(client, index, themes, django_assert_max_num_queries):
    story = StoryPageFactory(parent=index, title="M", region=Region.BRETAGNE, themes=[themes["emploi"]])
    for n in range(3):
        StoryPageFactory(parent=index, title=f"A{n}", region=Region.BRETAGNE, themes=[themes["emploi"]])
    small = story_queries(client, story.url)
    for n in range(57):
        StoryPageFactory(parent=index, title=f"B{n}", region=Region.BRETAGNE, themes=[themes["emploi"]])
    assert story_queries(client, story.url) == small
    cache.clear()
    with django_assert_max_num_queries(STORY_MAX_QUERIES):
        client.get(story.url)
