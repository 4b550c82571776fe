"""The information round trip and what the applicant is told: the request's email opens the
application (through the space's sign-in, the application as next step), greets once; the
team is emailed when the answer arrives and the queue marks it « Réponse reçue » until a
moderator opens it; the applicant's history shows only what was announced."""

import re

import pytest
from django.core import mail

from calls.models import Status
from moderation.models import HistoryEntry, UnreadAnswer
from moderation.reviews import assign
from moderation.workflow import stage_decision, transition
from tests.calls.factories import pdf_file
from tests.moderation.factories import user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return user_in("Modérateurs", email="mona@example.org")


def ask(application, moderator, capture, message="Merci d'envoyer votre bail commercial."):
    transition(application, Status.EN_INSTRUCTION, moderator)
    with capture(execute=True):
        transition(application, Status.INFORMATIONS_DEMANDEES, moderator, message)
    return mail.outbox[-1]


def test_the_request_links_to_the_application_and_signing_in_leads_there(
    client, awa_application, moderator, django_capture_on_commit_callbacks
):
    message = ask(awa_application, moderator, django_capture_on_commit_callbacks)
    application_path = f"/espace-candidat/candidatures/{awa_application.pk}/"
    assert f"http://testserver{application_path}" in message.body
    # Signed out: the link opens the sign-in, with the application as the next step…
    response = client.get(application_path)
    assert response.status_code == 302
    assert response["Location"] == "/espace-candidat/?suite=%2Fespace-candidat%2Fcandidatures%2F" + (
        f"{awa_application.pk}%2F"
    )
    html = client.get(response["Location"]).content.decode()
    assert f'name="suite" value="{application_path}"' in html and "ouvrir votre candidature" in html
    # …the emailed sign-in link carries it, and signing in opens the application.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/espace-candidat/", {"email": "awa@example.org", "suite": application_path})
    link = re.search(r"https?://\S+/espace-candidat/connexion/\S+", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[1]
    response = client.post(path)
    assert response.status_code == 303 and response["Location"] == application_path
    assert "Votre réponse" in client.get(application_path).content.decode()


def test_an_expired_link_keeps_the_next_step(client, awa_application):
    path = f"/espace-candidat/candidatures/{awa_application.pk}/"
    html = client.post("/espace-candidat/connexion/AAAAAAAAAAAAAAAAAAAAAAAA/?suite=" + path).content.decode()
    assert f'name="suite" value="{path}"' in html


@pytest.mark.parametrize(
    "text", ["Bonjour Madame Diallo,\n\nMerci d'envoyer votre bail.", "  bonjour,\nMerci d'envoyer votre bail."]
)
def test_a_message_that_greets_is_not_greeted_twice(
    awa_application, moderator, django_capture_on_commit_callbacks, text
):
    body = ask(awa_application, moderator, django_capture_on_commit_callbacks, text).body
    assert body.lower().count("bonjour") == 1, body


def test_a_message_without_greeting_gets_one(awa_application, moderator, django_capture_on_commit_callbacks):
    body = ask(awa_application, moderator, django_capture_on_commit_callbacks, "Merci d'envoyer votre bail.").body
    assert body.startswith("Bonjour,\n") and body.count("Bonjour") == 1


def test_the_answer_is_emailed_to_the_team_and_marked_until_a_moderator_opens_it(
    client, sign_in, awa_application, moderator, django_capture_on_commit_callbacks
):
    awa_application.page.to_address = "equipe@example.org"
    awa_application.page.save(update_fields=["to_address"])
    reviewer = user_in("Évaluateurs", email="remi@example.org")
    assign(awa_application, reviewer, moderator)
    ask(awa_application, moderator, django_capture_on_commit_callbacks)
    sign_in()
    url = f"/espace-candidat/candidatures/{awa_application.pk}/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "Voici le bail.", "files": pdf_file("bail.pdf")})
    assert response.status_code == 303
    [notice] = mail.outbox
    assert notice.to == ["equipe@example.org", "remi@example.org"]
    assert awa_application.reference in notice.subject and "Réponse reçue" in notice.subject
    assert f"http://testserver/admin/moderation/application/{awa_application.pk}/" in notice.body
    assert "1 document joint" in notice.body and "Voici le bail." not in notice.body
    assert UnreadAnswer.objects.filter(application=awa_application).exists()

    # The queue: the marker, and the filter that lists them.
    team = client.__class__()
    team.force_login(moderator)
    queue = team.get("/admin/moderation/").content.decode()
    assert "Réponse reçue" in queue.split(awa_application.reference, 1)[1].split("</tr>", 1)[0]
    assert awa_application.reference in team.get("/admin/moderation/?reponse=1").content.decode()
    # A reviewer opening it does not clear it; a moderator does.
    reviewer_client = client.__class__()
    reviewer_client.force_login(reviewer)
    assert reviewer_client.get(f"/admin/moderation/application/{awa_application.pk}/").status_code == 200
    assert UnreadAnswer.objects.filter(application=awa_application).exists()
    assert team.get(f"/admin/moderation/application/{awa_application.pk}/").status_code == 200
    assert not UnreadAnswer.objects.exists()
    queue = team.get("/admin/moderation/?reponse=1").content.decode()
    assert awa_application.reference not in queue


def test_shortlisting_and_a_staged_decision_are_not_shown_to_the_applicant(client, sign_in, awa_application, moderator):
    transition(awa_application, Status.EN_INSTRUCTION, moderator)
    transition(awa_application, Status.PRESELECTIONNEE, moderator)
    stage_decision(awa_application, Status.LAUREATE, moderator)
    assert HistoryEntry.objects.filter(application=awa_application, to_status=Status.PRESELECTIONNEE).exists()
    sign_in()
    for url in ("/espace-candidat/", f"/espace-candidat/candidatures/{awa_application.pk}/"):
        html = client.get(url).content.decode()
        assert "En instruction" in html, url
        assert "Présélectionnée" not in html and "Lauréate" not in html, url
