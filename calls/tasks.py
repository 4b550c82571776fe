"""Background tasks (django-tasks): sending an application's emails, with bounded retries.

django-tasks does not retry by itself. Each task catches a mail server failure and
enqueues itself again with ``run_after`` (database backend) and an attempt counter, up to
``MAX_ATTEMPTS``; after the last one it logs an error and the application keeps
``confirmation_sent_at`` / ``notification_sent_at`` empty, visible to the team. A task
that finds its email already sent does nothing, so running one twice sends one email.
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


def enqueue_application_emails(application_id):
    """Queue both emails of a newly committed application; never raises."""
    for email_task in (send_confirmation_email, send_team_notification):
        try:
            email_task.enqueue(application_id)
        except Exception:
            logger.exception("Could not queue %s for application %s", email_task.name, application_id)


def _retry(email_task, application_id, attempt):
    if attempt >= MAX_ATTEMPTS:
        logger.error("Giving up %s for application %s after %s attempts", email_task.name, application_id, attempt)
        return False
    delay = RETRY_DELAYS[min(attempt - 1, len(RETRY_DELAYS) - 1)]
    retry_task = email_task
    if email_task.get_backend().supports_defer:
        retry_task = email_task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    retry_task.enqueue(application_id, attempt=attempt + 1)
    return True


def _deliver(email_task, application_id, attempt, build, sent_field):
    application = Application.objects.select_related("page").filter(pk=application_id).first()
    if application is None or getattr(application, sent_field) is not None:
        return "nothing to do"
    message = build(application)
    if message is None:
        return "no recipient"
    try:
        message.send(fail_silently=False)
    except MAIL_ERRORS as exc:
        logger.warning(
            "%s for application %s failed (attempt %s/%s): %s",
            email_task.name,
            application.reference,
            attempt,
            MAX_ATTEMPTS,
            exc,
        )
        return "retry queued" if _retry(email_task, application_id, attempt) else "given up"
    Application.objects.filter(pk=application_id).update(**{sent_field: timezone.now()})
    return "sent"


@task()
def send_confirmation_email(application_id, attempt=1):
    return _deliver(send_confirmation_email, application_id, attempt, emails.build_confirmation, "confirmation_sent_at")


@task()
def send_team_notification(application_id, attempt=1):
    return _deliver(send_team_notification, application_id, attempt, emails.build_notification, "notification_sent_at")
