"""The information-requested loop: the moderator's message is required and emailed with the
link to the space; the applicant answers with text and files; the answer is in the history,
the files join the application, the status returns to « en instruction »; the reviewer sees
the answer and what changed since they scored."""

import pytest
from django.core import mail

from calls.models import Attachment, Status
from moderation.models import HistoryEntry
from moderation.reviews import assign, save_review
from moderation.workflow import MessageRequired, transition
from tests.calls.factories import exe_renamed_pdf, pdf_file
from tests.moderation.factories import user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return user_in("Modérateurs")


def ask(application, moderator, capture, message="Merci d'envoyer votre bail commercial."):
    transition(application, Status.EN_INSTRUCTION, moderator)
    with capture(execute=True):
        transition(application, Status.INFORMATIONS_DEMANDEES, moderator, message)


def test_asking_needs_a_message_which_is_emailed_with_the_link(
    client, awa_application, moderator, django_capture_on_commit_callbacks
):
    transition(awa_application, Status.EN_INSTRUCTION, moderator)
    with pytest.raises(MessageRequired):
        transition(awa_application, Status.INFORMATIONS_DEMANDEES, moderator, "   ")
    awa_application.refresh_from_db()
    assert awa_application.status == Status.EN_INSTRUCTION
    with django_capture_on_commit_callbacks(execute=True):
        transition(awa_application, Status.INFORMATIONS_DEMANDEES, moderator, "Envoyez le bail.")
    message = mail.outbox[-1]
    assert message.to == ["Awa@Example.org"]
    assert "Envoyez le bail." in message.body and "/espace-candidat/" in message.body
    assert awa_application.reference in message.subject


def test_the_moderation_view_refuses_a_request_without_message(
    client, awa_application, moderator, django_capture_on_commit_callbacks
):
    transition(awa_application, Status.EN_INSTRUCTION, moderator)
    client.force_login(moderator)
    url = f"/admin/moderation/application/{awa_application.pk}/transition/"
    client.post(url, {"status": Status.INFORMATIONS_DEMANDEES, "comment": ""})
    awa_application.refresh_from_db()
    assert awa_application.status == Status.EN_INSTRUCTION and mail.outbox == []


def test_the_applicant_answers_with_a_file_and_the_reviewer_sees_it(
    client, sign_in, awa_application, moderator, django_capture_on_commit_callbacks
):
    reviewer = user_in("Évaluateurs")
    assign(awa_application, reviewer, moderator)
    save_review(awa_application, reviewer, conflict_of_interest=False, scores={}, recommendation="oui", comment="")
    ask(awa_application, moderator, django_capture_on_commit_callbacks)
    sign_in()
    page = client.get("/espace-candidat/").content.decode()
    assert "Répondre à l" in page and "envoyer votre bail commercial." in page
    url = f"/espace-candidat/candidatures/{awa_application.pk}/"
    html = client.get(url).content.decode()
    assert 'name="text"' in html and 'name="files"' in html
    # A refused file changes nothing.
    response = client.post(url, {"text": "Voici le bail.", "files": exe_renamed_pdf("bail.pdf")})
    assert response.status_code == 400
    awa_application.refresh_from_db()
    assert awa_application.status == Status.INFORMATIONS_DEMANDEES
    response = client.post(url, {"text": "Voici le bail.", "files": pdf_file("bail.pdf")})
    assert response.status_code == 303
    awa_application.refresh_from_db()
    assert awa_application.status == Status.EN_INSTRUCTION
    assert Attachment.objects.filter(application=awa_application, display_name="bail.pdf").exists()
    entry = HistoryEntry.objects.get(application=awa_application, kind=HistoryEntry.Kind.APPLICANT_ANSWER)
    assert "Voici le bail." in entry.comment and "bail.pdf" in entry.comment
    assert HistoryEntry.objects.filter(
        application=awa_application, from_status=Status.INFORMATIONS_DEMANDEES, to_status=Status.EN_INSTRUCTION
    ).exists()
    # Answering again is refused: the status moved on.
    client.post(url, {"text": "Encore."})
    assert HistoryEntry.objects.filter(kind=HistoryEntry.Kind.APPLICANT_ANSWER).count() == 1
    # The reviewer sees the answer, flagged as new since their review.
    client.force_login(reviewer)
    html = client.get(f"/admin/moderation/application/{awa_application.pk}/review/").content.decode()
    assert "Voici le bail." in html and "Nouveau depuis votre évaluation" in html
    assert "1 pièce jointe ajoutée" in html


def test_another_applicants_application_is_404_on_every_url(
    client, sign_in, awa_application, other_application, moderator, django_capture_on_commit_callbacks
):
    ask(other_application, moderator, django_capture_on_commit_callbacks)
    sign_in()
    base = f"/espace-candidat/candidatures/{other_application.pk}/"
    assert client.get(base).status_code == 404
    assert client.post(base, {"text": "Je réponds à sa place."}).status_code == 404
    other_application.refresh_from_db()
    assert other_application.status == Status.INFORMATIONS_DEMANDEES
