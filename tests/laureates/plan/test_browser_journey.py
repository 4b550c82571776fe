"""The laureate's space in Chromium at 375 px: sign in with the emailed link, open the plan,
mark « Ouverture » done with a photo; the story then reads « Ouvert ». A wrong file first gets
its French message. Another laureate sends a report (« bilan ») with a conditional question and
a photo; the payments stack on the phone (nothing scrolls sideways). axe-core and the Nu HTML
Checker on each page of the laureate's part.

Uses the browser harness of tests/e2e (its fixtures are imported here).
"""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.applicants import test_browser_journey as applicant_journey
from tests.e2e import conftest as e2e
from tests.e2e import test_moderation_pages as moderation_pages
from tests.e2e.harness import check_axe, format_vnu_messages, run_vnu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.journey]

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
    from tests.laureates.plan.fixtures import make_report_form
    from tests.moderation.factories import user_in

    user_in("Modérateurs", username="mona", first_name="Mona", last_name="Dupont", password=moderation_pages.PASSWORD)

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
    # The report journey's laureate: two tranches with long labels, and a report form of the call.
    reporting = Laureate.objects.create(
        call=call,
        edition=2026,
        business_name="Épicerie des Quatre-Routes (exemple)",
        town="Saint-Denis",
        region="ile-de-france",
        contact_email="bilan@example.org",
        amount_awarded="12500.00",
    )
    for label, day, amount in [
        ("Premier versement à la signature", 15, "5000.00"),
        ("Solde après ouverture", 90, "7500.00"),
    ]:
        Payment.objects.create(
            laureate=reporting, label=label, planned_on=today + datetime.timedelta(days=day), amount=amount
        )
    make_report_form(call, title="Bilan de parcours (test)", due_on=today + datetime.timedelta(days=30))


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


def test_the_laureate_sends_a_report_from_their_space(demo_site, page_at, files, validator):
    from laureates.models import Laureate, Report

    laureate = Laureate.objects.get(contact_email="bilan@example.org")
    pages = {}
    page = page_at(375)
    page.goto(demo_site.at("/espace-candidat/"))
    page.fill("#id_email", "bilan@example.org")
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    page.goto(demo_site.at(applicant_journey.last_link()))
    page.get_by_role("button", name="Ouvrir mon espace").click()
    page.goto(demo_site.at(f"/espace-candidat/laureat/{laureate.pk}/"))
    # The payments: one card per tranche, none wider than its box on a phone.
    payments = page.locator(".space-payments")
    expect(payments.locator("li")).to_have_count(2)
    assert payments.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    applicant_journey.checked(page, "espace-laureat-versements", pages)

    page.get_by_role("link", name="Remplir « Bilan de parcours (test) »").click()
    expect(page.get_by_role("heading", name="Bilan de parcours (test)")).to_be_visible()
    page.get_by_label(re.compile("Chiffre d'affaires du semestre")).fill("12 000,50")
    page.get_by_label(re.compile("Emplois créés")).fill("2")
    page.get_by_role("radio", name="Oui").check()
    page.get_by_label(re.compile("Poste envisagé")).fill("Serveur ou serveuse (exemple)")
    page.get_by_label(re.compile("Photos du commerce")).set_input_files(files["photo"])
    applicant_journey.checked(page, "espace-laureat-bilan", pages)
    page.get_by_role("button", name="Envoyer le bilan").click()
    expect(page.get_by_text("Bilan « Bilan de parcours (test) » envoyé. Merci !")).to_be_visible()
    page.get_by_role("link", name="Relire « Bilan de parcours (test) »").click()
    expect(page.get_by_role("link", name="devanture.jpg")).to_be_visible()
    applicant_journey.checked(page, "espace-laureat-bilan-envoye", pages)
    report = Report.objects.get(laureate=laureate)
    assert report.answers["poste_envisage"]["value"] == "Serveur ou serveuse (exemple)"
    assert report.files.count() == 1
    validator(pages)


