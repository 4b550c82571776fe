"""A session's dates in words, in Europe/Paris whatever the server's zone: « mardi 31 mars 2026,
de 18 h à 20 h 30 ». The offset (+01:00 in winter, +02:00 in summer) comes from the zone
database for each date, so a session on either side of a daylight-saving change reads right."""

from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

PARIS = ZoneInfo("Europe/Paris")


def in_paris(value):
    return timezone.localtime(value, PARIS)


def day_text(value):
    """« mardi 31 mars 2026 », « dimanche 1er novembre 2026 » (Paris time)."""
    local = in_paris(value)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{date_format(local, 'l')} {day} {date_format(local, 'F Y')}"


def time_text(value):
    """« 18 h », « 18 h 30 » (Paris time)."""
    local = in_paris(value)
    return f"{local.hour} h" if not local.minute else f"{local.hour} h {local.minute:02d}"


def when_text(starts_at, ends_at):
    """The session's date and hours in one phrase."""
    start, end = in_paris(starts_at), in_paris(ends_at)
    if start.date() == end.date():
        return _("%(day)s, de %(start)s à %(end)s") % {
            "day": day_text(start),
            "start": time_text(start),
            "end": time_text(end),
        }
    return _("du %(start_day)s à %(start)s au %(end_day)s à %(end)s") % {
        "start_day": day_text(start),
        "start": time_text(start),
        "end_day": day_text(end),
        "end": time_text(end),
    }


def moment_text(value):
    """« lundi 2 mars 2026 à 9 h »."""
    return _("%(day)s à %(time)s") % {"day": day_text(value), "time": time_text(value)}
