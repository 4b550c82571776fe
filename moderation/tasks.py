"""Sending the decision email in the background (django-tasks), after the commit, with the
same bounded retries as the application's own emails (``calls/tasks.py``)."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

from calls.tasks import MAIL_ERRORS, MAX_ATTEMPTS, RETRY_DELAYS

from . import emails
from .models import HistoryEntry

logger = logging.getLogger(__name__)


def enqueue_decision_email(entry_id):
    """Queue the email of the decision recorded by history entry ``entry_id``; never raises."""
    try:
        send_decision_email.enqueue(entry_id)
    except Exception:
        logger.exception("Could not queue the decision email of history entry %s", entry_id)


@task()
def send_decision_email(entry_id, attempt=1):
    entry = HistoryEntry.objects.select_related("application", "application__page").filter(pk=entry_id).first()
    if entry is None:
        return "nothing to do"
    application = entry.application
    if application.status != entry.to_status:
        return "decision changed"
    message = emails.build_decision(application, entry.to_status)
    if message is None:
        return "no text or no recipient"
    try:
        message.send(fail_silently=False)
    except MAIL_ERRORS as exc:
        logger.warning(
            "Decision email for %s failed (attempt %s/%s): %s", application.reference, attempt, MAX_ATTEMPTS, exc
        )
        if attempt >= MAX_ATTEMPTS:
            logger.error("Giving up the decision email for %s", application.reference)
            return "given up"
        retry = send_decision_email
        if retry.get_backend().supports_defer:
            delay = RETRY_DELAYS[min(attempt - 1, len(RETRY_DELAYS) - 1)]
            retry = retry.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
        retry.enqueue(entry_id, attempt=attempt + 1)
        return "retry queued"
    return "sent"
