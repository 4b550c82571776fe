"""Emails of the space, sent by django-tasks with ``calls.tasks.send_with_retries``.

A request for a sign-in link is handled here, after the response (``handle_link_request``):
the sign-in form only stores a ``LinkRequest`` and queues its id, whether the address is
known or not, so the answer takes the same time either way. The task decides whether
the address gets a link (known, and none sent in the last ``APPLICANTS_LINK_MIN_INTERVAL``
seconds).

The sign-in task makes its token when it runs, so no token is ever stored in the task
queue; a retry makes a new one (which revokes the one never delivered).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from calls import drafts
from calls.models import Draft
from calls.tasks import enqueue_or_log, send_with_retries

from . import emails, space
from .auth import new_token
from .models import ApplicantAccount, LinkRequest

# A request the queue never handled (a worker down for a day) is not kept longer.
LINK_REQUEST_MAX_AGE = datetime.timedelta(days=1)


def queue_link_request(email, next_path=""):
    """What the sign-in form does for every valid address: the same two writes (the
    request, the task that reads it, once committed), known address or not."""
    with transaction.atomic():
        link_request = LinkRequest.objects.create(email=email, next_path=next_path)
        request_id = link_request.pk
        transaction.on_commit(
            lambda: enqueue_or_log(handle_link_request, request_id, what=f"sign-in request {request_id}"),
            robust=True,
        )


def _take_link_request(request_id):
    """The request's address and next path, the request deleted; None if already taken."""
    with transaction.atomic():
        LinkRequest.objects.filter(created_at__lt=timezone.now() - LINK_REQUEST_MAX_AGE).delete()
        link_request = LinkRequest.objects.select_for_update().filter(pk=request_id).first()
        if link_request is None:
            return None
        link_request.delete()
        return link_request.email, link_request.next_path


def _may_send_link(email):
    """The account of a known address that got no link in the minimum interval (marked as
    sent now), else None: one link per address per interval, even without the cache."""
    with transaction.atomic():
        account, _created = ApplicantAccount.objects.select_for_update().get_or_create(email=email)
        if account.link_sent_at and (
            (timezone.now() - account.link_sent_at).total_seconds() < settings.APPLICANTS_LINK_MIN_INTERVAL
        ):
            return None
        ApplicantAccount.objects.filter(pk=account.pk).update(link_sent_at=timezone.now())
        return account


@task()
def handle_link_request(request_id):
    taken = _take_link_request(request_id)
    if taken is None:
        return "nothing to do"
    email, next_path = taken
    if not space.is_known(email):
        return "unknown address"
    account = _may_send_link(email)
    if account is None:
        return "link sent recently"
    return send_sign_in_link.call(account.pk, next_path)


@task()
def send_sign_in_link(account_id, next_path="", attempt=1):
    account = ApplicantAccount.objects.filter(pk=account_id).first()
    if account is None:
        return "nothing to do"
    message = emails.sign_in_message(account, new_token(account), next_path)
    return send_with_retries(
        message,
        send_sign_in_link,
        account_id,
        next_path,
        attempt=attempt,
        what=f"sign-in link for account {account_id}",
    )


@task()
def send_draft_link(account_id, draft_id, reminder=False, attempt=1):
    account = ApplicantAccount.objects.filter(pk=account_id).first()
    draft = Draft.objects.select_related("page").filter(pk=draft_id).first()
    if account is None or draft is None:
        return "nothing to do"
    message = emails.draft_message(account, drafts.resume_token(draft), draft, reminder=reminder)
    return send_with_retries(
        message,
        send_draft_link,
        account_id,
        draft_id,
        reminder,
        attempt=attempt,
        what=f"draft link for draft {draft_id}",
    )


def enqueue_draft_link(account_id, draft_id, reminder=False):
    enqueue_or_log(send_draft_link, account_id, draft_id, reminder, what=f"draft link for draft {draft_id}")


def enqueue_draft_link_now(email, draft):
    """A new resume link asked by the signed-in owner: sent once committed."""
    account, _created = ApplicantAccount.objects.get_or_create(email=email.lower())
    transaction.on_commit(lambda: enqueue_draft_link(account.pk, draft.pk), robust=True)
