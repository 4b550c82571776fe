"""Sending the registration emails (django-tasks), the day-before reminders, and the emails a
stopped worker left unsent.

A ``RegistrationEmail`` row is the email's claim (unique per registration, kind and sequence).
``send_registration_email`` locks the row, skips it once ``sent_at`` is set, builds the message
from the registration as it is now, sends it and sets ``sent_at`` in the same transaction: two
workers given the same row send it once. A failing mail server is retried by
``calls.tasks.send_with_retries``. Only the row's id goes into the queue.

``remind`` (``manage.py remind_sessions``, a daily periodic job) writes one « rappel » row per
confirmed registration of the sessions starting the next day (Paris time), for the session's
current sequence: a session moved to another day is reminded again for its new date. It
queues again the rows written more than ``REQUEUE_AFTER`` ago and still unsent.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from calls.tasks import SENT, enqueue_or_log, send_with_retries

from . import registration_emails
from .models import EmailKind, Registration, RegistrationEmail, RegistrationStatus, SessionPage

logger = logging.getLogger(__name__)

REQUEUE_AFTER = datetime.timedelta(minutes=30)
REQUEUE_WITHIN = datetime.timedelta(days=2)


@task()
def send_registration_email(email_id, attempt=1):
    with transaction.atomic():
        row = (
            RegistrationEmail.objects.select_for_update(of=("self",))
            .select_related("registration__session", "registration__laureate")
            .filter(pk=email_id, sent_at__isnull=True)
            .first()
        )
        if row is None:
            return "nothing to do"
        message = registration_emails.build(row)
        if message is None:
            return "no longer applies"
        outcome = send_with_retries(
            message,
            send_registration_email,
            email_id,
            attempt=attempt,
            what=f"registration email {email_id} ({row.kind})",
        )
        if outcome == SENT:
            row.sent_at = timezone.now()
            row.save(update_fields=["sent_at"])
    return outcome


def enqueue_email(email_id):
    enqueue_or_log(send_registration_email, email_id, what=f"registration email {email_id}")


def sessions_tomorrow(today=None):
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=2), datetime.time()))
    return SessionPage.objects.live().filter(starts_at__gte=start, starts_at__lt=end)


def remind(today=None):
    """Write and queue the day-before reminders; return how many were written."""
    written = 0
    for session in sessions_tomorrow(today):
        with transaction.atomic():
            registrations = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMEE)
            for registration in registrations:
                row, created = RegistrationEmail.objects.get_or_create(
                    registration=registration, kind=EmailKind.RAPPEL, sequence=session.ical_sequence
                )
                if created:
                    transaction.on_commit(lambda pk=row.pk: enqueue_email(pk), robust=True)
                    written += 1
    return written


def requeue_unsent(now=None):
    """Queue again the emails written a while ago and still unsent (a worker stopped, a queue
    that refused them); the lock in ``send_registration_email`` keeps each one sent once."""
    now = now or timezone.now()
    rows = RegistrationEmail.objects.filter(
        sent_at__isnull=True, created_at__lt=now - REQUEUE_AFTER, created_at__gte=now - REQUEUE_WITHIN
    ).values_list("pk", flat=True)
    ids = list(rows)
    for pk in ids:
        enqueue_email(pk)
    return len(ids)
