"""Sending the decision email in the background (django-tasks), after the commit, with the
same bounded retries as the application's own emails (``calls.tasks.send_with_retries``)."""

from django_tasks import task

from calls.tasks import enqueue_or_log, send_with_retries

from . import emails
from .models import HistoryEntry


def enqueue_decision_email(entry_id):
    """Queue the email of the decision recorded by history entry ``entry_id``; never raises."""
    enqueue_or_log(send_decision_email, entry_id, what=f"the decision email of history entry {entry_id}")


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
    return send_with_retries(
        message,
        send_decision_email,
        entry_id,
        attempt=attempt,
        what=f"Decision email for {application.reference}",
        what_given_up=f"the decision email for {application.reference}",
    )


def enqueue_information_request(entry_id):
    """Queue the email of the request for information recorded by ``entry_id``; never raises."""
    enqueue_or_log(send_information_request, entry_id, what=f"the information request of history entry {entry_id}")


@task()
def send_information_request(entry_id, attempt=1):
    entry = HistoryEntry.objects.select_related("application", "application__page").filter(pk=entry_id).first()
    if entry is None:
        return "nothing to do"
    message = emails.build_information_request(entry.application, entry.comment)
    if message is None:
        return "no recipient"
    return send_with_retries(
        message,
        send_information_request,
        entry_id,
        attempt=attempt,
        what=f"the information request of history entry {entry_id}",
    )
