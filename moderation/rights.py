"""The applicant's rights exercised from their space (RGPD): erasure and correction.

- **Erasure.** With no decision pending (every application withdrawn or not selected, no
  staged decision, not a laureate), the space erases at once (``rgpd.erase_applicant``, the
  team's own erasure with its history entry). Otherwise the request is recorded
  (``ErasureRequest``, one open per address), shown on the admin's dashboard with its
  deadline, one month after the request (overdue first), and carried out by the team in one
  action (``carry_out``): the applications still under review are withdrawn (their staged
  decision dropped), everything is erased, and the applicant is emailed once
  (``tasks.send_erasure_done_email``), after which the address is cleared from the request.
- **Correction.** The applicant's text is recorded in the application's history
  (``CORRECTION_REQUEST``) and emailed to the team; the same text sent twice (a double
  click) is recorded once. ``rgpd.erase`` clears it with the applicant's other texts.
"""

from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Application, Draft, Status

from . import rgpd, workflow
from .models import Decision, ErasureRequest, HistoryEntry
from .tasks import enqueue_correction_notification, enqueue_erasure_done_email

DEADLINE_MONTHS = 1
CORRECTION_MAX_LENGTH = 2000
# An application in one of these states, not erased, holds no pending decision.
SETTLED = (Status.NON_RETENUE, Status.RETIREE)


class AlreadyDone(Exception):
    """The request was carried out already."""


def deadline(erasure_request):
    """One month after the request (the RGPD's time to answer)."""
    return rgpd.months_before(erasure_request.requested_at, -DEADLINE_MONTHS)


def pending_applications(email):
    """The address's applications, not erased, whose outcome is not settled: under review, or
    with a staged decision, or laureate."""
    live = Application.objects.filter(applicant_email__iexact=email, is_spam=False).annotate(
        erased=rgpd.erased_filter(), staged=Exists(Decision.objects.filter(application=OuterRef("pk")))
    )
    return live.filter(erased=False).exclude(status__in=SETTLED, staged=False)


def needs_the_team(email, laureate=False):
    """Whether an erasure asked from the space waits for the team (``laureate``: the address
    is a laureate's, which the layer above knows)."""
    return laureate or pending_applications(email).exists()


def open_request(email):
    return ErasureRequest.objects.filter(email=email.lower(), done_at__isnull=True).first()


def request_erasure(email):
    """Record the address's erasure request; return ``(request, created)``. A second request
    while one is open (a double click, two tabs) returns the open one."""
    email = email.lower()
    existing = open_request(email)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return ErasureRequest.objects.create(email=email), True
    except IntegrityError:
        return open_request(email), False


def open_requests():
    """The requests still to carry out, the oldest deadline (overdue ones) first."""
    requests = list(ErasureRequest.objects.filter(done_at__isnull=True).order_by("requested_at", "pk"))
    now = timezone.now()
    for item in requests:
        item.deadline = deadline(item)
        item.overdue = item.deadline < now
    return requests


def concerned(erasure_request):
    """What carrying out the request erases: the address's applications not erased yet, and
    how many drafts."""
    applications = list(
        Application.objects.filter(applicant_email__iexact=erasure_request.email)
        .annotate(erased=rgpd.erased_filter())
        .filter(erased=False)
        .select_related("page")
        .order_by("pk")
    )
    return applications, Draft.objects.filter(email__iexact=erasure_request.email).count()


def carry_out(request_id, user):
    """Withdraw the applications still under review, erase everything the address holds, mark
    the request done and queue the applicant's email. Raises ``AlreadyDone`` the second time."""
    with transaction.atomic():
        erasure_request = ErasureRequest.objects.select_for_update().get(pk=request_id)
        if erasure_request.done_at is not None:
            raise AlreadyDone
        email = erasure_request.email
        reason = _("Effacement demandé par le candidat depuis son espace, le %(date)s.") % {
            "date": timezone.localtime(erasure_request.requested_at).strftime("%d/%m/%Y")
        }
        for application in pending_applications(email):
            if workflow.is_allowed(application.status, Status.RETIREE):
                workflow.transition(application, Status.RETIREE, user, reason)
            else:
                workflow.drop_staged_decision(application.pk, user)
        references, _drafts = rgpd.erase_applicant(email, user, reason=reason)
        ErasureRequest.objects.filter(pk=request_id).update(
            done_at=timezone.now(), done_by=user, references=", ".join(references)
        )
        transaction.on_commit(partial(enqueue_erasure_done_email, request_id), robust=True)
    return references


def request_correction(application, text):
    """Record the applicant's correction request and email the team; return the history
    entry, or None when the same text was recorded already (a double click)."""
    text = text.strip()
    with transaction.atomic():
        current = Application.objects.select_for_update().only("pk").get(pk=application.pk)
        if HistoryEntry.objects.filter(
            application=current, kind=HistoryEntry.Kind.CORRECTION_REQUEST, comment=text
        ).exists():
            return None
        entry = HistoryEntry.objects.create(
            application=current, kind=HistoryEntry.Kind.CORRECTION_REQUEST, comment=text
        )
        transaction.on_commit(partial(enqueue_correction_notification, entry.pk), robust=True)
    return entry
