"""The story editor's « Carte et QPV »: the SVG mini-map, the warning past the call's
distance, and « trouver depuis l'adresse » (geocoder stub on loopback)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from territory import minimap, qpv
from tests.factories import UserFactory
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

from .stub_server import StubGeocoder

pytestmark = pytest.mark.django_db

LOCATE = "/admin/territoire/localiser/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="editrice", is_staff=True, is_superuser=True))
    return client


def edit_page(client, story):
    return client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()


def test_a_story_in_a_qpv_shows_its_map_without_warning(admin_client, home_page):
    index = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory(parent=index, latitude=Decimal("48.8871"), longitude=Decimal("2.3526"))
    html = edit_page(admin_client, story)
    assert 'class="territory-minimap"' in html and 'role="img"' in html
    assert "dans le QPV Goutte D&#x27;Or (QN07511M)" in html
    assert "plus loin que la distance maximale" not in html
    assert "Trouver depuis l'adresse" in html and "territory/story-locate.js" in html


def test_a_story_far_from_any_qpv_warns(admin_client, home_page):
    index = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory(
        parent=index, latitude=Decimal("48.8556"), longitude=Decimal("2.2986"), qpv_max_distance_m=500
    )
    html = edit_page(admin_client, story)
    assert "Ce commerce n&#x27;est dans aucun QPV et en est plus loin que la distance maximale de l&#x27;appel" in html
    # Within a larger distance of the call: no warning.
    story.qpv_max_distance_m = 5000
    story.save_revision().publish()
    assert "plus loin que la distance maximale" not in edit_page(admin_client, story)


def test_a_story_without_coordinates_says_so(admin_client, home_page):
    index = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory(parent=index, commune_code="02691")
    html = edit_page(admin_client, story)
    assert "Pas encore de coordonnées" in html and "Europe (QN00201M)" in html
    assert 'class="territory-minimap"' not in html


def test_the_minimap_draws_the_nearest_perimeter_and_the_point():
    result = qpv.locate(48.8856, 2.3600)
    svg = str(minimap.render(48.8856, 2.3600, result))
    assert svg.startswith("<svg") and svg.count("<circle") == 1
    titles = re.findall(r"<title>([^<]+)</title>", svg)
    assert f"QPV {result.qpv.name} ({result.qpv.code})".replace("'", "&#x27;") in titles
    assert 'aria-label="Carte : le point et les QPV' in svg
    # The frame's half width in French (Django's number formatting): « 1,2 km ».
    assert re.search(r"QPV à moins de \d+,\d km", svg)


def test_locate_from_the_address_with_the_geocoder(admin_client, settings):
    with StubGeocoder("ok", point=(48.8871, 2.3526)) as stub:
        settings.GEOCODER_URL = stub.url
        response = admin_client.get(LOCATE, {"adresse": "12 rue Myrha", "commune": "Paris", "code_commune": "75118"})
    data = response.json()
    assert response.status_code == 200 and (data["latitude"], data["longitude"]) == (48.8871, 2.3526)
    assert data["texte"].startswith("Position trouvée à l'adresse : dans le QPV Goutte D'Or")


def test_locate_falls_back_on_the_commune_centre(admin_client, settings):
    with StubGeocoder("municipality", point=(49.036, 2.063), citycode="95127") as stub:
        settings.GEOCODER_URL = stub.url
        data = admin_client.get(LOCATE, {"adresse": "1 rue Inconnue", "code_commune": "95127"}).json()
    assert (data["latitude"], data["longitude"]) == (49.036, 2.063)
    assert "au centre de la commune" in data["texte"]


def test_locate_without_geocoder_says_to_type_the_coordinates(admin_client, settings):
    settings.GEOCODER_URL = ""
    response = admin_client.get(LOCATE, {"adresse": "12 rue Myrha", "code_commune": "75118"})
    assert response.status_code == 404 and "saisissez les coordonnées" in response.json()["erreur"]
    assert admin_client.get(LOCATE, {"code_commune": "99999"}).status_code == 400
    assert admin_client.get(LOCATE).status_code == 400


def test_locate_is_for_the_admin_only(client):
    response = client.get(LOCATE, {"commune": "Paris"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
