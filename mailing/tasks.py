"""Sending the list's emails (django-tasks), and the call openings.

``announce_openings`` (``manage.py announce_call_openings``, a periodic job) finds the live
calls whose opening time has come and that are still open, whether they were published before
or at that moment. The first time it sees one it writes, in one transaction, its
``CallOpening`` row and one ``Delivery`` per confirmed subscriber; republishing the call
changes nothing, since the row exists. Then (and on every later run, for what a stopped worker
left) it queues the unsent deliveries in batches of ``MAILING_BATCH_SIZE`` ids.

``send_call_batch`` locks each delivery row, skips it when ``sent_at`` is set, sends, and sets
``sent_at`` in the same transaction: two workers given the same delivery send it once. A
failing mail server leaves ``sent_at`` empty; the next run queues it again, up to
``MAX_ATTEMPTS`` attempts. Only ids go into the queue, never an address.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from calls.models import CallPage
from calls.tasks import MAIL_ERRORS

from . import emails
from .models import CallOpening, Delivery, Subscriber

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@task()
def send_confirmation(subscriber_id):
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not subscriber.confirm_nonce:
        return "nothing to do"
    try:
        emails.build_confirmation(subscriber).send(fail_silently=False)
    except MAIL_ERRORS as exc:
        # The person can ask again from the form (the interval lets them after a few minutes).
        logger.warning("Mailing list: confirmation for subscriber %s failed: %s", subscriber_id, exc)
        return "failed"
    return "sent"


@task()
def send_call_batch(delivery_ids):
    sent = 0
    for delivery_id in delivery_ids:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update()
                .select_related("subscriber")
                .filter(pk=delivery_id, sent_at__isnull=True)
                .first()
            )
            if delivery is None or delivery.subscriber.confirmed_at is None:
                continue
            call = CallPage.objects.filter(pk=delivery.call_id).specific().first()
            if call is None:
                continue
            delivery.attempts += 1
            try:
                emails.build_call_announcement(delivery.subscriber, call).send(fail_silently=False)
            except MAIL_ERRORS as exc:
                logger.warning("Mailing list: delivery %s failed (attempt %s): %s", delivery_id, delivery.attempts, exc)
                delivery.queued_at = None
                delivery.save(update_fields=["attempts", "queued_at"])
                continue
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["attempts", "sent_at"])
            sent += 1
    return sent


def opened_calls(now=None):
    now = now or timezone.now()
    return CallPage.objects.live().public().filter(opens_at__lte=now, closes_at__gt=now)


def handle_opening(call):
    """Write the call's ``CallOpening`` and its deliveries, once; True when this run did."""
    with transaction.atomic():
        _opening, created = CallOpening.objects.get_or_create(call=call)
        if not created:
            return False
        subscribers = Subscriber.objects.filter(confirmed_at__isnull=False).values_list("pk", flat=True)
        Delivery.objects.bulk_create(
            [Delivery(call=call, subscriber_id=pk) for pk in subscribers.iterator()],
            batch_size=500,
            ignore_conflicts=True,
        )
    logger.info("Mailing list: call %s opened, deliveries written", call.pk)
    return True


def queue_unsent(now=None):
    """Queue the deliveries not sent and not queued lately, in batches; return how many."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(minutes=settings.MAILING_REQUEUE_MINUTES)
    pending = Delivery.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=stale)
    )
    ids = list(pending.order_by("pk").values_list("pk", flat=True))
    size = settings.MAILING_BATCH_SIZE
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        Delivery.objects.filter(pk__in=batch).update(queued_at=now)
        transaction.on_commit(lambda batch=batch: send_call_batch.enqueue(batch))
    return len(ids)


def announce_openings(now=None):
    """Handle every call opened and not yet announced, then queue what is unsent."""
    handled = [call.pk for call in opened_calls(now) if handle_opening(call)]
    with transaction.atomic():
        queued = queue_unsent(now)
    return handled, queued
