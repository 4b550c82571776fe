"""A photo sent from a phone (375 px, Chromium) on the demo's call in steps: with JavaScript,
the upload's progress is shown (a bar, a percentage, the button saying what is happening, a
polite announcement) and a 4000 × 3000 photo arrives scaled down in the browser to the
configured long side (2400 px, never below 2000, never upscaled); without JavaScript the
same form sends the photo as it is. The thank-you page links to the space and to the PDF.
axe-core and the Nu HTML Checker on the pages touched, at 375 and 1280 px.

Uses the browser harness of tests/e2e (its fixtures are imported here).
"""

import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import conftest as e2e
from tests.e2e.harness import check_axe, fill_demo_address, loaded_html, screenshot

pytestmark = pytest.mark.e2e

_allow_orm_beside_playwright = e2e._allow_orm_beside_playwright
_demo_site_for_module = e2e._demo_site_for_module
_media_in_tmp = e2e._media_in_tmp
browser = e2e.browser
csp_violations = e2e.csp_violations
demo_site = e2e.demo_site
e2e_media = e2e.e2e_media
files = e2e.files
page_at = e2e.page_at
validator = e2e.validator

OPEN_CALL = "/appels/appel-a-candidatures-2026/"

# Records what the page says while it sends: the live region's announcements and the button's
# words (a MutationObserver on the step's container, which the step swap replaces).
RECORD = """
window.qcSaid = [];
new MutationObserver(function () {
  var announce = document.getElementById("qc-step-announce");
  var button = document.querySelector(".qc-submit button[aria-disabled='true']");
  var box = document.querySelector(".qc-upload__text");
  [announce && "annonce:" + announce.textContent, button && "bouton:" + button.textContent,
   box && "barre:" + box.textContent].forEach(function (text) {
    if (text && window.qcSaid[window.qcSaid.length - 1] !== text) window.qcSaid.push(text);
  });
}).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
"""


@pytest.fixture
def big_photo(tmp_path):
    """A 4000 × 3000 photo of about 2 MB (noise compresses badly, like a real photo)."""
    from PIL import Image

    noise = Image.effect_noise((1000, 750), 60).resize((4000, 3000)).convert("RGB")
    path = tmp_path / "devanture-grande.jpg"
    buffer = io.BytesIO()
    noise.save(buffer, format="JPEG", quality=92)
    path.write_bytes(buffer.getvalue())
    return str(path)


def to_step_3(page, demo_site, email):
    page.goto(demo_site.at(OPEN_CALL))
    page.fill("#id_nom_du_commerce", "Le Grand Zinc")
    page.check("#id_type_de_commerce_0")
    fill_demo_address(page)
    page.fill("#id_quartier", "Villette")
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("heading", name="Étape 2 sur 3 : Vous")).to_be_visible()
    page.fill("#id_nom_et_prenom", "Awa Diallo")
    page.fill("#id_courriel", email)
    page.fill("#id_telephone", "06 12 34 56 78")
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("heading", name="Étape 3 sur 3 : Votre projet")).to_be_visible()
    page.fill("#id_description_du_projet", "Un café avec des ordinateurs ouverts au public.")
    page.fill("#id_budget", "15 000")
    page.check("#id_consentement")


def stored_photo_size(reference):
    from PIL import Image

    from calls.models import Application

    attachment = Application.objects.get(reference=reference).attachments.get(display_name="devanture-grande.jpg")
    with attachment.file.open("rb") as handle:
        return Image.open(handle).size


