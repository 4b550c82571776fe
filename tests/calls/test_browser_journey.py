"""An applicant at 375 px applies to the open demo call in Chromium, switched here to a
one-page form (``form_in_steps`` off; the steps are tests/e2e/test_call_steps.py and the
applicant's journey): forgets a field, is taken to the error summary, fixes it, uploads a PDF
and a photo, and gets the reference. The call index, the call page (fresh, with errors,
closed) and the thank-you page pass axe-core and the Nu HTML Checker at 375 and 1280 px.

Uses the browser harness of tests/e2e (its fixtures are imported here).
"""

import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import conftest as e2e
from tests.e2e.harness import check_axe, fill_demo_address, loaded_html, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.journey]

# The harness's fixtures (tests/e2e/conftest.py), made available to this module.
_allow_orm_beside_playwright = e2e._allow_orm_beside_playwright
_demo_site_for_module = e2e._demo_site_for_module
_media_in_tmp = e2e._media_in_tmp
browser = e2e.browser
csp_violations = e2e.csp_violations
demo_site = e2e.demo_site
e2e_media = e2e.e2e_media
page_at = e2e.page_at
validator = e2e.validator

OPEN_CALL = "/appels/appel-a-candidatures-2026/"
CLOSED_CALL = "/appels/appel-a-candidatures-2020/"


def extra_demo_content(home):
    from calls.models import CallPage

    # A call an editor keeps on one page: every section at once, one « Envoyer ».
    CallPage.objects.filter(slug="appel-a-candidatures-2026").update(form_in_steps=False)


@pytest.fixture
def files(tmp_path):
    from PIL import Image
    from pypdf import PdfWriter

    photo = tmp_path / "devanture.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 90, 30)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    plan = tmp_path / "business-plan.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with plan.open("wb") as handle:
        writer.write(handle)
    return {"photo": str(photo), "plan": str(plan)}


def fill_everything_but_the_business_name(page, files):
    page.fill("#id_nom_et_prenom", "Awa Diallo")
    page.fill("#id_courriel", "awa@example.org")
    page.fill("#id_telephone", "06 12 34 56 78")
    fill_demo_address(page)
    page.fill("#id_quartier", "Villette – Quatre-Chemins")
    page.check("#id_type_de_commerce_0")
    page.fill("#id_siret", "732 829 320 00074")
    page.fill("#id_description_du_projet", "Un café avec des ordinateurs ouverts au public et des repas suspendus.")
    page.fill("#id_budget", "15000")
    page.set_input_files("#id_photo_du_local", files["photo"])
    page.set_input_files("#id_business_plan", files["plan"])
    page.check("#id_consentement")


def submit(page):
    page.click("form[data-call-form] button[type=submit]")
    page.wait_for_load_state()


def test_applicant_applies_from_a_phone(demo_site, page_at, files, validator):
    from calls.models import Application

    page = page_at(375)
    page.goto(demo_site.at(OPEN_CALL))
    fresh_html = loaded_html(page)
    check_axe(page, "appel ouvert")
    screenshot(page, "appel-ouvert")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    fill_everything_but_the_business_name(page, files)
    submit(page)
    # With JavaScript the form is sent by XMLHttpRequest (its upload progress shown): the
    # answer's form, with its errors, is swapped in when it arrives.
    expect(page).to_have_title(re.compile(r"^Erreur"))
    assert page.evaluate("document.activeElement.id") == "qc-error-summary"
    summary = page.locator("#qc-error-summary").inner_text()
    assert "Nom du commerce : Ce champ est obligatoire." in summary
    # The files passed their checks: kept (calls/drafts.py), never asked again.
    assert "Choisissez de nouveau" not in summary
    assert page.get_by_text("Déjà joint : devanture.jpg").is_visible()
    # The other answers are kept.
    assert page.input_value("#id_adresse_1") == "93300"
    errors_html = loaded_html(page)
    check_axe(page, "appel avec erreurs")
    screenshot(page, "appel-erreurs")

    # The summary's link takes the keyboard to the field.
    page.locator("#qc-error-summary a").first.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_nom_du_commerce"
    page.keyboard.type("Le Petit Zinc")
    submit(page)
    page.wait_for_url(demo_site.at(OPEN_CALL + "merci/"))

    assert page.url == demo_site.at(OPEN_CALL + "merci/")
    reference = page.locator(".call-thanks__code").inner_text()
    assert re.fullmatch(r"QC-\d{4}-\d{4}", reference)
    thanks_html = loaded_html(page)
    check_axe(page, "merci")
    screenshot(page, "appel-merci")

    application = Application.objects.get(reference=reference)
    assert application.business_name == "Le Petit Zinc"
    assert sorted(a.field_key for a in application.attachments.all()) == ["business_plan", "photo_du_local"]

    validator({"appel ouvert": fresh_html, "appel avec erreurs": errors_html, "merci": thanks_html})


@pytest.mark.parametrize("width", [375, 1280])
def test_index_and_closed_call_pass_axe(demo_site, page_at, width):
    page = page_at(width)
    for name, path in {"index des appels": "/appels/", "appel clos": CLOSED_CALL, "appel ouvert": OPEN_CALL}.items():
        page.goto(demo_site.at(path))
        check_axe(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_index_and_closed_call_are_valid_html(demo_site, validator):
    validator([demo_site.at("/appels/"), demo_site.at(CLOSED_CALL), demo_site.at(OPEN_CALL)])
