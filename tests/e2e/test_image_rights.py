"""Image rights in a real browser: the demo call's optional « droit à l'image » checkbox with
its text, and a laureate who consented promoted to a draft story whose gallery holds their
photos, with the record of the consent in the story's editor."""

import uuid

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tests.e2e.harness import check_axe, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "motdepasse-solide-42"
REFERENCE = "QC-2099-0777"


def extra_demo_content(home):
    """A superuser and a laureate application to the demo's open call that gave its consent."""
    from calls.attachments.storage import private_storage
    from calls.models import Attachment, CallPage, Status
    from tests.calls.samples import jpeg_with_gps
    from tests.moderation.factories import ApplicationFactory, form_data_for, user_in

    call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    user_in("Modérateurs", username="alix", is_superuser=True, is_staff=True, password=PASSWORD)
    values = {
        "nom_du_commerce": "Le Comptoir des Izards",
        "commune": "Toulouse",
        "quartier": "Les Izards",
        "description_du_projet": "Un café avec une bibliothèque partagée.",
        "photo_du_local": ["devanture.jpg"],
        "droit_a_l_image": True,
    }
    data = form_data_for(call, values)
    text = call.form_fields.get(clean_name="droit_a_l_image").description
    data["droit_a_l_image"].update(display="Oui", text=text)
    application = ApplicationFactory(
        page=call,
        reference=REFERENCE,
        status=Status.LAUREATE,
        business_name="Le Comptoir des Izards",
        town="Toulouse",
        region="occitanie",
        business_kind="cafe",
        form_data=data,
    )
    content = jpeg_with_gps(640, 480)
    name = private_storage().save(f"applications/test/{uuid.uuid4().hex}.jpg", ContentFile(content))
    Attachment.objects.create(
        application=application,
        field_key="photo_du_local",
        file=name,
        display_name="devanture.jpg",
        content_type="image/jpeg",
        size=len(content),
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_the_call_form_asks_for_image_rights(demo_site, page_at, width):
    page = page_at(width)
    # The last step of the demo's form in steps, « Votre projet ».
    page.goto(demo_site.at("/appels/appel-a-candidatures-2026/?etape=3"))
    box = page.get_by_role("checkbox", name="J'autorise la publication des photos de mon commerce")
    expect(box).to_be_visible()
    expect(box).not_to_be_checked()
    expect(page.get_by_text("vous autorisez la publication des photos jointes")).to_be_visible()
    box.scroll_into_view_if_needed()
    screenshot(page, "appel-droit-a-l-image", full_page=False)
    check_axe(page, "appel avec droit à l'image")


def test_promotion_copies_the_consented_photos(demo_site, page_at):
    from calls.models import Application

    page = page_at(1280)
    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill("alix")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.goto(demo_site.at(f"/admin/moderation/application/{Application.objects.get(reference=REFERENCE).pk}/"))
    page.get_by_role("button", name="Créer le brouillon du récit").click()
    expect(page.get_by_text("1 photo du candidat copiée dans la galerie du récit")).to_be_visible()
    expect(page.get_by_text(f"Accord donné par le candidat avec sa candidature {REFERENCE}")).to_be_visible()
    expect(page.get_by_text("texte alternatif à écrire")).to_be_visible()
    page.get_by_text("Droit à l'image et à la publication").first.scroll_into_view_if_needed()
    screenshot(page, "recit-droit-a-l-image")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "recit-droit-a-l-image")
