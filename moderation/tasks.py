"""Background work of the decisions (django-tasks): announcing a call's staged decisions at
the chosen time, and sending each decision email with the same bounded retries as the
application's own emails (``calls.tasks.send_with_retries``).

Each decision is emailed at most once: the task locks its ``Decision`` row, reads
``email_sent_at`` and writes it in the same transaction as the send, so a retried or
duplicated task finds the mark and does nothing.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from calls.models import Application
from calls.tasks import SENT, enqueue_or_log, send_with_retries

from . import emails
from .models import Decision, ErasureRequest, HistoryEntry

ALREADY_SENT = "already sent"


def enqueue_decision_email(decision_id):
    """Queue the email of decision ``decision_id``; never raises."""
    enqueue_or_log(send_decision_email, decision_id, what=f"the email of decision {decision_id}")


@task()
def send_decision_email(decision_id, attempt=1):
    with transaction.atomic():
        decision = Decision.objects.select_for_update().filter(pk=decision_id).first()
        if decision is None:
            return "nothing to do"
        if decision.email_sent_at is not None:
            return ALREADY_SENT
        application = Application.objects.select_related("page").get(pk=decision.application_id)
        if decision.announced_at is None or application.status != decision.outcome:
            return "decision changed"
        message = emails.build_decision(application, decision.outcome)
        if message is None:
            return "no text or no recipient"
        outcome = send_with_retries(
            message,
            send_decision_email,
            decision_id,
            attempt=attempt,
            what=f"Decision email for {application.reference}",
            what_given_up=f"the decision email for {application.reference}",
        )
        if outcome == SENT:
            Decision.objects.filter(pk=decision_id).update(
                email_sent_at=timezone.now(), email_to=application.applicant_email
            )
            HistoryEntry.objects.create(
                application=application,
                kind=HistoryEntry.Kind.EMAIL_SENT,
                comment=_("Courriel « %(subject)s » envoyé à %(email)s.")
                % {"subject": message.subject, "email": application.applicant_email},
            )
        return outcome


def enqueue_assignment_email(reviewer_id, application_ids):
    """Queue one email telling a reviewer about a batch of assignments; never raises."""
    enqueue_or_log(
        send_assignment_email, reviewer_id, list(application_ids), what=f"the assignment email of user {reviewer_id}"
    )


@task()
def send_assignment_email(reviewer_id, application_ids, attempt=1):
    message = emails.build_assignment(reviewer_id, application_ids)
    if message is None:
        return "no recipient"
    return send_with_retries(
        message,
        send_assignment_email,
        reviewer_id,
        application_ids,
        attempt=attempt,
        what=f"Assignment email for user {reviewer_id}",
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


def enqueue_conflict_email(review_id):
    """Queue the team's email about the conflict of interest of ``review_id``; never raises."""
    enqueue_or_log(send_conflict_email, review_id, what=f"the conflict of interest email of review {review_id}")


@task()
def send_conflict_email(review_id, attempt=1):
    """Tell the team that a reviewer declared a conflict of interest: the application needs
    another reviewer."""
    message = emails.build_conflict(review_id)
    if message is None:
        return "no recipient"
    return send_with_retries(
        message,
        send_conflict_email,
        review_id,
        attempt=attempt,
        what=f"the conflict of interest email of review {review_id}",
    )


def enqueue_answer_notification(entry_id, files=0):
    """Queue the team's email about the applicant's answer ``entry_id`` (with ``files``
    documents); never raises."""
    enqueue_or_log(
        send_answer_notification, entry_id, files, what=f"the answer notification of history entry {entry_id}"
    )


@task()
def send_answer_notification(entry_id, files=0, attempt=1):
    entry = HistoryEntry.objects.select_related("application", "application__page").filter(pk=entry_id).first()
    if entry is None or entry.kind != HistoryEntry.Kind.APPLICANT_ANSWER:
        return "nothing to do"
    message = emails.build_answer_notification(entry.application, files=files)
    if message is None:
        return "no recipient"
    return send_with_retries(
        message,
        send_answer_notification,
        entry_id,
        files,
        attempt=attempt,
        what=f"the answer notification of history entry {entry_id}",
    )


def enqueue_erasure_done_email(request_id):
    """Queue the applicant's email saying their erasure request is carried out; never raises."""
    enqueue_or_log(send_erasure_done_email, request_id, what=f"the email of erasure request {request_id}")


@task()
def send_erasure_done_email(request_id, attempt=1):
    """Sent once: the request's row is locked, ``notified_at`` read and written with the send;
    the address is then cleared (nothing is left to tell)."""
    with transaction.atomic():
        erasure_request = ErasureRequest.objects.select_for_update().filter(pk=request_id).first()
        if erasure_request is None or erasure_request.done_at is None:
            return "nothing to do"
        if erasure_request.notified_at is not None:
            return ALREADY_SENT
        message = emails.build_erasure_done(erasure_request)
        outcome = send_with_retries(
            message,
            send_erasure_done_email,
            request_id,
            attempt=attempt,
            what=f"the email of erasure request {request_id}",
        )
        if outcome == SENT:
            ErasureRequest.objects.filter(pk=request_id).update(notified_at=timezone.now(), email="")
        return outcome


def enqueue_correction_notification(entry_id):
    """Queue the team's email about the correction request ``entry_id``; never raises."""
    enqueue_or_log(
        send_correction_notification, entry_id, what=f"the correction notification of history entry {entry_id}"
    )


@task()
def send_correction_notification(entry_id, attempt=1):
    entry = HistoryEntry.objects.select_related("application", "application__page").filter(pk=entry_id).first()
    if entry is None or entry.kind != HistoryEntry.Kind.CORRECTION_REQUEST:
        return "nothing to do"
    message = emails.build_correction_notification(entry)
    if message is None:
        return "no recipient"
    return send_with_retries(
        message,
        send_correction_notification,
        entry_id,
        attempt=attempt,
        what=f"the correction notification of history entry {entry_id}",
    )
