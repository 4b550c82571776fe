"""The registrations' retention (``manage.py purge_network_registrations``, a nightly job),
as the privacy page states it (``registration_legal.py``, from the same settings).

- Once a session is over, the registrations of residents and partners that never held a place
  to the end (cancelled by the person or the team, expired) are deleted.
- ``NETWORK_REGISTRATION_RETENTION_MONTHS`` after the session's end, the others lose the
  person's name and address (and their link): the row stays, without anyone in it, for the
  session's counts (registered, present).
- Calendar feeds revoked, or of an address with no registration left, are deleted.

A laureate's registration names no one but the laureate record, whose contact data follow
their own rule (``laureates/retention.py``).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from moderation.rgpd import months_before

from .models import CalendarFeed, Registration, RegistrationStatus


def purge(now=None):
    """Return (deleted, anonymised, feeds deleted)."""
    now = now or timezone.now()
    people = Registration.objects.filter(laureate__isnull=True)
    with transaction.atomic():
        deleted = (
            people.filter(
                session__ends_at__lt=now,
                status__in=(RegistrationStatus.ANNULEE, RegistrationStatus.SEANCE_ANNULEE, RegistrationStatus.EXPIREE),
            )
            .delete()[1]
            .get(Registration._meta.label, 0)
        )
        cutoff = months_before(now, settings.NETWORK_REGISTRATION_RETENTION_MONTHS)
        anonymised = (
            people.filter(session__ends_at__lt=cutoff)
            .exclude(name="", email="")
            .update(name="", email="", token_hash="")
        )
        kept = Registration.objects.filter(laureate__isnull=True).exclude(email="").values("email")
        feeds = CalendarFeed.objects.filter(revoked_at__isnull=False).delete()[1].get(
            CalendarFeed._meta.label, 0
        ) + CalendarFeed.objects.filter(laureate__isnull=True).exclude(email__in=kept).delete()[1].get(
            CalendarFeed._meta.label, 0
        )
    return deleted, anonymised, feeds
