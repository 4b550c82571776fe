"""Reminding the owners of unsent drafts before their call closes (``manage.py remind_drafts``).

A draft is reminded once: ``Draft.reminded_at`` is set by a conditional update before its
email is queued, so a second run (or two runs at once) never sends it twice. The email is
sent after the commit by ``tasks.send_draft_link`` (retries included).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from calls.models import Draft

from .models import ApplicantAccount
from .tasks import enqueue_draft_link


def due(days, now=None):
    now = now or timezone.now()
    return (
        Draft.objects.exclude(email="")
        .filter(
            email_confirmed_at__isnull=False,  # an address that never opened its link is not written to
            reminded_at__isnull=True,
            page__closes_at__gt=now,
            page__closes_at__lte=now + datetime.timedelta(days=days),
        )
        .order_by("pk")
    )


def remind(days, now=None):
    """Queue one reminder per due draft; return how many."""
    now = now or timezone.now()
    count = 0
    for draft in due(days, now):
        with transaction.atomic():
            claimed = Draft.objects.filter(pk=draft.pk, reminded_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            account, _created = ApplicantAccount.objects.get_or_create(email=draft.email.lower())
            transaction.on_commit(lambda a=account.pk, d=draft.pk: enqueue_draft_link(a, d, reminder=True), robust=True)
        count += 1
    return count
