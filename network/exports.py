"""Exports of the sessions' registrations and attendance, CSV and XLSX, per session or for
every session.

One row per registration (any status: the waiting list and the cancellations are part of the
record), built once as ``moderation.export.Cell``s (the XLSX's typed value and the CSV's
text), so both files have the same columns: the session (title, kind, start and end in Paris
time as dates, place), the person (role, laureate's business, name, email), the
registration's status and dates, the attendance with who marked it and when.

Residents' and partners' names and addresses are personal data: they are written only for a
user holding ``network.export_registrations`` (« Modérateurs »); for anyone else these cells
read « (masqué) ». Laureates appear by their business and their contact, which the team's
« Lauréats » shows to the same people (``laureates.view_laureate``).
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from moderation.export import XLSX_TYPE, Cell, cell, write_csv, write_xlsx

from .models import Mode, Registration

EXPORT_PERMISSION = "network.export_registrations"


def can_read_personal_data(user):
    return user.has_perm(EXPORT_PERMISSION)


def _moment(value):
    """A datetime cell: a naive Paris datetime in the XLSX, « 2026-09-01 18:30 » in the CSV."""
    if value is None:
        return Cell(None, "")
    local = timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return Cell(local, local.strftime("%Y-%m-%d %H:%M"))


def place_of(session):
    """« En ligne », or the place's name and commune."""
    if session.mode == Mode.EN_LIGNE:
        return str(Mode.EN_LIGNE.label)
    return ", ".join(part for part in (session.place_name, session.town) if part)


def _user_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


HEADINGS = [
    _lazy("Séance"),
    _lazy("Type de séance"),
    _lazy("Début"),
    _lazy("Fin"),
    _lazy("Lieu"),
    _lazy("Région"),
    _lazy("Rôle"),
    _lazy("Commerce du lauréat"),
    _lazy("Nom"),
    _lazy("Courriel"),
    _lazy("Statut de l'inscription"),
    _lazy("Inscrite le"),
    _lazy("Confirmée le"),
    _lazy("Présence"),
    _lazy("Présence notée le"),
    _lazy("Présence notée par"),
]


def registrations(sessions=None):
    """The registrations exported: of ``sessions`` (a queryset or list of sessions), or of
    every session; by session start, then the list's order."""
    found = Registration.objects.select_related("session", "session__kind", "laureate", "attendance_marked_by")
    if sessions is not None:
        found = found.filter(session__in=sessions)
    return found.order_by("session__starts_at", "session_id", "role", "laureate__business_name", "name", "pk")


def rows(found, personal_data):
    masked = _("(masqué)")
    table = []
    for registration in found:
        session = registration.session
        laureate = registration.laureate
        if laureate is not None:
            name, email = laureate.contact_name, laureate.contact_email
        elif personal_data:
            name, email = registration.name, registration.email
        else:
            name, email = masked, masked
        table.append(
            [
                cell(session.title),
                cell(session.kind.name),
                _moment(session.starts_at),
                _moment(session.ends_at),
                cell(place_of(session)),
                cell(session.get_region_display() if session.region else ""),
                cell(str(registration.get_role_display())),
                cell(laureate.business_name if laureate else ""),
                cell(name),
                cell(email),
                cell(str(registration.get_status_display())),
                _moment(registration.created_at),
                _moment(registration.confirmed_at),
                cell(str(registration.get_attendance_display())),
                _moment(registration.attendance_marked_at),
                cell(_user_name(registration.attendance_marked_by)),
            ]
        )
    return table


def response(found, user, spreadsheet_format, name):
    """The file of ``found`` registrations as ``name``-<stamp>.csv or .xlsx, never cached."""
    table = rows(found, can_read_personal_data(user))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    headings = [str(heading) for heading in HEADINGS]
    if spreadsheet_format == "xlsx":
        content = write_xlsx(headings, [[c.value for c in row] for row in table], title=_("Inscriptions"))
        answer = HttpResponse(content, content_type=XLSX_TYPE)
    else:
        answer = HttpResponse(
            write_csv(headings, [[c.text for c in row] for row in table]), content_type="text/csv; charset=utf-8"
        )
    answer["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{spreadsheet_format}"'
    answer["Cache-Control"] = "private, no-store"
    return answer