def test_the_team_edits_the_plan_at_1280(demo_site, page_at):
    """The moderator's plan page: a milestone dated before the call is refused in French, a
    later one is added; axe (Wagtail's own known issues aside) and the Nu checker."""
    from django.utils import timezone

    from laureates.models import Laureate

    laureate = Laureate.objects.get(contact_email="laureate@example.org")
    path = f"/admin/laureats/parcours/{laureate.pk}/"
    page = page_at(1280)
    moderation_pages.log_in(page, demo_site, "mona")
    page.goto(demo_site.at(path))
    expect(page.get_by_role("heading", name="Étapes")).to_be_visible()
    check_axe(page, "parcours (équipe)", ignore=moderation_pages.WAGTAIL_AXE)
    # The HTML as served (as tests/e2e/test_moderation_pages.py does: not Wagtail's sidebar as
    # its scripts draw it).
    documents = {"parcours (équipe)": page.request.get(demo_site.at(path)).text()}
    before = timezone.localdate(laureate.call.opens_at) - datetime.timedelta(days=1)
    form = page.locator("form", has=page.get_by_role("button", name="Ajouter l'étape"))
    form.get_by_label("Étape", exact=True).fill("Bilan à 6 mois")
    form.get_by_label(re.compile("^Échéance")).fill(before.isoformat())
    form.get_by_role("button", name="Ajouter l'étape").click()
    expect(page.get_by_text(re.compile("L'échéance ne peut pas précéder l'appel"))).to_be_visible()
    check_axe(page, "parcours (équipe, erreur)", ignore=moderation_pages.WAGTAIL_AXE)
    screenshot(page, "parcours-equipe-erreur")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    error = page.request.post(
        demo_site.at(path + "etapes/ajouter/"),
        form={
            "csrfmiddlewaretoken": token,
            "nouvelle-label": "Bilan",
            "nouvelle-due_on": before.isoformat(),
            "nouvelle-status": "a_faire",
        },
        headers={"Referer": demo_site.at(path)},
    )
    assert error.status == 400
    documents["parcours (équipe, erreur)"] = error.text()
    assert not laureate.milestones.filter(label="Bilan à 6 mois").exists()
    form = page.locator("form", has=page.get_by_role("button", name="Ajouter l'étape"))
    form.get_by_label(re.compile("^Échéance")).fill((timezone.localdate() + datetime.timedelta(days=200)).isoformat())
    form.get_by_role("button", name="Ajouter l'étape").click()
    expect(page.get_by_text("Étape « Bilan à 6 mois » ajoutée.")).to_be_visible()
    screenshot(page, "parcours-equipe")
    report = run_vnu(documents)
    errors = [
        message
        for messages in report.values()
        for message in messages
        if message.get("type") == "error" and not moderation_pages.wagtail_markup(message)
    ]
    assert not errors, format_vnu_messages(errors)


@pytest.mark.parametrize("width", [375, 1280])
def test_the_teams_report_pages_pass_axe_and_the_nu_checker(demo_site, page_at, width):
    """The report forms' list (due date, reports received, who has not sent), a form's editor
    (its due date, the figures kept after an erasure) and the erasure's confirmation."""
    from laureates.models import Laureate, ReportForm

    report_form = ReportForm.objects.get(title="Bilan de parcours (test)")
    laureate = Laureate.objects.get(contact_email="laureate@example.org")
    paths = {
        "bilans (équipe)": "/admin/laureats/bilans/",
        "bilan, édition (équipe)": f"/admin/laureats/bilans/edit/{report_form.pk}/",
        "effacer les coordonnées (équipe)": f"/admin/laureats/{laureate.pk}/effacer-coordonnees/",
    }
    page = page_at(width)
    moderation_pages.log_in(page, demo_site, "mona")
    documents = {}
    for name, path in paths.items():
        page.goto(demo_site.at(path))
        check_axe(page, f"{name} {width}", ignore=moderation_pages.WAGTAIL_AXE)
        screenshot(page, f"{name}-{width}")
        documents[f"{name} {width}"] = page.request.get(demo_site.at(path)).text()
    listing = documents[f"bilans (équipe) {width}"]
    assert "Pas encore envoyé" in listing and "Café de la Place (exemple)" in listing
    assert "laureate@example.org" not in listing
    assert "Chiffre gardé après l" in documents[f"bilan, édition (équipe) {width}"]
    report = run_vnu(documents)
    errors = [
        message
        for messages in report.values()
        for message in messages
        if message.get("type") == "error" and not moderation_pages.wagtail_markup(message)
    ]
    assert not errors, format_vnu_messages(errors)