def throttle(page):
    """A slow phone's upload: Chromium's network emulation (about 2 Mbit/s up)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": 400_000, "uploadThroughput": 250_000},
    )
    return cdp


def test_a_big_photo_shows_its_progress_and_arrives_scaled_down(demo_site, page_at, files, big_photo, validator):
    pages = {}
    page = page_at(375)
    to_step_3(page, demo_site, "awa.progres@example.org")
    page.set_input_files("#id_photo_du_local", big_photo)
    page.set_input_files("#id_business_plan", files["plan"])
    page.evaluate(RECORD)
    cdp = throttle(page)
    page.get_by_role("button", name="Vérifier mes réponses").click()
    bar = page.locator(".qc-upload progress")
    expect(bar).to_be_visible()
    expect(bar).to_have_accessible_name("Envoi de vos réponses et de vos fichiers")
    screenshot(page, "envoi-progression")
    check_axe(page, "envoi-progression")

    # The recap: every answer and the files' names, « Modifier » per step, then « Envoyer ».
    recap = page.get_by_role("heading", name="Vérifiez vos réponses avant d'envoyer")
    expect(recap).to_be_visible(timeout=60_000)
    expect(recap).to_be_focused()
    said = page.evaluate("window.qcSaid")
    assert any(re.fullmatch(r"annonce:Envoi : \d+ %", text) for text in said), said
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    expect(page.get_by_text("devanture-grande.jpg")).to_be_visible()
    expect(page.get_by_text("Le Grand Zinc")).to_be_visible()
    expect(page.get_by_role("link", name="Modifier : Vous")).to_be_visible()
    pages["recapitulatif"] = loaded_html(page)
    check_axe(page, "recapitulatif")
    screenshot(page, "recapitulatif")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})
    check_axe(page, "recapitulatif")
    screenshot(page, "recapitulatif")
    page.set_viewport_size({"width": 375, "height": 812})
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.locator(".call-thanks__code")).to_be_visible(timeout=60_000)
    reference = page.locator(".call-thanks__code").inner_text()
    assert stored_photo_size(reference) == (2400, 1800)

    # The thank-you page: the space and the PDF, owner-checked through the space's sign-in.
    expect(page.get_by_role("link", name="Ouvrir ma candidature dans mon espace")).to_be_visible()
    pages["merci"] = loaded_html(page)
    check_axe(page, "merci-liens")
    screenshot(page, "merci-liens")
    page.set_viewport_size({"width": 1280, "height": 900})
    check_axe(page, "merci-liens")
    screenshot(page, "merci-liens")
    page.set_viewport_size({"width": 375, "height": 812})
    page.get_by_role("link", name="Télécharger ma candidature (PDF)").click()
    expect(page.get_by_text("Connectez-vous pour ouvrir votre candidature")).to_be_visible()
    assert "suite=" in page.url and "pdf" in page.url
    pages["connexion-suite"] = loaded_html(page)
    check_axe(page, "connexion-suite")
    screenshot(page, "connexion-suite")
    validator(pages)


def test_the_progress_is_announced_while_it_sends(demo_site, page_at, files, big_photo):
    page = page_at(375)
    to_step_3(page, demo_site, "awa.annonce@example.org")
    page.fill("#id_budget", "-3")  # an error: the step comes back in place, the page stays
    page.set_input_files("#id_photo_du_local", big_photo)
    page.evaluate(RECORD)
    throttle(page)
    page.get_by_role("button", name="Vérifier mes réponses").click()
    expect(page.locator("#qc-error-summary")).to_contain_text("Indiquez un nombre positif ou nul.", timeout=60_000)
    expect(page.get_by_text("Déjà joint : devanture-grande.jpg")).to_be_visible()
    said = page.evaluate("window.qcSaid")
    assert any(text.startswith("bouton:Préparation des photos") for text in said), said
    assert any(re.fullmatch(r"bouton:Envoi : \d+ %", text) for text in said), said
    assert any(re.fullmatch(r"annonce:Envoi : \d+ %", text) for text in said), said
    assert any(re.fullmatch(r"barre:Envoi : \d+ %", text) for text in said), said


def test_without_javascript_the_photo_is_sent_as_it_is_after_the_recap(demo_site, page_at, big_photo, files):
    page = page_at(375, javascript=False)
    to_step_3(page, demo_site, "awa.sansjs@example.org")
    page.set_input_files("#id_photo_du_local", big_photo)
    page.set_input_files("#id_business_plan", files["plan"])
    page.get_by_role("button", name="Vérifier mes réponses").click()
    expect(page.get_by_role("heading", name="Vérifiez vos réponses avant d'envoyer")).to_be_visible()
    page.get_by_role("link", name="Modifier : Vous").click()
    expect(page.get_by_role("heading", name="Étape 2 sur 3 : Vous")).to_be_visible()
    assert page.input_value("#id_nom_et_prenom") == "Awa Diallo"
    page.get_by_role("button", name="Suivant").click()
    page.get_by_role("button", name="Vérifier mes réponses").click()
    expect(page.get_by_text("devanture-grande.jpg")).to_be_visible()
    page.get_by_role("button", name="Envoyer ma candidature").click()
    reference = page.locator(".call-thanks__code").inner_text()
    assert stored_photo_size(reference) == (4000, 3000)
