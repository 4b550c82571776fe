"""Attendance figures for the team: the sessions held, attendance per session and per
laureate. Shown in a panel of the admin's home (the latest sessions, the laureates) and in
full on the attendance's index page.

A session is held once it has started (``attendance.is_held``) and is live. Counts are
aggregations over the confirmed registrations (one query per table, whatever the number of
sessions, registrations or laureates).
"""

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from .models import Attendance, Registration, RegistrationStatus, SessionPage


def marks():
    """The attendance counted, by the name of its count."""
    return {
        "present": Attendance.PRESENT,
        "absent": Attendance.ABSENT,
        "excused": Attendance.EXCUSE,
        "unknown": Attendance.INCONNUE,
    }


def counts(prefix="", target="pk"):
    """The annotations counting confirmed registrations by attendance; ``prefix`` and
    ``target`` reach the registrations from another model (a session's)."""
    confirmed = Q(**{f"{prefix}status": RegistrationStatus.CONFIRMEE})
    result = {"confirmed": Count(target, filter=confirmed)}
    for name, value in marks().items():
        result[name] = Count(target, filter=confirmed & Q(**{f"{prefix}attendance": value}))
    return result


def session_counts():
    """The annotations of a session: its confirmed registrations by attendance."""
    return counts("registrations__", "registrations")


def held_sessions(now=None):
    return SessionPage.objects.live().filter(starts_at__lte=now or timezone.now())


def held_count(now=None):
    return held_sessions(now).count()


def per_session(limit=None, now=None):
    """``[{"session", "confirmed", "present", "absent", "excused", "unknown", "rate"}]`` for the
    sessions held, latest first (one query)."""
    sessions = held_sessions(now).select_related("kind").annotate(**session_counts()).order_by("-starts_at", "-pk")
    if limit:
        sessions = sessions[:limit]
    return [
        {
            "session": session,
            "confirmed": session.confirmed,
            "present": session.present,
            "absent": session.absent,
            "excused": session.excused,
            "unknown": session.unknown,
            "rate": _rate(session.present, session.confirmed - session.unknown),
        }
        for session in sessions
    ]


def per_laureate(limit=None, now=None):
    """``[{"laureate_id", "business_name", "town", "confirmed", "present", "absent", "excused",
    "unknown", "rate"}]``: each laureate with a confirmed registration to a session held, by
    business name (one query)."""
    rows = (
        Registration.objects.filter(
            laureate__isnull=False,
            session__in=held_sessions(now).values("pk"),
        )
        .values("laureate_id", "laureate__business_name", "laureate__town")
        .annotate(**counts())
        .filter(confirmed__gt=0)
        .order_by("laureate__business_name", "laureate_id")
    )
    if limit:
        rows = rows[:limit]
    return [
        {
            "laureate_id": row["laureate_id"],
            "business_name": row["laureate__business_name"],
            "town": row["laureate__town"],
            "confirmed": row["confirmed"],
            "present": row["present"],
            "absent": row["absent"],
            "excused": row["excused"],
            "unknown": row["unknown"],
            "rate": _rate(row["present"], row["confirmed"] - row["unknown"]),
        }
        for row in rows
    ]


def _rate(present, marked):
    """The share of present among the marked, as a whole percentage; ``None`` before marking."""
    if not marked:
        return None
    return round(100 * present / marked)


SHOWN_ON_DASHBOARD = 5


class AttendancePanel(Component):
    name = "network_attendance"
    order = 96
    template_name = "network/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        return {
            "held": held_count(),
            "sessions": per_session(limit=SHOWN_ON_DASHBOARD),
            "laureates": per_laureate(limit=SHOWN_ON_DASHBOARD * 2),
        }
