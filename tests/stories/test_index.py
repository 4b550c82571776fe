"""The story index: cards, filters in the query string, facet counts, pagination, SQL queries."""

import re

import pytest
from django.core.cache import cache

from stories.models import Theme
from stories.taxonomy import BusinessKind, Region
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return StoryIndexPageFactory(parent=home_page)


@pytest.fixture
def themes():
    return {theme.slug: theme for theme in Theme.objects.all()}


@pytest.fixture
def sample(index, themes):
    """Five stories across two regions, three kinds and three themes."""
    return [
        StoryPageFactory(
            parent=index,
            title="La Blague",
            region=Region.ILE_DE_FRANCE,
            kind=BusinessKind.CAFE,
            themes=[themes["acces-au-numerique"], themes["emploi"]],
        ),
        StoryPageFactory(
            parent=index,
            title="Le Comptoir",
            region=Region.ILE_DE_FRANCE,
            kind=BusinessKind.EPICERIE,
            themes=[themes["emploi"]],
        ),
        StoryPageFactory(
            parent=index,
            title="La Marmite Joyeuse",
            region=Region.PROVENCE_ALPES_COTE_D_AZUR,
            kind=BusinessKind.RESTAURANT,
            themes=[themes["alimentation-durable"], themes["emploi"]],
        ),
        StoryPageFactory(
            parent=index,
            title="Le Café des Moulins",
            region=Region.PROVENCE_ALPES_COTE_D_AZUR,
            kind=BusinessKind.CAFE,
            themes=[themes["acces-au-numerique"]],
        ),
        StoryPageFactory(parent=index, title="Brouillon", region=Region.CORSE, kind=BusinessKind.CAFE, live=False),
    ]


def titles(response):
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def option(response, facet, value):
    """The label of one option of a facet's select, e.g. 'Café (2)'; None when not offered."""
    html = response.content.decode()
    select = re.search(rf'<select id="filter-{facet}" name="{facet}"[^>]*>(.*?)</select>', html, re.S).group(1)
    match = re.search(rf'<option value="{re.escape(value)}"(?: selected)?>([^<]+)</option>', select)
    return match.group(1).replace("&#x27;", "'") if match else None


def test_lists_live_stories_as_cards_with_responsive_images(client, sample):
    response = client.get("/laureats/")
    assert response.status_code == 200
    assert titles(response) == ["La Blague", "La Marmite Joyeuse", "Le Café des Moulins", "Le Comptoir"]
    html = response.content.decode()
    img = re.search(r'<img[^>]*class="card__image"[^>]*>', html).group(0)
    assert "srcset=" in img and ".webp 360w" in img and ".webp 720w" in img
    assert 'width="360"' in img and 'height="240"' in img
    assert 'loading="lazy"' in img
    assert "4 lauréats" in html


def test_filters_combine_and_counts_follow_the_other_filters(client, sample):
    response = client.get("/laureats/?region=ile-de-france&kind=cafe")
    assert titles(response) == ["La Blague"]
    # Region counts under kind=café: one café in each region.
    assert option(response, "region", "ile-de-france") == "Île-de-France (1)"
    assert option(response, "region", "provence-alpes-cote-d-azur") == "Provence-Alpes-Côte d'Azur (1)"
    # Kind counts under region=IdF: one café, one épicerie, no restaurant offered.
    assert option(response, "kind", "cafe") == "Café (1)"
    assert option(response, "kind", "epicerie") == "Épicerie (1)"
    assert option(response, "kind", "restaurant") is None
    # Theme counts under both filters: La Blague's two themes.
    assert option(response, "theme", "acces-au-numerique") == "Accès au numérique (1)"
    assert option(response, "theme", "emploi") == "Emploi (1)"
    assert option(response, "theme", "parentalite") is None
    assert 'value="ile-de-france" selected' in response.content.decode()


def test_theme_filter_and_unfiltered_counts(client, sample):
    response = client.get("/laureats/?theme=emploi")
    assert titles(response) == ["La Blague", "La Marmite Joyeuse", "Le Comptoir"]
    assert option(response, "region", "ile-de-france") == "Île-de-France (2)"
    assert option(response, "kind", "restaurant") == "Restaurant (1)"
    # The theme facet ignores its own filter: every live story counts.
    assert option(response, "theme", "emploi") == "Emploi (3)"
    assert option(response, "theme", "acces-au-numerique") == "Accès au numérique (2)"
    assert "Tous les thèmes (4)" in response.content.decode()
    # The draft in Corse is counted nowhere.
    assert option(response, "region", "corse") is None


def test_active_filters_can_be_removed_one_by_one(client, sample):
    response = client.get("/laureats/?region=provence-alpes-cote-d-azur&theme=emploi")
    html = response.content.decode()
    assert 'href="/laureats/?theme=emploi"' in html  # removes the region
    assert 'href="/laureats/?region=provence-alpes-cote-d-azur"' in html  # removes the theme
    assert "Réinitialiser" in html
    assert "<title>Les lauréats : Provence-Alpes-Côte d&#x27;Azur, Emploi" in html


@pytest.mark.parametrize(
    "query",
    [
        "?region=atlantide",
        "?kind=<script>",
        "?theme=inconnu",
        "?region=&kind=",
        "?page=-1",
        "?page=abc",
        "?page=1e9",
        "?page=99999999999999999999999",
        "?page=%00",
        "?region=ile-de-france%00",
        "?theme[]=emploi",
    ],
)
def test_bad_query_strings_are_ignored(client, sample, query):
    response = client.get("/laureats/" + query)
    assert response.status_code == 200
    assert len(titles(response)) == 4
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_repeated_parameter_takes_the_last_value(client, sample):
    response = client.get("/laureats/?kind=cafe&kind=epicerie")
    assert titles(response) == ["Le Comptoir"]


