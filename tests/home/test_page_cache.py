"""The full-page cache (home/page_cache.py): what it serves, what starts a new generation,
and what it never stores."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import HomePartner, SiteSettings
from tests.calls.factories import CallIndexPageFactory, make_call
from tests.factories import PartnerFactory, ProgrammePageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def programme(home_page):
    return ProgrammePageFactory(parent=home_page, title="Le programme", slug="le-programme")


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response


def test_an_anonymous_page_is_served_from_the_cache_without_a_query(client, programme):
    first = get(client, programme.url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = get(client, programme.url)
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    cache_control = second["Cache-Control"]
    assert "public" in cache_control and "s-maxage=300" in cache_control
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


def test_publishing_a_page_shows_the_new_version_at_once(client, programme):
    get(client, programme.url)
    programme.title = "Le programme, nouvelle version"
    programme.save_revision().publish()
    response = get(client, programme.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Le programme, nouvelle version" in response.content.decode()


def test_unpublishing_moving_and_deleting_start_a_new_generation(client, home_page, programme):
    other = ProgrammePageFactory(parent=home_page, title="Le réseau", slug="le-reseau")
    get(client, "/")
    programme.unpublish()
    assert get(client, "/")["X-Page-Cache"] == "miss"
    get(client, "/")
    other.move(programme, pos="last-child")
    assert get(client, "/")["X-Page-Cache"] == "miss"
    get(client, "/")
    other.delete()
    assert get(client, "/")["X-Page-Cache"] == "miss"


def test_a_snippet_or_a_setting_shown_on_pages_starts_a_new_generation(client, home_page):
    partner = PartnerFactory(name="GROUPE SOS")
    home_page.home_partners = [HomePartner(partner=partner)]
    home_page.save_revision().publish()
    assert "GROUPE SOS" in get(client, "/").content.decode()
    partner.name = "GROUPE SOS Solidarités"
    partner.save()
    response = get(client, "/")
    assert response["X-Page-Cache"] == "miss" and "GROUPE SOS Solidarités" in response.content.decode()
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.footer_text = "<p>Pied de page modifié</p>"
    site_settings.save()
    assert "Pied de page modifié" in get(client, "/").content.decode()


def test_a_signed_in_user_always_gets_a_fresh_page(client, programme):
    get(client, programme.url)
    client.force_login(UserFactory())
    response = get(client, programme.url)
    assert "X-Page-Cache" not in response


def test_a_visitor_with_a_session_is_not_served_another_visitors_copy(client, programme):
    get(client, programme.url)
    client.cookies["sessionid"] = "abc"
    assert "X-Page-Cache" not in get(client, programme.url)


def test_a_page_with_a_form_and_its_tokens_is_never_shared(client, home_page):
    call = make_call(CallIndexPageFactory(parent=home_page))
    first = get(client, call.url)
    second = get(client, call.url)
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    token = 'name="qc_jeton" value="'
    assert first.content.decode().split(token)[1][:36] != second.content.decode().split(token)[1][:36]


def test_the_admin_and_probes_are_never_cached(client):
    assert "X-Page-Cache" not in client.get("/admin/login/")
    assert "X-Page-Cache" not in client.get("/readyz/")


def test_zero_turns_the_cache_off(client, programme, settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(client, programme.url)
    assert "X-Page-Cache" not in get(client, programme.url)
