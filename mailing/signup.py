"""Signing up, confirming, leaving, and the purge of what was never confirmed or has lapsed.

No enumeration: ``subscribe`` answers nothing about the address; a new address gets a row and
a confirmation email, an address already on the list gets a confirmation email that renews it
(its choices and consent are not changed by someone who merely typed it). At most one
confirmation email per address per ``MAILING_CONFIRMATION_MIN_INTERVAL_MINUTES``, whatever
is asked: the form cannot flood a mailbox. The email leaves after the commit (django-tasks).
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import tokens
from .models import Subscriber
from .tasks import send_confirmation

logger = logging.getLogger(__name__)


def subscribe(email, *, region, role, consent_text):
    """Record a sign-up (or find the existing one) and queue its confirmation email."""
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        email=email,
                        region=region or "",
                        role=role or "",
                        consent_text=consent_text,
                        consent_version=settings.MAILING_CONSENT_VERSION,
                        consent_at=now,
                        created_at=now,
                        last_renewed_at=now,
                    )
            except IntegrityError:  # the same address sent twice at once
                subscriber = Subscriber.objects.select_for_update().get(email=email)
        interval = datetime.timedelta(minutes=settings.MAILING_CONFIRMATION_MIN_INTERVAL_MINUTES)
        if subscriber.confirmation_sent_at and subscriber.confirmation_sent_at > now - interval:
            return
        subscriber.confirm_nonce = secrets.token_urlsafe(12)
        subscriber.confirmation_sent_at = now
        subscriber.save(update_fields=["confirm_nonce", "confirmation_sent_at"])
        pk = subscriber.pk
        transaction.on_commit(lambda: send_confirmation.enqueue(pk))


CONFIRMED, EXPIRED, INVALID = "confirmed", "expired", "invalid"


def check_confirmation(token):
    """``CONFIRMED`` (the link may be used), ``EXPIRED`` or ``INVALID`` (forged, used, replaced)."""
    try:
        pk, nonce = tokens.read_confirm_token(token)
    except tokens.Expired:
        return EXPIRED, None
    except tokens.Invalid:
        return INVALID, None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not nonce or not secrets.compare_digest(subscriber.confirm_nonce, str(nonce)):
        return INVALID, None
    return CONFIRMED, subscriber


def confirm(token):
    """Confirm (or renew) the subscription the link names, once; the outcome as above."""
    with transaction.atomic():
        outcome, subscriber = check_confirmation(token)
        if outcome != CONFIRMED:
            return outcome
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        _pk, nonce = tokens.read_confirm_token(token)
        if subscriber.confirm_nonce != nonce:  # used by a request that committed meanwhile
            return INVALID
        now = timezone.now()
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.last_renewed_at = now
        subscriber.confirm_nonce = ""
        subscriber.save(update_fields=["confirmed_at", "last_renewed_at", "confirm_nonce"])
    return CONFIRMED


def subscriber_for_unsubscribe(token):
    """The subscriber an unsubscribe token names, or None (forged, altered, already gone)."""
    try:
        pk, key = tokens.read_unsubscribe_token(token)
    except tokens.Invalid:
        return None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not secrets.compare_digest(subscriber.unsubscribe_key, str(key)):
        return None
    return subscriber


def unsubscribe(token):
    """Delete the subscription (and its delivery records); False when the token names none."""
    subscriber = subscriber_for_unsubscribe(token)
    if subscriber is None:
        return False
    subscriber.delete()
    logger.info("Mailing list: subscriber %s left", subscriber.pk)
    return True


def purge(now=None):
    """Delete sign-ups unconfirmed after ``MAILING_UNCONFIRMED_DAYS`` and subscriptions not
    renewed for ``MAILING_SUBSCRIPTION_DAYS``; return both counts."""
    now = now or timezone.now()
    unconfirmed = (
        Subscriber.objects.filter(
            confirmed_at__isnull=True, created_at__lt=now - datetime.timedelta(days=settings.MAILING_UNCONFIRMED_DAYS)
        )
        .delete()[1]
        .get(Subscriber._meta.label, 0)
    )
    lapsed = (
        Subscriber.objects.filter(
            confirmed_at__isnull=False,
            last_renewed_at__lt=now - datetime.timedelta(days=settings.MAILING_SUBSCRIPTION_DAYS),
        )
        .delete()[1]
        .get(Subscriber._meta.label, 0)
    )
    return unconfirmed, lapsed
