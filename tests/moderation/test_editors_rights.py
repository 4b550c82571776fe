"""A communications editor (« Éditeurs ») keeps the images, the partners (« Fragments ») and
the themes up to date without an administrator: the permissions given by the migrations are
the ones Wagtail checks."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection

from home.models import CustomImage, Partner
from stories.models import Theme
from tests.factories import ImageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communications_editor():
    # The group as the migrations left it (not made again by the tests' factories).
    user = UserFactory(username="redaction")
    user.groups.add(Group.objects.get(name="Éditeurs"))
    return user


def test_an_editor_writes_an_images_alt_text(client, communications_editor):
    # In the site's collection (the factory's default makes a second root collection).
    image = ImageFactory(title="Terrasse du café", alt_text="", collection=Collection.get_first_root_node())
    client.force_login(communications_editor)
    listing = client.get("/admin/images/")
    assert listing.status_code == 200
    assert "Terrasse du café" in listing.content.decode()
    edit = client.get(f"/admin/images/{image.pk}/")
    assert edit.status_code == 200
    response = client.post(
        f"/admin/images/{image.pk}/",
        {
            "title": "Terrasse du café",
            "alt_text": "La terrasse du café, tables en bois au soleil",
            "credit": "",
            "collection": image.collection_id,
            "tags": "",
            "description": "",
            "focal_point_x": "",
            "focal_point_y": "",
            "focal_point_width": "",
            "focal_point_height": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CustomImage.objects.get(pk=image.pk).alt_text == "La terrasse du café, tables en bois au soleil"
    assert client.get("/admin/images/multiple/add/").status_code == 200
    assert client.get("/admin/images/chooser/").status_code == 200


def test_an_editor_keeps_partners_and_themes_up_to_date(client, communications_editor):
    Partner.objects.create(name="Exemple de partenaire")
    client.force_login(communications_editor)
    partners = client.get("/admin/snippets/home/partner/")
    assert partners.status_code == 200
    assert "Exemple de partenaire" in partners.content.decode()
    assert client.get("/admin/snippets/").status_code == 200
    partner = {"name": "Autre partenaire", "url": "", "description": ""}
    response = client.post("/admin/snippets/home/partner/add/", partner)
    assert response.status_code == 302
    assert Partner.objects.filter(name="Autre partenaire").exists()
    themes = client.get("/admin/snippets/stories/theme/")
    assert themes.status_code == 200
    theme = {"name": "Exemple de thème", "slug": "exemple-de-theme", "description": ""}
    response = client.post("/admin/snippets/stories/theme/add/", theme)
    assert response.status_code == 302
    assert Theme.objects.filter(slug="exemple-de-theme").exists()


def test_the_editors_menu_offers_images_partners_and_themes(client, communications_editor):
    client.force_login(communications_editor)
    html = client.get("/admin/").content.decode()
    for link in ("/admin/images/", "/admin/snippets/", "/admin/snippets/stories/theme/"):
        assert link in html


def test_the_publish_menu_offers_the_french_workflow(client, communications_editor, home_page):
    from wagtail.models import Task, Workflow

    assert not Workflow.objects.filter(name__icontains="approval").exists()
    assert not Task.objects.filter(name__icontains="approval").exists()
    client.force_login(communications_editor)
    html = client.get(f"/admin/pages/{home_page.pk}/edit/").content.decode()
    assert "Soumettre à la validation des éditeurs" in html
    assert "Moderators" not in html
