"""The decision email: the lines it shares with the application's own emails, and its
retries (``calls.tasks.send_with_retries``) on the database task backend."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from calls.models import Status
from calls.tasks import MAX_ATTEMPTS, RETRY_DELAYS
from moderation.announce import announce
from moderation.models import Decision
from moderation.tasks import send_decision_email
from moderation.workflow import stage_decision

pytestmark = pytest.mark.django_db


class DownBackend(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def decide(application, moderator, capture, execute=True):
    application.status = Status.PRESELECTIONNEE
    application.save()
    stage_decision(application, Status.LAUREATE, moderator)
    with capture(execute=execute):
        announce(application.page, moderator)
    return Decision.objects.get(application=application)


def test_the_decision_email_ends_like_every_email_to_an_applicant(
    application, call, moderator, django_capture_on_commit_callbacks
):
    decide(application, moderator, django_capture_on_commit_callbacks)
    assert mail.outbox[0].body.split("\n") == [
        "Bonne nouvelle : votre projet est lauréat.",
        "",
        f"Votre référence : {application.reference}",
        f"Appel : {call.title}",
        "",
        "-- ",
        "Quartiers Cafés — ce courriel est envoyé automatiquement.",
    ]


def test_a_failed_decision_email_is_retried_later_then_given_up(
    application, moderator, settings, django_capture_on_commit_callbacks
):
    # Announced: the move is made, the email task is left for the test to run below.
    entry = decide(application, moderator, django_capture_on_commit_callbacks, execute=False)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.moderation.test_decision_email.DownBackend"
    before = timezone.now()
    assert send_decision_email.call(entry.pk) == "retry queued"
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs == {"args": [entry.pk], "kwargs": {"attempt": 2}}
    assert retry.run_after >= before + datetime.timedelta(seconds=RETRY_DELAYS[0])
    assert send_decision_email.call(entry.pk, attempt=MAX_ATTEMPTS) == "given up"
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []
