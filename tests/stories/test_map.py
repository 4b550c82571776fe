"""The laureates' map on /laureats/: the SVG and its table agree with the stories, links, queries."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache

from stories import map as story_map
from stories.taxonomy import Region
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db

# Known places: (latitude, longitude) and their région.
PARIS = (Decimal("48.8566"), Decimal("2.3522"), Region.ILE_DE_FRANCE)
TOULOUSE = (Decimal("43.6045"), Decimal("1.4440"), Region.OCCITANIE)
MARSEILLE = (Decimal("43.2965"), Decimal("5.3698"), Region.PROVENCE_ALPES_COTE_D_AZUR)
STRASBOURG = (Decimal("48.5734"), Decimal("7.7521"), Region.GRAND_EST)
SAINT_DENIS_REUNION = (Decimal("-20.8821"), Decimal("55.4507"), Region.LA_REUNION)
POINTE_A_PITRE = (Decimal("16.2411"), Decimal("-61.5331"), Region.GUADELOUPE)
CAYENNE = (Decimal("4.9372"), Decimal("-52.3260"), Region.GUYANE)
MAMOUDZOU = (Decimal("-12.7806"), Decimal("45.2279"), Region.MAYOTTE)
FORT_DE_FRANCE = (Decimal("14.6161"), Decimal("-61.0588"), Region.MARTINIQUE)
AJACCIO = (Decimal("41.9192"), Decimal("8.7386"), Region.CORSE)
BREST = (Decimal("48.3904"), Decimal("-4.4861"), Region.BRETAGNE)


@pytest.fixture
def index(home_page):
    return StoryIndexPageFactory(parent=home_page)


def story(index, place=None, region=None, **kwargs):
    if place:
        latitude, longitude, place_region = place
        kwargs.update(latitude=latitude, longitude=longitude, region=region or place_region)
    elif region:
        kwargs["region"] = region
    return StoryPageFactory(parent=index, **kwargs)


@pytest.fixture
def sample(index):
    return [
        story(index, PARIS),
        story(index, PARIS),  # same coordinates: one dot, two laureates
        story(index, TOULOUSE),
        story(index, MARSEILLE),
        story(index, SAINT_DENIS_REUNION),
        story(index, region=Region.ILE_DE_FRANCE),  # no coordinates: counted, no dot
        story(index, BREST, region=Region.OCCITANIE),  # coordinates off its région: counted, no dot
        story(index, STRASBOURG, live=False),  # a draft: nowhere
    ]


def map_section(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return soup.find("section", class_="laureate-map")


def table_counts(section):
    return {
        row.th.get_text(strip=True): int(row.td.get_text(strip=True)) for row in section.find("tbody").find_all("tr")
    }


def svg_links(section):
    return {link["aria-label"]: link["href"] for link in section.find("svg").find_all("a")}


def test_table_and_svg_give_the_live_stories_per_region(client, index, sample):
    section = map_section(client.get("/laureats/"))
    counts = table_counts(section)
    assert set(counts) == {str(label) for label in Region.labels}
    assert counts["Île-de-France"] == 3
    assert counts["Occitanie"] == 2
    assert counts["Provence-Alpes-Côte d'Azur"] == 1
    assert counts["La Réunion"] == 1
    assert counts["Grand Est"] == 0  # the draft is not counted
    assert sum(counts.values()) == 7
    assert section.find("tfoot").td.get_text(strip=True) == "7"
    # The SVG says the same, région by région, and links only the régions with laureates.
    assert svg_links(section) == {
        "Île-de-France : 3 lauréats": "/laureats/?region=ile-de-france#story-results",
        "Occitanie : 2 lauréats": "/laureats/?region=occitanie#story-results",
        "Provence-Alpes-Côte d'Azur : 1 lauréat": "/laureats/?region=provence-alpes-cote-d-azur#story-results",
        "La Réunion : 1 lauréat": "/laureats/?region=la-reunion#story-results",
    }
    badges = {
        link["href"].split("=")[1].removesuffix("#story-results"): int(link.find("text").get_text())
        for link in section.find("svg").find_all("a")
    }
    assert badges == {"ile-de-france": 3, "occitanie": 2, "provence-alpes-cote-d-azur": 1, "la-reunion": 1}
    table_links = {a.get_text(): a["href"] for a in section.find("tbody").find_all("a")}
    assert table_links == {
        "Île-de-France": "/laureats/?region=ile-de-france#story-results",
        "Occitanie": "/laureats/?region=occitanie#story-results",
        "Provence-Alpes-Côte d'Azur": "/laureats/?region=provence-alpes-cote-d-azur#story-results",
        "La Réunion": "/laureats/?region=la-reunion#story-results",
    }
    # Every région is drawn, shaded by its count.
    shapes = section.find("svg").find_all("path")
    assert len(shapes) == len(Region.values)
    shades = {path["class"][1] for path in shapes}
    assert "map-region--q0" in shades and "map-region--q4" in shades


def test_dots_sit_inside_their_regions_box(client, index, sample):
    section = map_section(client.get("/laureats/"))
    dots = [(float(c["cx"]), float(c["cy"])) for c in section.find("g", class_="map-points").find_all("circle")]
    # Paris (twice, one dot), Toulouse, Marseille, Saint-Denis; Brest filed in Occitanie is left off.
    assert len(dots) == 4
    regions = story_map.map_data()["regions"]
    expected = [PARIS, TOULOUSE, MARSEILLE, SAINT_DENIS_REUNION]
    for latitude, longitude, region in expected:
        x, y = story_map.to_svg(story_map.frame_of(region), latitude, longitude)
        x0, y0, x1, y1 = regions[region]["bbox"]
        assert x0 <= x <= x1 and y0 <= y <= y1, region
        assert (round(x, 1), round(y, 1)) in dots


@pytest.mark.parametrize(
    "place",
    [PARIS, TOULOUSE, MARSEILLE, STRASBOURG, AJACCIO, BREST]
    + [SAINT_DENIS_REUNION, POINTE_A_PITRE, CAYENNE, MAMOUDZOU, FORT_DE_FRANCE],
)
def test_known_places_project_inside_their_region_only(place):
    latitude, longitude, region = place
    regions = story_map.map_data()["regions"]
    frame = story_map.frame_of(region)
    x, y = story_map.to_svg(frame, latitude, longitude)
    x0, y0, x1, y1 = regions[region]["bbox"]
    assert x0 <= x <= x1 and y0 <= y <= y1
    # The frame's box holds it, and (in the mainland) it is west/east, north/south as it should be.
    bx, by, width, height = story_map.map_data()["frames"][frame]["box"]
    assert bx <= x <= bx + width and by <= y <= by + height


def test_mainland_orientation():
    paris = story_map.to_svg("metropole", *PARIS[:2])
    brest = story_map.to_svg("metropole", *BREST[:2])
    toulouse = story_map.to_svg("metropole", *TOULOUSE[:2])
    strasbourg = story_map.to_svg("metropole", *STRASBOURG[:2])
    assert brest[0] < paris[0] < strasbourg[0]  # west to east: x grows
    assert paris[1] < toulouse[1]  # north to south: y grows


def test_data_file_has_every_region_inside_its_frame():
    data = story_map.map_data()
    assert set(data["regions"]) == set(Region.values)
    for code, region in data["regions"].items():
        bx, by, width, height = data["frames"][story_map.frame_of(code)]["box"]
        x0, y0, x1, y1 = region["bbox"]
        assert bx <= x0 < x1 <= bx + width and by <= y0 < y1 <= by + height, code
        lx, ly = region["label"]
        assert x0 <= lx <= x1 and y0 <= ly <= y1
        assert region["d"].startswith("M") and region["d"].endswith("Z")
    assert "Natural Earth" in data["source"]


def test_region_link_filters_the_index_and_marks_the_region(client, index, sample):
    response = client.get("/laureats/?region=occitanie#story-results")
    section = map_section(response)
    # The map keeps every région's figures and marks the one chosen.
    assert table_counts(section)["Île-de-France"] == 3
    current = section.find("svg").find("a", attrs={"aria-current": "true"})
    assert current["href"] == "/laureats/?region=occitanie#story-results"
    assert "is-selected" in current.find("path")["class"]
    assert section.find("tbody").find("a", attrs={"aria-current": "true"}).get_text() == "Occitanie"
    assert response.context["total"] == 2


def test_restricted_stories_are_left_out(client, index, sample):
    from wagtail.models import PageViewRestriction  # only this test needs it

    PageViewRestriction.objects.create(page=sample[2], restriction_type="password", password="secret")
    counts = table_counts(map_section(client.get("/laureats/")))
    assert counts["Occitanie"] == 1  # Toulouse is behind a password now
    assert counts["Île-de-France"] == 3
    PageViewRestriction.objects.create(page=index, restriction_type="login")
    assert story_map.public_stories(index).count() == 0


def test_no_map_without_stories(client, index):
    assert map_section(client.get("/laureats/")) is None


def test_one_aggregate_query_then_cached(index, sample, django_assert_num_queries):
    cache.clear()
    with django_assert_num_queries(1):
        story_map.build_map(story_map.public_stories(index), "/laureats/")
    cache.clear()
    first = story_map.laureate_map(index, "/laureats/")
    with django_assert_num_queries(0):
        again = story_map.laureate_map(index, "/laureats/")
    assert str(again["svg"]) == str(first["svg"])
    # A new story starts a new generation: the map is computed again.
    story(index, STRASBOURG)
    assert story_map.laureate_map(index, "/laureats/")["total"] == first["total"] + 1


def test_map_queries_do_not_grow_with_stories(index, django_assert_num_queries):
    for _ in range(3):
        story(index, PARIS)
    with django_assert_num_queries(1):
        small = story_map.build_map(story_map.public_stories(index), "/laureats/")
    for n in range(30):
        story(index, (Decimal("43.6") + Decimal(n) / 100, Decimal("1.44"), Region.OCCITANIE))
    with django_assert_num_queries(1):
        large = story_map.build_map(story_map.public_stories(index), "/laureats/")
    assert (small["total"], large["total"]) == (3, 33)
    assert large["points"] == 31
