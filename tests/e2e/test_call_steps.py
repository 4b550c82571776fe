"""The call's form in steps on a phone (375 px, Chromium; the demo's open call has three
sections, « Votre commerce », « Vous », « Votre projet », so three steps): with JavaScript each « Suivant » /
« Précédent » swaps the step in without a full reload, moves the focus to the step's heading
and announces it; without JavaScript each step is a POST and the server renders the next one.
Both journeys fix an error on the last step without losing the photo and end with a reference.
axe-core and the Nu HTML Checker on a step page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import check_axe, fill_demo_address, loaded_html, screenshot

pytestmark = pytest.mark.e2e

OPEN_CALL = "/appels/appel-a-candidatures-2026/"


def fill_step_1(page):
    page.fill("#id_nom_du_commerce", "Le Petit Zinc")
    page.check("#id_type_de_commerce_0")
    fill_demo_address(page)
    page.fill("#id_quartier", "Villette")


def fill_step_2(page, email):
    page.fill("#id_nom_et_prenom", "Awa Diallo")
    page.fill("#id_courriel", email)
    page.fill("#id_telephone", "06 12 34 56 78")


def journey(page, demo_site, files, *, javascript, email, validator=None):
    page.goto(demo_site.at(OPEN_CALL))
    expect(page.get_by_role("heading", name="Étape 1 sur 3 : Votre commerce")).to_be_visible()
    expect(page.get_by_text("Les documents à préparer")).to_be_visible()
    if javascript:
        page.evaluate("window.qcSamePage = true")  # gone if the page reloads

    # Step 1: a missing answer is said on the step itself.
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator("#qc-error-summary")).to_contain_text("Nom du commerce")
    expect(page.locator("#qc-error-summary")).not_to_contain_text("Nom et prénom")
    fill_step_1(page)
    page.get_by_role("button", name="Suivant").click()

    heading = page.get_by_role("heading", name="Étape 2 sur 3 : Vous")
    expect(heading).to_be_visible()
    expect(page.locator("#qc-error-summary")).to_have_count(0)
    expect(page.locator(".qc-steps__closes")).to_contain_text("Candidatures ouvertes jusqu'au")
    if javascript:
        expect(heading).to_be_focused()
        expect(page.locator("#qc-step-announce")).to_have_text("Étape 2 sur 3 : Vous")
        assert page.evaluate("window.qcSamePage === true")
    name = "etapes-js" if javascript else "etapes-sans-js"
    html = loaded_html(page)
    screenshot(page, f"{name}-etape-2")
    if javascript:  # axe runs in the page: not without JavaScript (the Nu checker still runs)
        check_axe(page, f"{name}-etape-2")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    fill_step_2(page, email)
    page.get_by_role("button", name="Suivant").click()

    # Step 3: the photo passes, the budget does not: the photo is kept.
    expect(page.get_by_role("heading", name="Étape 3 sur 3 : Votre projet")).to_be_visible()
    page.fill("#id_description_du_projet", "Un café avec des ordinateurs ouverts au public.")
    page.fill("#id_budget", "-3")
    page.set_input_files("#id_photo_du_local", files["photo"])
    page.set_input_files("#id_business_plan", files["plan"])
    page.check("#id_consentement")
    page.get_by_role("button", name="Vérifier mes réponses").click()
    expect(page.locator("#qc-error-summary")).to_contain_text("Indiquez un nombre positif ou nul.")
    expect(page.get_by_text("Déjà joint : devanture.jpg")).to_be_visible()
    screenshot(page, f"{name}-etape-3-erreur")

    # Back to step 2 and forward again: the answers and the files are still there.
    page.get_by_role("button", name="Précédent").click()
    expect(page.get_by_role("heading", name="Étape 2 sur 3 : Vous")).to_be_visible()
    assert page.input_value("#id_nom_et_prenom") == "Awa Diallo"
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("heading", name="Étape 3 sur 3 : Votre projet")).to_be_visible()
    expect(page.get_by_text("Déjà joint : devanture.jpg")).to_be_visible()
    expect(page.get_by_text("Déjà joint : business-plan.pdf")).to_be_visible()
    page.fill("#id_budget", "15 000")
    page.get_by_role("button", name="Vérifier mes réponses").click()
    # The recap: every answer as it will be sent, then « Envoyer ».
    expect(page.get_by_role("heading", name="Vérifiez vos réponses avant d'envoyer")).to_be_visible()
    page.get_by_role("button", name="Envoyer ma candidature").click()
    reference = page.locator(".call-thanks__code").inner_text()
    assert re.fullmatch(r"QC-\d{4}-\d{4}", reference)
    return reference, html


def test_the_form_in_steps_with_javascript(demo_site, page_at, files, validator):
    from calls.models import Application

    page = page_at(375)
    reference, html = journey(page, demo_site, files, javascript=True, email="awa@example.org")
    application = Application.objects.get(reference=reference)
    assert sorted(a.display_name for a in application.attachments.all()) == ["business-plan.pdf", "devanture.jpg"]
    assert application.form_data["nom_du_commerce"]["value"] == "Le Petit Zinc"
    validator({"etape-2-js": html})


def test_the_form_in_steps_without_javascript(demo_site, page_at, files, validator):
    from calls.models import Application

    page = page_at(375, javascript=False)
    reference, html = journey(page, demo_site, files, javascript=False, email="bilal@example.org")
    application = Application.objects.get(reference=reference)
    assert application.applicant_email == "bilal@example.org"
    assert sorted(a.display_name for a in application.attachments.all()) == ["business-plan.pdf", "devanture.jpg"]
    validator({"etape-2-sans-js": html})


def test_a_step_on_a_wide_screen(demo_site, page_at):
    """At 1280 px: the step's heading is the legend of its card, once; axe passes."""
    page = page_at(1280)
    page.goto(demo_site.at(OPEN_CALL))
    heading = page.get_by_role("heading", name="Étape 1 sur 3 : Votre commerce")
    expect(heading).to_be_visible()
    expect(page.locator("fieldset.qc-step > legend #qc-step-title")).to_have_count(1)
    expect(page.get_by_role("group", name="Étape 1 sur 3 : Votre commerce")).to_be_visible()
    expect(page.locator("legend", has_text="Votre commerce")).to_have_count(1)
    check_axe(page, "etape-1-large")
    screenshot(page, "etapes-etape-1")
