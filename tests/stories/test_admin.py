"""The editors' side: the story form in tabs, with French labels, and the Theme snippet."""

import re

import pytest
from django.urls import reverse

from stories.models import Theme
from tests.factories import UserFactory
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="editrice", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_story_form_is_in_french_tabs(admin_client, home_page):
    index = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory(parent=index)
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()
    tabs = re.findall(r'data-w-tabs-target="trigger"[^>]*>\s*([^<]*?)\s*<', html)
    # The "Paramètres" tab only holds the scheduling, which Wagtail shows in the side panel.
    assert tabs[:3] == ["Récit", "Le commerce", "Promotion"]
    for label in ("Nom du commerce", "Quartier (QPV)", "Année de la récompense", "Soutien reçu", "Galerie"):
        assert label in html, label
    assert "Accès au numérique" in html  # the themes as checkboxes


def test_story_form_shows_french_errors(admin_client, home_page):
    index = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory(parent=index)
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    data = nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "business_name": story.business_name,
            "kind": story.kind,
            "town": story.town,
            "region": story.region,
            "opening_status": "ouvert",
            "year_founded": "2015",
            "laureate_year": "2019",
            "summary": story.summary,
            "latitude": "48.9",
            "longitude": "",
            "body": streamfield([]),
            "gallery_images": inline_formset([]),
            "support_received": rich_text(""),
        }
    )
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data)
    html = response.content.decode()
    assert "Le programme récompense des lauréats depuis décembre 2020." in html
    assert "Renseignez la latitude et la longitude ensemble" in html


def test_theme_snippet_derives_its_slug(admin_client):
    url = reverse("wagtailsnippets_stories_theme:add")
    response = admin_client.post(url, {"name": "Culture et loisirs", "slug": "", "description": ""})
    assert response.status_code == 302
    assert Theme.objects.get(name="Culture et loisirs").slug == "culture-et-loisirs"
    listing = admin_client.get(reverse("wagtailsnippets_stories_theme:list")).content.decode()
    assert "Culture et loisirs" in listing and "Parentalité" in listing
