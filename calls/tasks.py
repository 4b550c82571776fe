"""Background tasks (django-tasks): sending an application's emails, with bounded retries.

django-tasks does not retry by itself. ``send_with_retries`` sends a built message and, when
the mail server fails, enqueues the task again with ``run_after`` (database backend) and an
attempt counter, up to ``MAX_ATTEMPTS``; after the last one it logs an error and gives up.
The application then keeps ``confirmation_sent_at`` / ``notification_sent_at`` empty,
visible to the team. A task that finds its email already sent does nothing, so running one
twice sends one email. The decision email (``moderation.tasks``) is sent the same way.
https://github.com/RealOrangeOne/django-tasks
"""

import datetime
import logging
import smtplib

from django.utils import timezone
from django_tasks import task

from . import emails
from .models import Application

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Wait before attempts 2, 3, 4 and 5: one minute, five minutes, half an hour, two hours.
RETRY_DELAYS = [60, 300, 1800, 7200]

# What a mail server (or the way to it) failing looks like.
MAIL_ERRORS = (smtplib.SMTPException, OSError)

SENT = "sent"
RETRY_QUEUED = "retry queued"
GIVEN_UP = "given up"


def enqueue_or_log(email_task, *args, what):
    """Queue ``email_task(*args)``; a queue that refuses it is logged, never raised.

    Called after the commit: the application or the decision is saved whatever happens to
    its email, and the team sees the missing ``…_sent_at`` date.
    """
    try:
        email_task.enqueue(*args)
    except Exception:
        logger.exception("Could not queue %s", what)


def send_with_retries(message, email_task, *args, attempt, what, what_given_up=None):
    """Send ``message``; if the mail server fails, run ``email_task(*args)`` again later.

    Returns ``SENT``, ``RETRY_QUEUED`` (the next attempt is enqueued, deferred by
    ``RETRY_DELAYS`` where the backend can defer) or ``GIVEN_UP`` after ``MAX_ATTEMPTS``.
    ``what`` names the email in the logs (« send_confirmation_email for application
    QC-… »); ``what_given_up``, when given, names it in the final error instead.
    """
    try:
        message.send(fail_silently=False)
    except MAIL_ERRORS as exc:
        logger.warning("%s failed (attempt %s/%s): %s", what, attempt, MAX_ATTEMPTS, exc)
        if attempt >= MAX_ATTEMPTS:
            logger.error("Giving up %s after %s attempts", what_given_up or what, attempt)
            return GIVEN_UP
        retry_task = email_task
        if email_task.get_backend().supports_defer:
            delay = RETRY_DELAYS[min(attempt - 1, len(RETRY_DELAYS) - 1)]
            retry_task = email_task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
        retry_task.enqueue(*args, attempt=attempt + 1)
        return RETRY_QUEUED
    return SENT


def enqueue_application_emails(application_id):
    """Queue both emails of a newly committed application; never raises."""
    for email_task in (send_confirmation_email, send_team_notification):
        enqueue_or_log(email_task, application_id, what=f"{email_task.name} for application {application_id}")


def _deliver(email_task, application_id, attempt, build, sent_field):
    application = Application.objects.select_related("page").filter(pk=application_id).first()
    if application is None or getattr(application, sent_field) is not None:
        return "nothing to do"
    message = build(application)
    if message is None:
        return "no recipient"
    outcome = send_with_retries(
        message,
        email_task,
        application_id,
        attempt=attempt,
        what=f"{email_task.name} for application {application.reference}",
    )
    if outcome == SENT:
        Application.objects.filter(pk=application_id).update(**{sent_field: timezone.now()})
    return outcome


@task()
def send_confirmation_email(application_id, attempt=1):
    return _deliver(send_confirmation_email, application_id, attempt, emails.build_confirmation, "confirmation_sent_at")


@task()
def send_team_notification(application_id, attempt=1):
    return _deliver(send_team_notification, application_id, attempt, emails.build_notification, "notification_sent_at")
