"""The team's side: a session is created in the admin with its place checked like a call's
address (commune, région, QPV), its dates and mode checked together; bad input changes nothing."""

import datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from network.models import SessionPage
from tests.factories import UserFactory

from .factories import kind, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="editrice", is_staff=True, is_superuser=True))
    return client


def form(**changes):
    data = {
        "title": "Co-construire avec les habitants",
        "slug": "co-construire",
        "kind": str(kind("co-construction").pk),
        "starts_at": "2030-04-01 18:00",
        "ends_at": "2030-04-01 20:30",
        "mode": "sur_place",
        "place_name": "Café de la Gare (exemple)",
        "address_0": "12 rue de la Gare",
        "address_1": "93300",
        "address_2": "93001",
        "address_3": "",
        "address_4": "",
        "meeting_url": "",
        "audience": "tous",
        "capacity": "25",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "summary": "Une séance d'exemple.",
        "body": streamfield([]),
        "action-publish": "publish",
    }
    data.update(changes)
    return nested_form_data({key: value for key, value in data.items() if value is not None})


def add_url(agenda):
    return reverse("wagtailadmin_pages:add", args=["network", "sessionpage", agenda.pk])


def test_a_session_on_site_is_created_with_its_place_checked(admin_client, agenda):
    response = admin_client.post(add_url(agenda), form())
    assert response.status_code == 302, response.content.decode()[:3000]
    session = SessionPage.objects.get(slug="co-construire")
    assert session.live
    assert (session.street, session.postal_code, session.town, session.region) == (
        "12 rue de la Gare",
        "93300",
        "Aubervilliers",
        "ile-de-france",
    )
    # Without a geocoder the check is the commune's (as for an application): its QPV listed.
    assert session.commune_code == "93001" and session.qpv_method == "commune" and session.qpv_code
    assert "quartier prioritaire" in session.qpv_words()
    # The times are Paris times: 18 h on 1 April 2030 (summer time) is 16:00 UTC.
    assert session.starts_at == datetime.datetime(2030, 4, 1, 16, tzinfo=datetime.UTC)


def test_an_online_session_keeps_its_link_and_no_place(admin_client, agenda):
    data = form(mode="en_ligne", meeting_url="https://visio.example.org/a", address_0="", address_1="", address_2="")
    assert admin_client.post(add_url(agenda), data).status_code == 302
    session = SessionPage.objects.get(slug="co-construire")
    assert session.meeting_url == "https://visio.example.org/a" and not session.town and not session.qpv_method


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": "2030-04-01 17:00"}, "La fin doit être après le début."),
        ({"ends_at": "2030-04-01 18:00"}, "La fin doit être après le début."),
        ({"address_0": "", "address_1": "", "address_2": ""}, "Indiquez l&#x27;adresse du lieu"),
        ({"address_1": "99999"}, "Aucune commune n&#x27;a le code postal 99999"),
        ({"mode": "en_ligne"}, "Indiquez le lien de la visioconférence"),
        (
            {"registration_opens_at": "2030-03-20 09:00", "registration_closes_at": "2030-03-10 09:00"},
            "La clôture des inscriptions doit être après leur ouverture.",
        ),
        ({"registration_closes_at": "2030-04-02 09:00"}, "La clôture des inscriptions doit être avant la fin"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_created(admin_client, agenda, changes, message):
    response = admin_client.post(add_url(agenda), form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SessionPage.objects.filter(slug="co-construire").exists()


def test_the_edit_form_shows_the_stored_address(admin_client, agenda):
    session = make_session(agenda)
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[session.pk])).content.decode()
    assert 'value="12 rue de la Gare"' in html and 'value="93300"' in html
    assert "Adresse du lieu" in html and "Qui peut s&#x27;inscrire" in html


def test_the_kinds_snippet_lists_the_seeded_kinds(admin_client):
    html = admin_client.get(reverse("wagtailsnippets_network_sessionkind:list")).content.decode()
    assert "Rencontre du réseau" in html and "Session de co-construction avec les habitants" in html
