"""The confirmation and notification emails: content, sent after the commit, retried."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from calls import tasks
from calls.models import Application
from tests.calls.factories import jpeg_file, valid_answers

pytestmark = pytest.mark.django_db


class FlakyBackend(LocmemBackend):
    """A mail server that is down for the first ``failures`` sends, then works."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.calls.test_emails.FlakyBackend"
    FlakyBackend.calls = 0
    FlakyBackend.failures = 0
    return FlakyBackend


def apply(client, call, get_token, **extra):
    return client.post(call.url, {**valid_answers(), "qc_jeton": get_token(call), **extra})


def test_emails_are_sent_after_the_commit_only(client, call, get_token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = apply(client, call, get_token)
    assert response.status_code == 303
    assert mail.outbox == []  # nothing before the commit
    # The commit runs the callbacks (the emails, and the caches' new generation that the
    # first visit's site settings row starts): each email goes once.
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2
    application = Application.objects.get()
    assert application.confirmation_sent_at is not None
    assert application.notification_sent_at is not None


def test_confirmation_content(client, call, get_token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, call, get_token, photo_du_local=jpeg_file("devanture.jpg"))
    application = Application.objects.get()
    confirmation = next(m for m in mail.outbox if m.to == ["awa@example.org"])
    assert confirmation.subject == f"Candidature reçue ({application.reference})"
    body = confirmation.body
    assert body.startswith("Bonjour,\n\nNous avons bien reçu votre candidature.")
    assert f"Votre référence : {application.reference}" in body
    assert f"Appel : {call.title}" in body
    assert "Nom du commerce : Le Petit Zinc" in body
    assert "Région : Île-de-France" in body
    assert "SIRET : 732 829 320 00074" in body
    assert "Photo du local : devanture.jpg" in body
    assert "Business plan : (sans réponse)" in body
    assert not getattr(confirmation, "alternatives", None)  # plain text only
    assert confirmation.content_subtype == "plain"


def test_confirmation_layout_around_the_answers(client, call, get_token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, call, get_token)
    application = Application.objects.get()
    body = next(m for m in mail.outbox if m.to == ["awa@example.org"]).body
    lines = body.split("\n")
    start = lines.index(f"Votre référence : {application.reference}")
    assert lines[start + 1 : start + 11] == [
        f"Appel : {call.title}",
        lines[start + 2],
        "",
        "Suivez votre candidature et répondez à l'équipe depuis votre espace candidat :",
        f"http://testserver/espace-candidat/candidatures/{application.pk}/",
        "Téléchargez-la en PDF depuis votre espace :",
        f"http://testserver/espace-candidat/candidatures/{application.pk}/pdf/",
        "(L'espace vous envoie un lien de connexion à cette adresse : pas de mot de passe.)",
        "",
        "Copie de vos réponses",
    ]
    assert lines[start + 2].startswith("Envoyée le : ")
    assert lines[-3:] == ["", "-- ", "Quartiers Cafés — ce courriel est envoyé automatiquement."]


def test_notification_content(client, call, get_token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, call, get_token, photo_du_local=jpeg_file())
    application = Application.objects.get()
    notification = next(m for m in mail.outbox if m.to == ["equipe@quartierscafes.org"])
    assert notification.subject == f"Nouvelle candidature — {application.reference}"
    assert notification.reply_to == ["awa@example.org"]
    assert "Projet : Un café avec des ordinateurs ouverts au public." in notification.body
    assert "1 pièce(s) jointe(s)" in notification.body
    # The link opens the application in the moderation queue, not Wagtail's submissions list.
    assert f"http://testserver/admin/moderation/application/{application.pk}/" in notification.body
    assert not notification.attachments  # private files never leave by email


def test_no_team_address_no_notification(client, call, get_token, django_capture_on_commit_callbacks):
    call.to_address = ""
    call.save()
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, call, get_token)
    assert [m.to for m in mail.outbox] == [["awa@example.org"]]


def test_applicant_text_cannot_inject_headers(client, call, get_token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, call, get_token, nom_et_prenom="Awa\r\nBcc: victime@example.org")
    for message in mail.outbox:
        assert "victime@example.org" not in message.bcc
        assert "Bcc" not in str(message.message()["Subject"])


def test_mail_server_down_neither_loses_the_application_nor_shows_an_error(
    client, call, get_token, settings, django_capture_on_commit_callbacks, caplog
):
    # A real SMTP backend pointed at a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        response = apply(client, call, get_token)
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.reference in client.get(response["Location"]).content.decode()
    application.refresh_from_db()
    assert application.confirmation_sent_at is None
    # Bounded: five attempts for each email, then it gives up and says so.
    attempts = [r for r in caplog.records if r.getMessage().startswith("send_confirmation_email for application")]
    assert len(attempts) == tasks.MAX_ATTEMPTS
    assert any("Giving up send_confirmation_email" in r.getMessage() for r in caplog.records)


def test_a_failed_send_is_retried_and_then_succeeds(
    client, call, get_token, flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, call, get_token)
    application = Application.objects.get()
    assert application.confirmation_sent_at is not None
    assert application.notification_sent_at is not None
    assert len(mail.outbox) == 2  # each email sent once, after the retries
    assert flaky_mail.calls == 4


def test_a_task_run_twice_sends_once(client, call, get_token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, call, get_token)
    application = Application.objects.get()
    tasks.send_confirmation_email.enqueue(application.pk)
    assert len(mail.outbox) == 2


def test_retry_is_deferred_on_the_database_backend(client, call, get_token, settings, flaky_mail):
    """With the database backend, a failure enqueues the next attempt for later (run_after)."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    apply(client, call, get_token)  # on_commit not run: no email attempted yet
    application = Application.objects.get()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    flaky_mail.failures = 1
    before = timezone.now()
    result = tasks.send_confirmation_email.call(application.pk)
    assert result == "retry queued"
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs == {"args": [application.pk], "kwargs": {"attempt": 2}}
    assert retry.run_after >= before + datetime.timedelta(seconds=tasks.RETRY_DELAYS[0])
    # The last attempt gives up instead of queueing another.
    assert tasks.send_confirmation_email.call(application.pk, attempt=tasks.MAX_ATTEMPTS) == "sent"
    flaky_mail.calls, flaky_mail.failures = 0, 1
    Application.objects.update(confirmation_sent_at=None)
    assert tasks.send_confirmation_email.call(application.pk, attempt=tasks.MAX_ATTEMPTS) == "given up"
    assert DBTaskResult.objects.count() == 1
