"""Repeatable sections on a phone (375 px, Chromium): the demo's open call gets « Partenaires »
(0 to 3) and « Achats prévus » (1 to 4, with a total). With JavaScript, entries are added and
removed in place (focus on the new entry's first field, a polite announcement, the total
following what is typed); without JavaScript the same buttons post the form and the server
renders it again with the answers and the files kept. Both journeys end with a reference.
axe-core, the Nu HTML Checker and the CSP on the form."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import check_axe, fill_demo_address, loaded_html, screenshot

pytestmark = pytest.mark.e2e

OPEN_CALL = "/appels/appel-a-candidatures-2026/"


def extra_demo_content(home):
    from calls.models import CallFormField, CallPage

    call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    order = max(field.sort_order or 0 for field in call.form_fields.all()) + 1
    specs = [
        {
            "clean_name": "partenaires",
            "label": "Partenaires",
            "field_type": "section",
            "repeatable": True,
            "min_entries": 0,
            "max_entries": 3,
            "entry_label": "Partenaire",
            "help_text": "Les associations ou entreprises qui vous accompagnent.",
        },
        {"clean_name": "nom_du_partenaire", "label": "Nom du partenaire", "field_type": "singleline"},
        {"clean_name": "role", "label": "Rôle", "field_type": "singleline", "required": False},
        {
            "clean_name": "achats_prevus",
            "label": "Achats prévus",
            "field_type": "section",
            "repeatable": True,
            "min_entries": 1,
            "max_entries": 4,
            "entry_label": "Achat",
        },
        {"clean_name": "objet", "label": "Objet", "field_type": "singleline"},
        {"clean_name": "montant", "label": "Montant (en euros)", "field_type": "number"},
    ]
    for offset, spec in enumerate(specs):
        CallFormField.objects.create(page=call, sort_order=order + offset, **spec)
    # The journey fills the whole form on one page (steps, the default, are covered by
    # tests/e2e/test_call_steps.py; a repeatable step by tests/calls/test_repeatable.py).
    call.form_in_steps = False
    call.save(update_fields=["form_in_steps"])


def fill_the_rest(page, files, email):
    page.fill("#id_nom_du_commerce", "Le Petit Zinc")
    page.check("#id_type_de_commerce_0")
    fill_demo_address(page)
    page.fill("#id_quartier", "Villette")
    page.fill("#id_nom_et_prenom", "Awa Diallo")
    page.fill("#id_courriel", email)
    page.fill("#id_telephone", "06 12 34 56 78")
    page.fill("#id_description_du_projet", "Un café avec des ordinateurs ouverts au public.")
    page.set_input_files("#id_photo_du_local", files["photo"])
    page.set_input_files("#id_business_plan", files["plan"])
    page.check("#id_consentement")


def test_entries_added_and_removed_in_place_with_javascript(demo_site, page_at, files, validator, csp_violations):
    from calls.models import Application

    page = page_at(375)
    page.goto(demo_site.at(OPEN_CALL))
    page.evaluate("window.qcSamePage = true")  # gone if the page reloads
    fill_the_rest(page, files, "awa@example.org")

    partners = page.locator("#partenaires-entrees")
    expect(partners.locator("legend.qc-entry__title")).to_have_text(["Partenaire 1"])
    page.get_by_role("button", name="Ajouter un partenaire").click()
    expect(partners.locator("legend.qc-entry__title")).to_have_text(["Partenaire 1", "Partenaire 2"])
    expect(page.locator("#id_partenaires-2-nom_du_partenaire")).to_be_focused()
    expect(partners.locator("[data-repeat-status]")).to_have_text("Partenaire 2 ajouté(e).")
    page.get_by_role("button", name="Ajouter un partenaire").click()
    # At the maximum (3) the button goes away and the form says why.
    expect(page.get_by_role("button", name="Ajouter un partenaire")).to_be_hidden()
    expect(partners.get_by_text("Maximum atteint : 3 entrées « Partenaire ».")).to_be_visible()
    page.fill("#id_partenaires-1-nom_du_partenaire", "Asso Alpha")
    page.fill("#id_partenaires-2-nom_du_partenaire", "Asso Bravo")
    page.fill("#id_partenaires-3-nom_du_partenaire", "Asso Charlie")
    page.fill("#id_partenaires-3-role", "Prêt de salle")

    # Removing the middle one: the third becomes « Partenaire 2 », names and labels follow.
    page.get_by_role("button", name="Retirer : Partenaire 2", exact=True).click()
    expect(partners.locator("legend.qc-entry__title")).to_have_text(["Partenaire 1", "Partenaire 2"])
    assert page.input_value("#id_partenaires-2-nom_du_partenaire") == "Asso Charlie"
    assert page.input_value("#id_partenaires-2-role") == "Prêt de salle"
    expect(page.get_by_label("Nom du partenaire").nth(1)).to_have_value("Asso Charlie")
    expect(page.locator("#id_partenaires-2-nom_du_partenaire")).to_be_focused()
    expect(partners.locator("[data-repeat-status]")).to_have_text("Partenaire 2 retiré(e).")
    assert page.input_value("input[name='partenaires-nombre']") == "2"

    # Purchases: the total follows what is typed.
    page.fill("#id_achats_prevus-1-objet", "Percolateur")
    page.fill("#id_achats_prevus-1-montant", "1 200,50")
    page.get_by_role("button", name="Ajouter un achat").click()
    expect(page.locator("#id_achats_prevus-2-objet")).to_be_focused()
    page.fill("#id_achats_prevus-2-objet", "Tables")
    page.fill("#id_achats_prevus-2-montant", "800")
    expect(page.locator("output[data-repeat-total='montant']")).to_have_text(re.compile(r"^2\s000,50$"))

    assert page.evaluate("window.qcSamePage === true")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "groupes-js")
    check_axe(page, "groupes-js")
    html = loaded_html(page)
    page.get_by_role("button", name="Envoyer ma candidature").click()
    reference = page.locator(".call-thanks__code").inner_text()
    assert re.fullmatch(r"QC-\d{4}-\d{4}", reference)
    stored = Application.objects.get(reference=reference).form_data
    assert [e["nom_du_partenaire"] for e in stored["partenaires"]["value"]] == ["Asso Alpha", "Asso Charlie"]
    assert stored["achats_prevus"]["totals"][0]["value"] == "2000.50"
    assert csp_violations == []
    validator({"groupes-js": html})


def test_entries_added_and_removed_by_the_server_without_javascript(demo_site, page_at, files):
    from calls.models import Application

    page = page_at(375, javascript=False)
    page.goto(demo_site.at(OPEN_CALL))
    fill_the_rest(page, files, "bilal@example.org")
    page.fill("#id_partenaires-1-nom_du_partenaire", "Asso Alpha")
    page.fill("#id_achats_prevus-1-objet", "Four")
    page.fill("#id_achats_prevus-1-montant", "300")
    page.get_by_role("button", name="Ajouter un partenaire").click()

    # The same page again: answers kept, files kept in the draft, a second entry, its field focused.
    expect(page.locator("#partenaires-entrees legend.qc-entry__title")).to_have_text(["Partenaire 1", "Partenaire 2"])
    expect(page.locator("#id_partenaires-2-nom_du_partenaire")).to_be_focused()
    assert page.input_value("#id_partenaires-1-nom_du_partenaire") == "Asso Alpha"
    assert page.input_value("#id_nom_du_commerce") == "Le Petit Zinc"
    expect(page.get_by_text("Déjà joint : devanture.jpg")).to_be_visible()
    expect(page.locator("output[data-repeat-total='montant']")).to_have_text("300")
    assert not Application.objects.filter(applicant_email="bilal@example.org").exists()
    page.fill("#id_partenaires-2-nom_du_partenaire", "Asso Bravo")
    page.get_by_role("button", name="Retirer : Partenaire 1", exact=True).click()
    expect(page.locator("#partenaires-entrees legend.qc-entry__title")).to_have_text(["Partenaire 1"])
    assert page.input_value("#id_partenaires-1-nom_du_partenaire") == "Asso Bravo"
    screenshot(page, "groupes-sans-js")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    reference = page.locator(".call-thanks__code").inner_text()
    stored = Application.objects.get(reference=reference)
    assert stored.applicant_email == "bilal@example.org"
    assert [e["nom_du_partenaire"] for e in stored.form_data["partenaires"]["value"]] == ["Asso Bravo"]
    assert sorted(a.display_name for a in stored.attachments.all()) == ["business-plan.pdf", "devanture.jpg"]
