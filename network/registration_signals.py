"""What publishing a session changes for the people registered (connected in ``apps.ready``).

- A change of the date, the times, the format, the place or the meeting link, when the session's
  row is written with them (publishing writes the whole row; saving a draft writes only the
  revision's bookkeeping, ``update_fields``), bumps ``ical_sequence`` — read from the row, never
  from the revision, which may hold an older number — and, after the commit, writes one
  « changement » email per person registered (``registration.tell_change``): each is told once
  per change, with an ``.ics`` that updates the event their calendar already holds.
- A publication may have raised the capacity: the waiting list moves into the new seats
  (``registration.fill_seats``).
- Unpublishing a session before it begins (the admin's « Dépublier », a scheduled expiry, an
  ancestor unpublished with its descendants: Wagtail's ``page_unpublished`` for each) cancels it
  for everyone registered, in the unpublication's transaction (``registration.cancel_session``):
  each confirmed or waiting person is told once. Deleting a session that still has people to
  tell is refused in the admin (``wagtail_hooks.refuse_deleting_sessions_to_tell``): unpublish
  it first.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from . import registration
from .models import SessionPage

logger = logging.getLogger(__name__)

# The fields a registered person's calendar depends on.
WATCHED = (
    "starts_at",
    "ends_at",
    "mode",
    "meeting_url",
    "place_name",
    "street",
    "postal_code",
    "commune_code",
    "town",
)


@receiver(pre_save, sender=SessionPage)
def bump_sequence(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & {*WATCHED, "ical_sequence"}:
        return
    stored = SessionPage.objects.filter(pk=instance.pk).values(*WATCHED, "ical_sequence", "ical_uid").first()
    if stored is None:
        return
    # The revision being published carries the numbers of when it was drafted: the row's win.
    instance.ical_uid = stored["ical_uid"]
    instance.ical_sequence = max(instance.ical_sequence or 0, stored["ical_sequence"])
    if any(getattr(instance, name) != stored[name] for name in WATCHED):
        instance.ical_sequence = stored["ical_sequence"] + 1
        instance._ical_changed = True


@receiver(post_save, sender=SessionPage)
def tell_registered(sender, instance, raw=False, **kwargs):
    if raw or not getattr(instance, "_ical_changed", False):
        return
    instance._ical_changed = False
    pk, sequence = instance.pk, instance.ical_sequence
    transaction.on_commit(lambda: registration.tell_change(pk, sequence), robust=True)


@receiver(page_published)
def fill_new_seats(sender, instance, **kwargs):
    if isinstance(instance, SessionPage):
        pk = instance.pk
        transaction.on_commit(lambda: registration.fill_seats(pk), robust=True)


@receiver(page_unpublished)
def cancel_unpublished_session(sender, instance, **kwargs):
    if isinstance(instance, SessionPage):
        registration.cancel_session(instance.pk)
