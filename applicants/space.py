"""What the signed-in applicant owns, always found through their address.

Every view of the space gets its objects from here, filtered by the signed-in address:
an id that belongs to someone else is a 404, exactly like an id that does not exist.
"""

from django.db.models import Prefetch

from calls.models import Application, Draft, Status
from laureates.space import is_laureate
from moderation.models import HistoryEntry


def owned_applications(email):
    return Application.objects.filter(applicant_email__iexact=email, is_spam=False)


def owned_application(email, pk):
    return owned_applications(email).select_related("page").filter(pk=pk).first()


def owned_drafts(email):
    """Drafts whose owner opened the emailed link (calls/drafts.py): anyone can type an
    address, so a draft saved with it reaches that space only once the address confirmed."""
    return Draft.objects.filter(email__iexact=email, email_confirmed_at__isnull=False)


def owned_draft(email, pk):
    return owned_drafts(email).select_related("page").filter(pk=pk).first()


def drafts_with_files(email):
    return list(owned_drafts(email).select_related("page").prefetch_related("files").order_by("-updated_at", "-pk"))


def is_known(email):
    """Whether the address has anything in the space (never told to the visitor)."""
    return owned_applications(email).exists() or owned_drafts(email).exists() or is_laureate(email)


SHOWN_KINDS = (HistoryEntry.Kind.TRANSITION, HistoryEntry.Kind.APPLICANT_ANSWER)


def _with_history(queryset):
    history = HistoryEntry.objects.filter(kind__in=SHOWN_KINDS).order_by("created_at", "pk")
    return (
        queryset.select_related("page")
        .prefetch_related(Prefetch("history", queryset=history, to_attr="shown_history"))
        .order_by("-submit_time", "-pk")
    )


def applications_with_history(email):
    """The applicant's applications, newest first, each with its status changes and answers."""
    applications = list(_with_history(owned_applications(email)))
    for application in applications:
        _split(application)
    return applications


def application_with_history(email, pk):
    application = _with_history(owned_applications(email).filter(pk=pk)).first()
    if application is not None:
        _split(application)
    return application


# What the applicant is told is only what was announced to them. Shortlisting is the team's
# own step: meanwhile the applicant reads « En instruction ». (A staged decision is no move at
# all until it is announced: ``moderation.workflow.stage_decision``.)
INTERNAL_STATUSES = {Status.PRESELECTIONNEE: Status.EN_INSTRUCTION}


def shown_status(status):
    """The status as the applicant may know it (a ``Status``)."""
    return Status(INTERNAL_STATUSES.get(status, status))


def _split(application):
    application.status_changes = [
        e
        for e in application.shown_history
        if e.kind == HistoryEntry.Kind.TRANSITION and e.to_status not in INTERNAL_STATUSES
    ]
    application.shown_status_label = shown_status(application.status).label
    application.answers_sent = [e for e in application.shown_history if e.kind == HistoryEntry.Kind.APPLICANT_ANSWER]


def applicant_answers(application):
    return application.answers_sent


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
