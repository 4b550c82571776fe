"""The laureate's space in Chromium at 375 px: sign in with the emailed link, open the plan,
mark « Ouverture » done with a photo; the story then reads « Ouvert ». A wrong file first gets
its French message. axe-core and the Nu HTML Checker on each page of the laureate's part.

Uses the browser harness of tests/e2e (its fixtures are imported here).
"""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.applicants import test_browser_journey as applicant_journey
from tests.e2e import conftest as e2e

pytestmark = pytest.mark.e2e

_allow_orm_beside_playwright = e2e._allow_orm_beside_playwright
_demo_site_for_module = e2e._demo_site_for_module
_media_in_tmp = e2e._media_in_tmp
browser = e2e.browser
csp_violations = e2e.csp_violations
demo_site = e2e.demo_site
e2e_media = e2e.e2e_media
page_at = e2e.page_at
validator = e2e.validator
files = e2e.files


def extra_demo_content(home):
    from django.utils import timezone

    from calls.models import CallPage
    from laureates.models import Laureate, Milestone, Payment
    from stories.models import StoryPage

    story = StoryPage.objects.live().filter(opening_status="ouverture-prochaine").first()
    call = CallPage.objects.order_by("pk").first()
    laureate = Laureate.objects.create(
        call=call,
        edition=2026,
        business_name="Café de la Place (exemple)",
        town="Aubervilliers",
        region="ile-de-france",
        contact_email="laureate@example.org",
        amount_awarded="12500.00",
        story=story,
    )
    Payment.objects.create(
        laureate=laureate, label="Premier versement", planned_on=datetime.date(2027, 1, 15), amount="5000.00"
    )
    today = timezone.localdate()
    Milestone.objects.create(
        laureate=laureate, label="Travaux", due_on=today + datetime.timedelta(days=20), sort_order=1
    )
    Milestone.objects.create(
        laureate=laureate, label="Ouverture", due_on=today + datetime.timedelta(days=60), sort_order=2, is_opening=True
    )


def test_the_laureate_marks_the_opening_done_with_a_photo(demo_site, page_at, files, tmp_path, validator):
    from laureates.models import Laureate, MilestoneStatus
    from stories.models import StoryPage

    laureate = Laureate.objects.get(contact_email="laureate@example.org")
    pages = {}
    page = page_at(375)
    page.goto(demo_site.at("/espace-candidat/"))
    page.fill("#id_email", "laureate@example.org")
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    page.goto(demo_site.at(applicant_journey.last_link()))
    page.get_by_role("button", name="Ouvrir mon espace").click()
    expect(page.get_by_role("heading", name="Mon parcours de lauréat")).to_be_visible()
    applicant_journey.checked(page, "espace-laureat-accueil", pages)
    page.get_by_role("link", name=re.compile("Voir mon parcours")).click()
    expect(page.get_by_role("heading", name="Café de la Place (exemple)")).to_be_visible()
    expect(page.get_by_text("12\u00a0500,00\u00a0€")).to_be_visible()
    applicant_journey.checked(page, "espace-laureat-parcours", pages)

    # A file that is not what it claims: refused in French, nothing recorded.
    fake = tmp_path / "photo.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>")
    page.get_by_text("Indiquer que « Ouverture » est fait").click()
    opening = page.locator("details", has_text="« Ouverture »")
    opening.get_by_label("Ce qui a été fait").fill("Ouvert samedi, le quartier était là.")
    opening.get_by_label(re.compile("Photos ou documents")).set_input_files(str(fake))
    opening.get_by_role("button", name="C'est fait").click()
    expect(page.get_by_text("L'étape n'est pas enregistrée")).to_be_visible()
    applicant_journey.checked(page, "espace-laureat-erreur", pages)
    assert laureate.milestones.get(is_opening=True).status == MilestoneStatus.A_FAIRE

    # The photo of the shop front: the milestone is done, the story reads « Ouvert ».
    opening = page.locator("details", has_text="« Ouverture »")
    opening.get_by_label("Ce qui a été fait").fill("Ouvert samedi, le quartier était là.")
    opening.get_by_label(re.compile("Photos ou documents")).set_input_files(files["photo"])
    opening.get_by_role("button", name="C'est fait").click()
    expect(page.get_by_text("Étape « Ouverture » marquée comme faite. Merci !")).to_be_visible()
    expect(page.get_by_role("link", name="devanture.jpg")).to_be_visible()
    applicant_journey.checked(page, "espace-laureat-fait", pages)
    milestone = laureate.milestones.get(is_opening=True)
    assert milestone.status == MilestoneStatus.FAIT and milestone.files.count() == 1
    assert StoryPage.objects.get(pk=laureate.story_id).opening_status == "ouvert"
    assert mail.outbox  # the sign-in link
    validator(pages)