def test_empty_state_offers_to_reset_the_filters(client, sample):
    response = client.get("/laureats/?region=corse")
    html = response.content.decode()
    assert titles(response) == []
    assert "Aucun lauréat ne correspond à ces filtres" in html
    assert 'href="/laureats/">Voir tous les lauréats' in html
    assert "0 lauréat" in html


def test_empty_index_says_stories_are_coming(client, index):
    response = client.get("/laureats/")
    assert "Les récits arrivent bientôt" in response.content.decode()


def test_pagination_twelve_a_page_keeps_filters(client, index):
    for n in range(14):
        StoryPageFactory(parent=index, title=f"Café {n:02d}", region=Region.BRETAGNE)
    StoryPageFactory(parent=index, title="Ailleurs", region=Region.CORSE)
    first = client.get("/laureats/?region=bretagne")
    assert len(titles(first)) == 12
    assert "page 1 sur 2" in first.content.decode()
    assert 'href="/laureats/?region=bretagne&amp;page=2" rel="next"' in first.content.decode()
    second = client.get("/laureats/?region=bretagne&page=2")
    assert titles(second) == ["Café 12", "Café 13"]
    assert 'href="/laureats/?region=bretagne" rel="prev"' in second.content.decode()
    # Out of range goes to the last page, nonsense to the first.
    assert titles(client.get("/laureats/?region=bretagne&page=1000000000")) == ["Café 12", "Café 13"]
    assert titles(client.get("/laureats/?region=bretagne&page=-1"))[0] == "Café 00"


# With the cache cleared: site, routing, chrome (menu, breadcrumbs, settings, private
# sections), themes, 2 aggregates, the cards and their renditions, the map's aggregate
# (stories/map.py): the same whatever the number of stories (warm: tests/home/test_query_counts.py).
INDEX_MAX_QUERIES = 16


def count_queries(client, url, n):
    client.get(url)  # the first visit makes the renditions
    cache.clear()  # no help from the rendition cache: only the prefetch keeps the count flat
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(titles(response)) == min(n, 12)
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/laureats/", "/laureats/?region=bretagne&theme=emploi&page=2"])
def test_index_query_count_does_not_grow_with_stories(client, index, themes, django_assert_max_num_queries, url):
    def add(count):
        for _ in range(count):
            StoryPageFactory(parent=index, region=Region.BRETAGNE, themes=[themes["emploi"], themes["parentalite"]])

    add(3)
    small = count_queries(client, url, 3)  # page=2 of 3 stories falls back to page 1
    add(57)
    large = count_queries(client, url, 12)
    assert large == small
    cache.clear()
    with django_assert_max_num_queries(INDEX_MAX_QUERIES):
        client.get(url)


def test_counts_are_cached_until_a_story_or_theme_changes(client, index, sample, themes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import PageViewRestriction

    url = "/laureats/?region=ile-de-france"
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url)
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url)
    assert len(warm) < len(cold)
    assert second.content == first.content
    assert option(second, "kind", "cafe") == "Café (1)"

    # A new story, a story unpublished, a private story and a renamed theme show at once.
    StoryPageFactory(parent=index, title="Le Nouveau", region=Region.ILE_DE_FRANCE, kind=BusinessKind.CAFE)
    assert option(client.get(url), "kind", "cafe") == "Café (2)"
    sample[0].unpublish()
    assert option(client.get(url), "kind", "cafe") == "Café (1)"
    PageViewRestriction.objects.create(page=sample[1], restriction_type=PageViewRestriction.LOGIN)
    assert option(client.get(url), "kind", "epicerie") is None
    theme = themes["emploi"]
    StoryPageFactory(parent=index, title="L'Emploi", region=Region.ILE_DE_FRANCE, themes=[theme])
    assert option(client.get(url), "theme", "emploi") == "Emploi (1)"
    theme.slug = "travail"
    theme.save()
    response = client.get(url)
    assert option(response, "theme", "travail") == "Emploi (1)"
    assert option(response, "theme", "emploi") is None


@pytest.mark.parametrize("region", [None, Region.ILE_DE_FRANCE, Region.BRETAGNE])
@pytest.mark.parametrize("kind", [None, BusinessKind.CAFE, BusinessKind.RESTAURANT])
@pytest.mark.parametrize("theme", [None, "emploi", "acces-au-numerique"])
def test_counts_match_a_story_by_story_count_for_every_filter_combination(index, sample, themes, region, kind, theme):
    """The two aggregate queries give, for every combination of filters, what counting the
    live stories one by one gives (the region, kind and theme facets each under the other
    filters; the total; the theme facet's "all" count)."""
    from stories.facets import facet_counts
    from stories.filters import live_stories

    filters = {name: value for name, value in (("region", region), ("kind", kind), ("theme", theme)) if value}
    stories = [(story.region, story.kind, {t.slug for t in story.themes.all()}) for story in sample if story.live]

    def keep(story, skip=None):
        story_region, story_kind, story_themes = story
        return (
            (skip == "region" or not region or story_region == region)
            and (skip == "kind" or not kind or story_kind == kind)
            and (skip == "theme" or not theme or theme in story_themes)
        )

    def tally(values):
        counts = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        return counts

    counts = facet_counts(live_stories(index), filters, list(Theme.objects.order_by("name")))
    assert counts["total"] == sum(1 for story in stories if keep(story))
    assert counts["region"] == tally(story[0] for story in stories if keep(story, "region"))
    assert counts["kind"] == tally(story[1] for story in stories if keep(story, "kind"))
    assert counts["theme"] == tally(slug for story in stories if keep(story, "theme") for slug in story[2])
    assert counts["theme_total"] == sum(1 for story in stories if keep(story, "theme"))
