"""What the signed-in applicant owns, always found through their address.

Every view of the space gets its objects from here, filtered by the signed-in address:
an id that belongs to someone else is a 404, exactly like an id that does not exist.
"""

from django.db.models import Prefetch

from calls.models import Application, Draft, Status
from moderation.models import HistoryEntry


def owned_applications(email):
    return Application.objects.filter(applicant_email__iexact=email, is_spam=False)


def owned_application(email, pk):
    return owned_applications(email).select_related("page").filter(pk=pk).first()


def owned_drafts(email):
    return Draft.objects.filter(email__iexact=email)


def owned_draft(email, pk):
    return owned_drafts(email).select_related("page").filter(pk=pk).first()


def drafts_with_files(email):
    return list(owned_drafts(email).select_related("page").prefetch_related("files").order_by("-updated_at", "-pk"))


def is_known(email):
    """Whether the address has anything in the space (never told to the visitor)."""
    return owned_applications(email).exists() or owned_drafts(email).exists()


def applications_with_history(email):
    """The applicant's applications, newest first, each with its status changes."""
    history = HistoryEntry.objects.filter(kind=HistoryEntry.Kind.TRANSITION).order_by("created_at", "pk")
    return list(
        owned_applications(email)
        .select_related("page")
        .prefetch_related(Prefetch("history", queryset=history, to_attr="status_changes"))
        .order_by("-submit_time", "-pk")
    )


def team_request(application):
    """The team's last request for information (the comment of the move), if any."""
    for entry in reversed(application.status_changes):
        if entry.to_status == Status.INFORMATIONS_DEMANDEES:
            return entry
    return None


def steps(application):
    """The status changes as the applicant reads them: (date, label, comment)."""
    items = [{"date": application.submit_time, "label": Status.RECUE.label, "comment": ""}]
    for entry in application.status_changes:
        items.append(
            {
                "date": entry.created_at,
                "label": entry.get_to_status_display(),
                "comment": entry.comment if entry.to_status == Status.INFORMATIONS_DEMANDEES else "",
            }
        )
    return items
