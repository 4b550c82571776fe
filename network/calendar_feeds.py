"""Calendar feeds (``.ics`` URLs a calendar application subscribes to).

- A person's private feed (``CalendarFeed``): the sessions their confirmed registrations are
  for, with the meeting links. A laureate's feed follows the laureate record (and stops the
  moment the laureate leaves the network); a resident's or partner's follows their address.
  Its URL holds a secret (``registration_links.feed_token``), masked in logs; « Nouveau lien »
  revokes the old one (``revoked_at``), « Arrêter » revokes it without a new one.
- The public feed (``/flux/agenda.ics``): the live public sessions open to everyone, from
  ``PUBLIC_FEED_PAST_DAYS`` ago on, without any meeting link nor anything about the people
  registered. It is a public GET: the page cache keeps it, and the CDN purge of ``/flux/``
  refreshes it with the agenda.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ical, registration_links
from .models import Audience, CalendarFeed, Registration, RegistrationStatus, SessionPage

PUBLIC_FEED_PAST_DAYS = 90

VALID, REVOKED, INVALID = "valid", "revoked", "invalid"


def active_feeds():
    return CalendarFeed.objects.filter(revoked_at__isnull=True)


def feed_for(*, laureate=None, email=""):
    """The person's current feed, or None."""
    if laureate is not None:
        return active_feeds().filter(laureate=laureate).order_by("-pk").first()
    return active_feeds().filter(laureate__isnull=True, email=email.lower()).order_by("-pk").first()


def renew(*, laureate=None, email=""):
    """A new feed for the person; their older feeds stop at once."""
    with transaction.atomic():
        revoke(laureate=laureate, email=email)
        return CalendarFeed.objects.create(
            laureate=laureate, email="" if laureate else email.lower(), token_hash=registration_links.new_key()
        )


def revoke(*, laureate=None, email=""):
    feeds = active_feeds().filter(laureate=laureate) if laureate else active_feeds().filter(email=email.lower())
    if laureate is None:
        feeds = feeds.filter(laureate__isnull=True)
    return feeds.update(revoked_at=timezone.now())


def feed_from_token(token):
    """(state, feed): ``VALID``, ``REVOKED`` (a link replaced or stopped, or a laureate who
    left the network) or ``INVALID`` (forged, altered, unknown)."""
    parts = registration_links.split(token)
    if parts is None:
        return INVALID, None
    pk, signature = parts
    feed = CalendarFeed.objects.select_related("laureate").filter(pk=pk).first()
    if feed is None or not registration_links.matches(registration_links.FEED, pk, feed.token_hash, signature):
        return INVALID, None
    if feed.revoked_at is not None or (feed.laureate_id and not feed.laureate.is_member):
        return REVOKED, feed
    return VALID, feed


def feed_registrations(feed):
    registrations = Registration.objects.filter(status=RegistrationStatus.CONFIRMEE, session__live=True)
    if feed.laureate_id:
        registrations = registrations.filter(laureate_id=feed.laureate_id)
    else:
        registrations = registrations.filter(laureate__isnull=True, email=feed.email)
    return registrations.select_related("session").order_by("session__starts_at", "pk")


def private_calendar(feed):
    events = [ical.event(registration.session, with_meeting_url=True) for registration in feed_registrations(feed)]
    return ical.calendar(events, name=_("Mes séances Quartiers Cafés"))


def public_sessions(now=None):
    now = now or timezone.now()
    return (
        SessionPage.objects.live()
        .public()
        .filter(audience=Audience.TOUS, ends_at__gte=now - datetime.timedelta(days=PUBLIC_FEED_PAST_DAYS))
        .order_by("starts_at", "pk")
    )


def public_calendar():
    return ical.calendar(
        [ical.event(session) for session in public_sessions()], name=_("Agenda du réseau Quartiers Cafés")
    )
