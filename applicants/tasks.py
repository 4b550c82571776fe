"""Emails of the space, sent by django-tasks with ``calls.tasks.send_with_retries``.

The sign-in task makes its token when it runs, so no token is ever stored in the task
queue; a retry makes a new one (which revokes the one never delivered).
"""

from django_tasks import task

from calls.models import Draft
from calls.tasks import enqueue_or_log, send_with_retries

from . import emails
from .auth import new_token
from .models import ApplicantAccount


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


def enqueue_sign_in_link(account_id, next_path=""):
    enqueue_or_log(send_sign_in_link, account_id, next_path, what=f"sign-in link for account {account_id}")


@task()
def send_draft_link(account_id, draft_id, reminder=False, attempt=1):
    account = ApplicantAccount.objects.filter(pk=account_id).first()
    draft = Draft.objects.select_related("page").filter(pk=draft_id).first()
    if account is None or draft is None:
        return "nothing to do"
    message = emails.draft_message(account, new_token(account), draft, reminder=reminder)
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
