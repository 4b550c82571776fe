"""The applicant's space in Chromium at 375 px: start an application through the form's steps,
save it, leave, come back by the emailed link (on the first step still to complete), go back a
step, fix an error without losing the photo, send it and get the PDF; a
moderator asks for information with a message; the applicant answers with a file; the
reviewer sees the answer. axe-core and the Nu HTML Checker on every page of the space.

Uses the browser harness of tests/e2e (its fixtures are imported here).
"""

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e import conftest as e2e
from tests.e2e.harness import check_axe, fill_demo_address, loaded_html, screenshot

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

OPEN_CALL = "/appels/appel-a-candidatures-2026/"
PASSWORD = "motdepasse-solide-42"
LINK = re.compile(r"https?://[^/\s]+(/espace-candidat/connexion/[^\s]+)")
RESUME_LINK = re.compile(r"https?://[^/\s]+(/espace-candidat/brouillons/reprendre/[^\s]+)")


def extra_demo_content(home):
    from tests.moderation.factories import user_in

    user_in("Modérateurs", username="mona", first_name="Mona", last_name="Dupont", password=PASSWORD)
    user_in("Évaluateurs", username="remi", first_name="Rémi", last_name="Martin", password=PASSWORD)


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


def run_commit_callbacks():
    """On SQLite the live server shares the test's connection, inside the test's transaction:
    what it queued for after the commit (the emails) waits there; run it as a commit would.
    On PostgreSQL the server commits on its own connection and nothing waits here."""
    from django.db import connection

    pending, connection.run_on_commit = list(connection.run_on_commit), []
    for _savepoints, callback, _robust in pending:
        callback()


