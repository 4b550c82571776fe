"""The moderation queue in a real browser: a moderator finds an application, opens it,
downloads its attachment, assigns a reviewer, moves it to « lauréate » and creates the
draft story; the reviewer sees only their assignments and scores one."""

import pytest
from playwright.sync_api import expect

from calls.models import Application
from tests.e2e.harness import check_axe, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.journey]

PASSWORD = "motdepasse-solide-42"
REFERENCE = "QC-2099-0420"


def extra_demo_content(home):
    """Accounts and two applications to the demo's open call (committed); the call's
    scoring criteria come from the demo content (moderation/demo.py)."""
    from calls.models import CallPage
    from moderation.reviews import assign
    from tests.moderation.factories import ApplicationFactory, add_attachment, form_data_for, user_in

    call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    moderator = user_in("Modérateurs", username="mona", first_name="Mona", last_name="Dupont", password=PASSWORD)
    user_in("Évaluateurs", username="remi", first_name="Rémi", last_name="Martin", password=PASSWORD)
    other = user_in("Évaluateurs", username="rita", first_name="Rita", last_name="Bernard", password=PASSWORD)
    values = {
        "nom_du_commerce": "La Passerelle",
        "type_de_commerce": "Tiers-lieu",
        "commune": "Toulouse",
        "quartier": "Les Izards",
        "region": "Occitanie",
        "nom_et_prenom": "Inès Garcia",
        "courriel": "ines@example.org",
        "description_du_projet": "Un tiers-lieu avec des ordinateurs ouverts au public.",
        "business_plan": ["plan-passerelle.pdf"],
    }
    application = ApplicationFactory(
        page=call,
        reference=REFERENCE,
        applicant_name="Inès Garcia",
        applicant_email="ines@example.org",
        business_name="La Passerelle",
        town="Toulouse",
        region="occitanie",
        business_kind="tiers-lieu",
        form_data=form_data_for(call, values),
    )
    add_attachment(application, display_name="plan-passerelle.pdf")
    hidden = ApplicationFactory(page=call, reference="QC-2099-0421", business_name="Autre dossier")
    assign(hidden, other, moderator)


def log_in(page, demo_site, username):
    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page.get_by_role("link", name="Candidatures", exact=True)).to_be_visible()


def test_moderator_then_reviewer(demo_site, page_at):
    page = page_at(1280)
    log_in(page, demo_site, "mona")
    page.get_by_role("link", name="Candidatures", exact=True).click()
    page.get_by_role("textbox", name="Rechercher").fill("passerelle")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=passerelle**")
    expect(page.get_by_role("link", name="QC-2099-0421")).to_have_count(0)
    check_axe(page, "file des candidatures")
    page.get_by_role("link", name=REFERENCE).first.click()
    expect(page.get_by_role("heading", name=f"{REFERENCE} — Reçue")).to_be_visible()
    expect(page.get_by_text("Les Izards")).to_be_visible()
    screenshot(page, "moderation-candidature")
    check_axe(page, "candidature")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="plan-passerelle.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "plan-passerelle.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    page.get_by_label("Assigner un évaluateur").select_option(label="Rémi Martin")
    page.get_by_role("button", name="Assigner", exact=True).click()
    expect(page.get_by_text("Rémi Martin évaluera la candidature")).to_be_visible()

    for action in ("Passer en instruction", "Présélectionner", "Préparer : lauréate"):
        page.get_by_role("button", name=action).click()
    # Staged, not sent: announced from the call's « Annoncer les décisions » page.
    expect(page.get_by_role("heading", name=f"{REFERENCE} — Présélectionnée")).to_be_visible()
    page.get_by_role("link", name="Annoncer les décisions de l'appel").click()
    # The demo stages decisions of its own example applications on the same call: the page
    # counts every email the announcement sends, and previews the first laureate's by reference.
    from moderation.models import Decision, DecisionOutcome

    staged = Decision.objects.filter(
        application__page__applications__reference=REFERENCE, announced_at__isnull=True
    ).exclude(application__applicant_email="")
    count = staged.count()
    laureates = staged.filter(outcome=DecisionOutcome.LAUREATE)
    assert laureates.filter(application__reference=REFERENCE).exists()
    first = laureates.order_by("application__reference").first().application
    emails = "1 courriel partira." if count == 1 else f"{count} courriels partiront."
    expect(page.get_by_text(emails, exact=True)).to_be_visible()
    expect(page.get_by_text(f"Aperçu, pour {first.applicant_name}")).to_be_visible()
    check_axe(page, "annonce des décisions")
    screenshot(page, "moderation-annonce")
    # The demo's texts still say « (Texte d'exemple.) »: the page warns and asks to confirm.
    page.get_by_label("J'ai relu les avertissements et j'envoie quand même").check()
    page.get_by_role("button", name="Annoncer les décisions").click()
    expect(page.get_by_text("Décisions annoncées : les courriels partent.")).to_be_visible()
    page.goto(demo_site.at(f"/admin/moderation/application/{Application.objects.get(reference=REFERENCE).pk}/"))
    expect(page.get_by_role("heading", name=f"{REFERENCE} — Lauréate")).to_be_visible()
    # The email leaves after the commit: see test_decisions_journey.py (its own database).
    page.get_by_role("button", name="Créer le brouillon du récit").click()
    expect(page.get_by_text("Brouillon du récit « La Passerelle » créé sous les lauréats.")).to_be_visible()
    expect(page.get_by_role("cell", name="Récit créé")).to_be_visible()

    # The reviewer: only their assignment, then a review. The decision is taken, so the
    # journey scores the second application, assigned to Rita.
    reviewer_page = page_at(1280)
    log_in(reviewer_page, demo_site, "rita")
    reviewer_page.get_by_role("link", name="Candidatures", exact=True).click()
    expect(reviewer_page.get_by_role("link", name="QC-2099-0421")).to_be_visible()
    expect(reviewer_page.get_by_role("link", name=REFERENCE)).to_have_count(0)
    reviewer_page.get_by_role("link", name="QC-2099-0421").first.click()
    reviewer_page.get_by_role("link", name="Évaluer cette candidature").click()
    check_axe(reviewer_page, "évaluation")
    reviewer_page.get_by_label("Réponse à un besoin du quartier (×3)").select_option("4")
    reviewer_page.get_by_label("Solidité économique du projet (×2)").select_option("1")
    reviewer_page.get_by_label("Partenariats locaux").select_option("3")
    reviewer_page.get_by_label("Avis général").select_option(label="Peut-être")
    reviewer_page.get_by_label("Commentaire").fill("Projet utile, budget fragile.")
    reviewer_page.get_by_role("button", name="Enregistrer mon évaluation").click()
    # Saved, the reviewer goes on to what is left to review: nothing here, so their list.
    expect(reviewer_page.get_by_text("Il ne vous reste aucune candidature à évaluer.")).to_be_visible()
    reviewer_page.get_by_role("link", name="QC-2099-0421").first.click()
    # (3 × 4 + 2 × 1 + 1 × 3) / 6
    expect(reviewer_page.get_by_text("Note pondérée : 2,83 / 5")).to_be_visible()
    screenshot(reviewer_page, "moderation-evaluation")
