"""Conditional questions on a phone (375 px, Chromium): « Forme juridique » decides between
« Numéro RNA » (an association) and « SIRET » (the others). With JavaScript the questions
appear and disappear in place, hidden inputs are disabled, the focus stays on the choice
and a polite live region counts the new questions; without JavaScript every question is
shown with a note saying when to answer it, and the server ignores the others. Both end
with a reference; axe on the form."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import csp_violations  # noqa: F401 (the CSP check of every page)
from tests.e2e.harness import check_axe, screenshot

pytestmark = pytest.mark.e2e

URL = "/appels/appel-commerces-associatifs/"
FIELDS = [
    {"label": "Nom du commerce", "field_type": "singleline", "purpose": "organization"},
    {"label": "Courriel", "field_type": "email", "purpose": "email"},
    {"label": "Forme juridique", "field_type": "radio", "choices": "Association\nSociété\nEntreprise individuelle"},
    {"label": "SIRET", "field_type": "siret", "conditions": "Forme juridique n'est pas Association"},
    {"label": "Numéro RNA", "field_type": "singleline", "conditions": "Forme juridique est Association"},
    {"label": "Consentement", "field_type": "consent", "description": "Vos données servent à instruire."},
]


def extra_demo_content(home):
    from calls.models import CallIndexPage
    from tests.calls.factories import make_call

    make_call(
        CallIndexPage.objects.get(),
        fields=FIELDS,
        slug="appel-commerces-associatifs",
        title="Appel aux commerces associatifs",
    )


def fill_common(page, email):
    page.fill("#id_nom_du_commerce", "Le Café des Voisins")
    page.fill("#id_courriel", email)


def test_conditional_questions_with_javascript(demo_site, page_at):
    from calls.models import Application

    page = page_at(375)
    page.goto(demo_site.at(URL))
    rna, siret = page.locator("#id_numero_rna"), page.locator("#id_siret")
    expect(rna).to_be_hidden()
    expect(siret).to_be_hidden()
    check_axe(page, "conditions-js")
    fill_common(page, "awa@example.org")

    association = page.get_by_role("radio", name="Association")
    association.check()
    expect(rna).to_be_visible()
    expect(siret).to_be_hidden()
    expect(siret).to_be_disabled()
    expect(association).to_be_focused()
    expect(page.locator("#qc-conditions-announce")).to_have_text("Une nouvelle question")
    expect(page.get_by_text("À remplir si vous avez répondu « Association » à « Forme juridique ».")).to_be_visible()

    page.get_by_role("radio", name="Société").check()
    expect(siret).to_be_visible()
    expect(rna).to_be_hidden()
    expect(rna).to_be_disabled()
    siret.fill("732 829 320 00074")  # typed, then the choice changes: not sent

    association.check()
    rna.fill("W751234567")
    check_axe(page, "conditions-js-association")
    screenshot(page, "conditions-js")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.check("#id_consentement")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    reference = page.locator(".call-thanks__code").inner_text()
    assert re.fullmatch(r"QC-\d{4}-\d{4}", reference)
    data = Application.objects.get(reference=reference).form_data
    assert data["numero_rna"]["value"] == "W751234567" and "siret" not in data


def test_conditional_questions_without_javascript(demo_site, page_at):
    from calls.models import Application

    page = page_at(375, javascript=False)
    page.goto(demo_site.at(URL))
    # Every question is there, each with when to answer it.
    expect(page.locator("#id_numero_rna")).to_be_visible()
    expect(page.locator("#id_siret")).to_be_visible()
    expect(page.get_by_text("À remplir si vous avez répondu « Association » à « Forme juridique ».")).to_be_visible()
    expect(
        page.get_by_text("À remplir si votre réponse à « Forme juridique » n'est pas « Association ».")
    ).to_be_visible()
    screenshot(page, "conditions-sans-js")
    fill_common(page, "bilal@example.org")
    page.get_by_role("radio", name="Association").check()
    page.fill("#id_siret", "732 829 320 00074")  # not asked of an association: ignored
    page.check("#id_consentement")
    # The RNA is missing: asked again, the SIRET is not.
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.locator("#qc-error-summary")).to_contain_text("Numéro RNA")
    expect(page.locator("#qc-error-summary")).not_to_contain_text("SIRET")
    page.fill("#id_numero_rna", "W751234567")
    page.check("#id_consentement")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    reference = page.locator(".call-thanks__code").inner_text()
    assert re.fullmatch(r"QC-\d{4}-\d{4}", reference)
    data = Application.objects.get(reference=reference).form_data
    assert data["numero_rna"]["value"] == "W751234567" and "siret" not in data