def last_link(pattern=LINK):
    run_commit_callbacks()
    match = pattern.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def checked(page, name, pages):
    """Its HTML kept for the Nu checker (before axe is injected), axe, a screenshot."""
    pages[name] = loaded_html(page)
    check_axe(page, name)
    screenshot(page, name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def log_in(page, demo_site, username):
    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_the_applicants_journey(demo_site, page_at, files, validator, settings):
    from calls.models import Application

    pages = {}
    # Start on a phone: the form in steps; step 1, step 2 (the address), then the photo on
    # step 3, saved, and leave.
    page = page_at(375)
    page.goto(demo_site.at(OPEN_CALL))
    expect(page.get_by_text("Les documents à préparer")).to_be_visible()
    expect(page.get_by_role("heading", name="Étape 1 sur 3 : Votre commerce")).to_be_visible()
    checked(page, "appel-etape-1", pages)
    page.fill("#id_nom_du_commerce", "Le Petit Zinc")
    page.check("#id_type_de_commerce_0")
    fill_demo_address(page)
    page.fill("#id_quartier", "Villette")
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("heading", name="Étape 2 sur 3 : Vous")).to_be_visible()
    page.fill("#id_nom_et_prenom", "Awa Diallo")
    page.fill("#id_courriel", "awa@example.org")
    page.fill("#id_telephone", "06 12 34 56 78")
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("heading", name="Étape 3 sur 3 : Votre projet")).to_be_visible()
    page.set_input_files("#id_photo_du_local", files["photo"])
    page.get_by_role("button", name="Enregistrer et reprendre plus tard").click()
    expect(page.get_by_text("Brouillon enregistré")).to_be_visible()
    page.context.close()

    # Come back later, in another browser, by the emailed link: the draft opens on its first
    # step still to complete, with the photo.
    page = page_at(375)
    page.goto(demo_site.at(last_link(RESUME_LINK)))
    checked(page, "espace-brouillon-lien", pages)
    page.get_by_role("button", name="Ouvrir mon brouillon").click()
    expect(page.get_by_role("heading", name="Étape 3 sur 3 : Votre projet")).to_be_visible()
    expect(page.get_by_text("Déjà joint : devanture.jpg")).to_be_visible()
    expect(page.get_by_text("Vous reprenez votre brouillon")).to_be_visible()
    checked(page, "espace-brouillon-repris", pages)
    # The earlier steps are still there to go back to; the address cannot change any more.
    page.get_by_role("button", name="Précédent").click()
    expect(page.get_by_role("heading", name="Étape 2 sur 3 : Vous")).to_be_visible()
    assert page.input_value("#id_nom_et_prenom") == "Awa Diallo"
    expect(page.locator("#id_courriel")).to_be_disabled()
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("heading", name="Étape 3 sur 3 : Votre projet")).to_be_visible()

    # An error: the photo stays.
    page.fill("#id_description_du_projet", "Un café avec des ordinateurs ouverts au public.")
    page.fill("#id_budget", "-3")
    page.set_input_files("#id_business_plan", files["plan"])
    page.check("#id_consentement")
    page.get_by_role("button", name="Vérifier mes réponses").click()
    expect(page.locator("#qc-error-summary")).to_contain_text("Indiquez un nombre positif ou nul.")
    expect(page.get_by_text("Déjà joint : devanture.jpg")).to_be_visible()
    expect(page.get_by_text("Déjà joint : business-plan.pdf")).to_be_visible()
    checked(page, "espace-brouillon-erreur", pages)
    page.fill("#id_budget", "15 000")
    page.get_by_role("button", name="Vérifier mes réponses").click()
    # The recap: every answer as it will be sent, then « Envoyer ».
    expect(page.get_by_role("heading", name="Vérifiez vos réponses avant d'envoyer")).to_be_visible()
    page.get_by_role("button", name="Envoyer ma candidature").click()
    reference = page.locator(".call-thanks__code").inner_text()
    application = Application.objects.get(reference=reference)
    assert sorted(a.display_name for a in application.attachments.all()) == ["business-plan.pdf", "devanture.jpg"]
    assert application.applicant_email == "awa@example.org"

    # The space (the resume link opened the draft only: sign in): the application and its PDF.
    # The draft's link went out moments ago; a sign-in link to the same address waits
    # APPLICANTS_LINK_MIN_INTERVAL: no interval here (no waiting in a test). Not by moving the
    # account's clock in the test's own transaction: on PostgreSQL that uncommitted row lock
    # would hold the live server's link task until the test ends.
    settings.APPLICANTS_LINK_MIN_INTERVAL = 0
    page.goto(demo_site.at("/espace-candidat/"))
    page.fill("#id_email", "awa@example.org")
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    page.goto(demo_site.at(last_link()))
    checked(page, "espace-connexion-lien", pages)
    page.get_by_role("button", name="Ouvrir mon espace").click()
    expect(page.get_by_text(reference, exact=True)).to_be_visible()
    checked(page, "espace-candidat", pages)
    page.get_by_role("link", name=re.compile("Voir le détail")).click()
    checked(page, "espace-candidature", pages)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger ma candidature (PDF)").click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # The moderator asks for information, with a message.
    moderator = page_at(1280)
    log_in(moderator, demo_site, "mona")
    moderator.goto(demo_site.at(f"/admin/moderation/application/{application.pk}/"))
    moderator.get_by_label("Assigner un évaluateur").select_option(label="Rémi Martin")
    moderator.get_by_role("button", name="Assigner", exact=True).click()
    moderator.get_by_role("button", name="Passer en instruction").click()
    moderator.get_by_role("button", name="Demander des informations").click()
    expect(moderator.get_by_text("Écrivez au candidat ce que vous lui demandez")).to_be_visible()
    moderator.fill("#transition-comment", "Merci de joindre votre bail commercial.")
    moderator.get_by_role("button", name="Demander des informations").click()
    expect(moderator.get_by_text("« Informations demandées »")).to_be_visible()
    run_commit_callbacks()
    assert "bail commercial" in mail.outbox[-1].body and "/espace-candidat/" in mail.outbox[-1].body

    # The applicant answers with a file.
    page.goto(demo_site.at("/espace-candidat/"))
    expect(page.get_by_text("Merci de joindre votre bail commercial.").first).to_be_visible()
    page.get_by_role("link", name=re.compile("Répondre à l")).click()
    checked(page, "espace-repondre", pages)
    page.get_by_label("Votre réponse").fill("Voici le bail, signé en 2024.")
    page.set_input_files("#id_files", files["plan"])
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_text("Réponse envoyée à l")).to_be_visible()
    application.refresh_from_db()
    assert application.status == "en_instruction"

    # The team is told (the assigned reviewer too), and the queue marks it until a moderator
    # opens it.
    run_commit_callbacks()
    notice = mail.outbox[-1]
    assert notice.subject == f"Réponse reçue — {reference}" and "contact@quartierscafes.org" in notice.to
    for width in (1280, 375):
        moderator.set_viewport_size({"width": width, "height": 900})
        moderator.goto(demo_site.at("/admin/moderation/?reponse=1"))
        row = moderator.locator(f"tr[data-reference='{reference}']")
        expect(row.get_by_text("Réponse reçue")).to_be_visible()
        check_axe(moderator, "file-reponse-recue")
        screenshot(moderator, "file-reponse-recue")
    # The server's HTML for the Nu checker (Wagtail's scripts change the admin's DOM).
    pages["file-reponse-recue"] = moderator.request.get(demo_site.at("/admin/moderation/?reponse=1")).text()
    moderator.goto(demo_site.at(f"/admin/moderation/application/{application.pk}/"))
    moderator.goto(demo_site.at("/admin/moderation/?reponse=1"))
    expect(moderator.locator(f"tr[data-reference='{reference}']")).to_have_count(0)

    # The reviewer sees the answer.
    reviewer = page_at(1280)
    log_in(reviewer, demo_site, "remi")
    reviewer.goto(demo_site.at(f"/admin/moderation/application/{application.pk}/review/"))
    expect(reviewer.get_by_text("Voici le bail, signé en 2024.")).to_be_visible()
    screenshot(reviewer, "espace-evaluateur-reponse")

    # The sign-in pages.
    other = page_at(375)
    other.goto(demo_site.at("/espace-candidat/"))
    checked(other, "espace-connexion", pages)
    other.fill("#id_email", "personne@example.org")
    other.get_by_role("button", name="Recevoir un lien de connexion").click()
    expect(other.get_by_role("heading", level=1)).to_contain_text("boîte de réception")
    checked(other, "espace-lien-envoye", pages)
    other.goto(demo_site.at("/espace-candidat/connexion/AAAAAAAAAAAAAAAAAAAAAAAA/"))
    other.get_by_role("button", name="Ouvrir mon espace").click()
    checked(other, "espace-lien-invalide", pages)

    validator(pages)
