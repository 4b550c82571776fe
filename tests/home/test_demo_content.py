import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from home.models import HomePage, Partner, SiteSettings

EXPECTED_URLS = [
    "/",
    "/le-programme/",
    "/le-programme/accompagnement/",
    "/le-programme/reseau/",
    "/partenaires/",
    "/contact/",
    "/laureats/",
    "/appels/",
    "/actualites/",
    "/actualites/2026/",
    "/actualites/exemple-atelier-gestion/",
    "/mentions-legales/",
    "/accessibilite/",
    "/donnees-personnelles/",
    "/cookies/",
]


@pytest.mark.django_db
def test_demo_content_builds_the_site_and_is_idempotent(client):
    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    counts = (Page.objects.count(), Partner.objects.count(), Site.objects.count())
    from wagtail.images import get_image_model

    images = get_image_model().objects.count()
    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    assert (Page.objects.count(), Partner.objects.count(), Site.objects.count()) == counts
    assert get_image_model().objects.count() == images
    assert HomePage.objects.count() == 1

    for url in EXPECTED_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
    home = client.get("/").content.decode()
    assert "625 000 €" in home
    assert "87" in home and "12" in home
    assert "GROUPE SOS" in home
    assert "/le-programme/" in home and "/laureats/" in home and "/appels/" in home
    settings_obj = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings_obj.contact_email == "contact@quartierscafes.org"
    assert settings_obj.publisher_name == "GROUPE SOS"
    # The footer links the legal pages and says the accessibility status (no audit: non conforme).
    assert "/mentions-legales/" in home and "/cookies/" in home and "/donnees-personnelles/" in home
    assert "Accessibilité : non conforme" in home
    # No page is bare: every image on the home page was generated locally.
    assert "<img" in home


@pytest.mark.django_db
def test_dev_superuser_only_under_dev_settings(settings):
    settings.DEV_SUPERUSER = None
    call_command("ensure_dev_superuser", stdout=open("/dev/null", "w"))
    assert not get_user_model().objects.filter(username="admin").exists()
    settings.DEV_SUPERUSER = ("admin", "changeme")
    call_command("ensure_dev_superuser", stdout=open("/dev/null", "w"))
    call_command("ensure_dev_superuser", stdout=open("/dev/null", "w"))
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("changeme")


def test_production_settings_have_no_dev_superuser():
    import ast
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "config/settings/production.py").read_text()
    assert "DEV_SUPERUSER" not in source
    tree = ast.parse((Path(__file__).resolve().parents[2] / "config/settings/base.py").read_text())
    values = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DEV_SUPERUSER" for t in node.targets)
    ]
    assert len(values) == 1 and isinstance(values[0], ast.Constant) and values[0].value is None


@pytest.mark.django_db
def test_demo_figures_are_computed_or_labelled_as_the_2020_editions(client):
    """No demo text states a figure the data contradict: the programme's 2020 facts say they
    are the 2020 edition's, the rest is computed from the data (home/figures.py)."""
    import re

    from home import demo_content, figures

    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    edition = figures.editions()[-1]
    pages = {url: client.get(url).content.decode() for url in ["/", "/le-programme/", "/partenaires/", "/laureats/"]}
    home = pages["/"]
    assert "lauréats récompensés lors de l&#x27;édition 2020" in home
    assert "candidatures reçues en 2020" in home
    shown = re.search(
        rf'value">([^<]*)</span> <span class="key-figures__label">candidatures reçues \(édition {edition}\)', home
    )
    assert shown and shown.group(1) == figures.display(figures.compute("candidatures", edition))
    # A computed figure at zero is not shown: the laureates are those of the latest edition
    # that has some (the call of the latest one is still open), and the money likewise.
    with_laureates = demo_content.latest_edition("laureats")
    assert with_laureates and with_laureates < edition
    assert f"lauréats (édition {with_laureates})" in home
    assert f"lauréats (édition {edition})" not in home
    stories = re.search(r'value">([^<]*)</span> <span class="key-figures__label">récits de lauréats publiés', home)
    assert stories and stories.group(1) == figures.display(figures.compute("recits")) != "0"
    assert "commerces lauréats ouverts" in pages["/le-programme/"]
    assert f"versés aux lauréats (édition {demo_content.latest_edition('montant_attribue')})" in pages["/partenaires/"]
    for url, html in pages.items():
        # The 12 régions are where the 2020 applications came from, never the laureates'.
        assert "50 commerces de proximité dans 12 régions" not in html, url
        assert "50 lauréats depuis" not in html, url
