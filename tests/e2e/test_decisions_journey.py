"""Decisions as a jury makes them, in a real browser: two reviewers score three applications
in their workspace, a moderator ranks them, stages 2 lauréates and 1 non retenue from the
ranking, announces the decisions, and the three emails go out once.

Its own database (``transaction=True``): the emails leave after the commit, which the other
journeys' shared, never-committed test transaction would hold back. It builds what it needs
itself (locale, home page, groups), whatever an earlier transactional test flushed: Django's
``serialized_rollback`` cannot restore the migrations' rows once a flush has made the content
types again under other ids.
"""

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.harness import check_axe, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.journey, pytest.mark.django_db(transaction=True)]

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def jury(transactional_db):
    from wagtail.models import Locale

    from calls.models import Status
    from moderation.reviews import assign
    from tests.calls.factories import CallIndexPageFactory
    from tests.factories import make_home
    from tests.moderation.factories import ApplicationFactory, make_call, user_in

    Locale.objects.get_or_create(language_code="fr")  # flushed by transactional tests
    home = make_home()
    call = make_call(CallIndexPageFactory(parent=home), title="Appel 2040", slug="appel-2040")
    moderator = user_in("Modérateurs", username="mona", first_name="Mona", last_name="Dupont", password=PASSWORD)
    remi = user_in("Évaluateurs", username="remi", first_name="Rémi", last_name="Martin", password=PASSWORD)
    rita = user_in("Évaluateurs", username="rita", first_name="Rita", last_name="Bernard", password=PASSWORD)
    applications = []
    for number, (name, email) in enumerate(
        [("Awa Diallo", "awa@example.org"), ("Inès Garcia", "ines@example.org"), ("Paul Morel", "paul@example.org")]
    ):
        application = ApplicationFactory(
            page=call,
            reference=f"QC-2099-090{number}",
            applicant_name=name,
            applicant_email=email,
            business_name=f"Commerce {number}",
            status=Status.EN_INSTRUCTION,
        )
        for reviewer in (remi, rita):
            assign(application, reviewer, moderator)
        applications.append(application)
    return call, applications


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page.get_by_role("link", name="Candidatures", exact=True)).to_be_visible()


# (utility ×2, soundness ×1) per application: Rémi then Rita.
SCORES = {
    "QC-2099-0900": [("5", "4", "Oui"), ("4", "4", "Oui")],  # 4.67, 4.00
    "QC-2099-0901": [("3", "3", "Peut-être"), ("5", "5", "Oui")],  # 3.00, 5.00
    "QC-2099-0902": [("1", "2", "Non"), ("2", "1", "Non")],  # 1.33, 1.67
}


def test_two_reviewers_score_a_moderator_ranks_stages_and_announces(jury, live_server, page_at):
    call, applications = jury
    for index, username in enumerate(("remi", "rita")):
        page = page_at(1280)
        log_in(page, live_server, username)
        # Their list is the queue's order, newest first: 0902, 0901, 0900, walked with « suivante ».
        in_order = list(reversed(applications))
        page.goto(live_server.url + f"/admin/moderation/application/{in_order[0].pk}/review/")
        for application in in_order:
            expect(page.get_by_text(application.business_name).first).to_be_visible()
            utility, soundness, opinion = SCORES[application.reference][index]
            page.get_by_label("Utilité pour le quartier (×2)").select_option(utility)
            page.get_by_label("Solidité du projet").select_option(soundness)
            page.get_by_label("Avis général").select_option(label=opinion)
            if index == 0 and application is in_order[0]:
                check_axe(page, "espace de l'évaluateur")
                screenshot(page, "moderation-espace-evaluateur")
            page.get_by_role("button", name="Enregistrer mon évaluation").click()
            expect(page.get_by_text("enregistrée")).to_be_visible()
            if application is not in_order[-1]:
                page.goto(live_server.url + f"/admin/moderation/application/{application.pk}/review/")
                page.get_by_role("link", name="Candidature suivante →").click()

    page = page_at(1280)
    log_in(page, live_server, "mona")
    page.goto(live_server.url + f"/admin/moderation/call/{call.pk}/ranking/")
    rows = page.locator("table.moderation-ranking tbody tr")
    expect(rows).to_have_count(3)
    # Best average first: 0900 (4.34), 0901 (4.00), 0902 (1.50).
    expect(rows.nth(0)).to_contain_text("QC-2099-0900")
    expect(rows.nth(2)).to_contain_text("QC-2099-0902")
    expect(rows.nth(1)).to_contain_text("désaccord")  # 3.00 against 5.00
    check_axe(page, "classement")
    screenshot(page, "moderation-classement")

    def select(*references):
        for reference in references:
            page.get_by_label(f"Sélectionner {reference}").check()

    select("QC-2099-0900", "QC-2099-0901")
    page.get_by_role("button", name="Présélectionner").click()
    expect(page.get_by_text("2 candidatures passées à « Présélectionnée »")).to_be_visible()
    select("QC-2099-0900", "QC-2099-0901")
    page.get_by_role("button", name="Préparer : lauréate").click()
    expect(page.get_by_text("2 décisions « Lauréate » préparées")).to_be_visible()
    select("QC-2099-0902")
    page.get_by_role("button", name="Préparer : non retenue").click()
    expect(page.get_by_text("1 décision « Non retenue » préparée")).to_be_visible()
    assert mail.outbox == []  # staged: nobody is told yet

    page.get_by_role("link", name="Annoncer les décisions").click()
    expect(page.get_by_text("3 courriels partiront.")).to_be_visible()
    expect(page.get_by_text("Aperçu, pour Awa Diallo")).to_be_visible()
    expect(page.get_by_text("Aperçu, pour Paul Morel")).to_be_visible()
    page.get_by_role("button", name="Annoncer les décisions").click()
    expect(page.get_by_text("Décisions annoncées : les courriels partent.")).to_be_visible()

    call_command("announce_decisions", stdout=open("/dev/null", "w"))  # a cron running again sends nothing
    sent = sorted((message.to[0], message.subject.split(" (")[0]) for message in mail.outbox)
    assert sent == [
        ("awa@example.org", "Votre candidature est retenue"),
        ("ines@example.org", "Votre candidature est retenue"),
        ("paul@example.org", "Votre candidature"),
    ]
    page.goto(live_server.url + f"/admin/moderation/application/{applications[0].pk}/")
    expect(page.get_by_role("heading", name="QC-2099-0900 — Lauréate")).to_be_visible()
    expect(page.get_by_role("cell", name="Courriel envoyé", exact=True)).to_be_visible()
