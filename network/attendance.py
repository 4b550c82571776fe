"""Attendance after a session: the team marks each confirmed registration « présent »,
« absent » or « excusé ».

``mark_attendance`` takes what the team's list posted: for each registration the value shown
when the list was drawn and the value chosen. Only the rows whose value changed are written,
each with who and when (``attendance_marked_by``, ``attendance_marked_at``), in one
transaction with the rows locked; a row someone else changed since the list was drawn is
left as they set it and reported, so two people marking on two phones never undo each other
without knowing. Only confirmed registrations of that session are marked: an id of another
session, a cancelled registration or an unknown value refuses the whole post with a French
message and changes nothing.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attendance, Registration, RegistrationStatus


@dataclass
class Marked:
    """What a post changed: the registrations written, and those changed meanwhile by
    someone else (left as they are)."""

    changed: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)


def confirmed(session):
    """The session's confirmed registrations, in the list's order (laureates by business
    name, then the others by name), with what the list shows."""
    return (
        Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMEE)
        .select_related("laureate", "attendance_marked_by")
        .order_by("role", "laureate__business_name", "name", "pk")
    )


def mark_attendance(session, user, choices):
    """``choices``: ``{registration_id: (shown, chosen)}``, attendance values. Returns a
    ``Marked``; raises ``ValidationError`` (nothing written) for a value that is not one of
    the attendance values or an id that is not a confirmed registration of ``session``."""
    values = set(Attendance.values)
    for shown, chosen in choices.values():
        if shown not in values or chosen not in values:
            raise ValidationError(_("Choisissez présent, absent ou excusé pour chaque personne."), code="value")
    result = Marked()
    wanted = {pk: pair for pk, pair in choices.items() if pair[0] != pair[1]}
    if not wanted:
        return result
    now = timezone.now()
    with transaction.atomic():
        rows = {
            row.pk: row
            for row in Registration.objects.select_for_update()
            .filter(pk__in=list(wanted), session=session, status=RegistrationStatus.CONFIRMEE)
            .order_by("pk")
        }
        if len(rows) != len(wanted):
            raise ValidationError(
                _("Cette liste n'est plus à jour : une inscription n'est plus confirmée. Rechargez la page."),
                code="unknown",
            )
        for pk, (shown, chosen) in sorted(wanted.items()):
            row = rows[pk]
            if row.attendance == chosen:
                continue
            if row.attendance != shown:
                result.conflicts.append(row)
                continue
            row.attendance = chosen
            row.attendance_marked_at = now
            row.attendance_marked_by = user
            row.save(update_fields=["attendance", "attendance_marked_at", "attendance_marked_by"])
            result.changed.append(row)
    return result


def is_held(session, now=None):
    """A session is held once it has started (attendance can be marked from its start)."""
    return session.starts_at <= (now or timezone.now())
