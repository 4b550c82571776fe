"""The moderation workflow of an application: its states and the allowed moves between them.

    reçue → en instruction → présélectionnée → lauréate | non retenue
                 ↕
       informations demandées

An application in instruction can also be turned down without being shortlisted, and an
applicant can withdraw at any step before the decision (« retirée »). Lauréate, non
retenue and retirée are final.

Asking for information (« informations demandées ») needs a message: it is emailed to the
applicant, with the link to their space, where they answer; their answer moves the
application back to « en instruction » (``applicants/``).

Each move is made by ``transition()``: it locks the row, checks that the move is allowed
from the state the application is in *now* (not the one a stale page showed), writes the
new state and an entry of the append-only history (who, when, from, to, comment).

The decisions (« lauréate », « non retenue ») are not moved to by a click: a moderator
*stages* them (``stage_decision``, a ``Decision`` row, reversible by ``cancel_decision``);
the application keeps its status and nobody is emailed. The call's decisions are then
announced together (``moderation/announce.py``), which makes the moves with
``transition()`` and queues each applicant's email once. A withdrawal (« retirée ») deletes
the staged decision not yet announced, in the same transaction (``drop_staged_decision``).

The states themselves (``Status``) belong to the application, in ``calls/models.py``.
Who may move what is decided by ``moderation/access.py``.
"""

from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Application, Status, status_label

from .models import Decision, HistoryEntry
from .tasks import enqueue_information_request

# The decisions the applicant is told about by email.
DECISIONS = frozenset({Status.LAUREATE, Status.NON_RETENUE})
FINAL = frozenset({Status.LAUREATE, Status.NON_RETENUE, Status.RETIREE})

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECUE: (Status.EN_INSTRUCTION, Status.RETIREE),
    Status.EN_INSTRUCTION: (
        Status.PRESELECTIONNEE,
        Status.INFORMATIONS_DEMANDEES,
        Status.NON_RETENUE,
        Status.RETIREE,
    ),
    Status.INFORMATIONS_DEMANDEES: (Status.EN_INSTRUCTION, Status.RETIREE),
    Status.PRESELECTIONNEE: (Status.LAUREATE, Status.NON_RETENUE, Status.RETIREE),
    Status.LAUREATE: (),
    Status.NON_RETENUE: (),
    Status.RETIREE: (),
}

# What the button says, by (from, to); the default is the target's label.
ACTION_LABELS = {
    (Status.RECUE, Status.EN_INSTRUCTION): _("Passer en instruction"),
    (Status.INFORMATIONS_DEMANDEES, Status.EN_INSTRUCTION): _("Informations reçues : reprendre l'instruction"),
    (Status.EN_INSTRUCTION, Status.INFORMATIONS_DEMANDEES): _("Demander des informations"),
    (Status.EN_INSTRUCTION, Status.PRESELECTIONNEE): _("Présélectionner"),
    (Status.PRESELECTIONNEE, Status.LAUREATE): _("Préparer : lauréate"),
    (Status.EN_INSTRUCTION, Status.NON_RETENUE): _("Préparer : non retenue"),
    (Status.PRESELECTIONNEE, Status.NON_RETENUE): _("Préparer : non retenue"),
}
# « Retirée » is the applicant's withdrawal, recorded by the team at their request: never to be
# mistaken for removing a reviewer (« Retirer … du jury de cette candidature »).
WITHDRAWN = _("Marquer comme retirée par le candidat")
ACTION_LABELS.update(
    {(source, Status.RETIREE): WITHDRAWN for source, targets in TRANSITIONS.items() if Status.RETIREE in targets}
)


def allowed_targets(status):
    """The states an application in ``status`` can move to, in a stable order."""
    return TRANSITIONS.get(status, ())


def is_allowed(source, target):
    return target in allowed_targets(source)


def is_locked(decision):
    """A staged decision the announcement already has: it can no longer be replaced."""
    return decision is not None and bool(decision.announcement_id or decision.announced_at)


def can_move(status, target, decision=None):
    """Whether ``bulk_transition`` would move an application in ``status`` (with its staged
    ``decision``, if any) to ``target``: the rule of ``transition`` and ``stage_decision``,
    for the pages that offer the move (the ranking's « Préparer : lauréate »)."""
    if not is_allowed(status, target):
        return False
    return not (target in DECISIONS and is_locked(decision))


def action_label(source, target):
    return ACTION_LABELS.get((source, target)) or _("Passer à « %(status)s »") % {"status": status_label(target)}


def is_decided(status):
    return status in FINAL


class TransitionNotAllowed(Exception):
    """The move is not allowed from the state the application is in."""

    def __init__(self, application, target):
        self.application = application
        self.target = target
        super().__init__(
            _("La candidature %(reference)s ne peut pas passer de « %(source)s » à « %(target)s ».")
            % {
                "reference": application.reference,
                "source": status_label(application.status),
                "target": status_label(target),
            }
        )


class MessageRequired(TransitionNotAllowed):
    """Asking for information needs the message the applicant will receive."""

    def __init__(self, application, target):
        self.application = application
        self.target = target
        Exception.__init__(
            self,
            _("Écrivez au candidat ce que vous lui demandez : le message lui est envoyé par courriel."),
        )


@dataclass
class BulkResult:
    done: list = field(default_factory=list)
    refused: list = field(default_factory=list)


def transition(application, target, user, comment=""):
    """Move ``application`` to ``target`` and record it; return the history entry.

    The row is locked and read again first, so two moderators clicking at once cannot
    both move it (the second is refused). Raises ``TransitionNotAllowed``.
    """
    with transaction.atomic():
        current = Application.objects.select_for_update().only("pk", "status", "reference").get(pk=application.pk)
        if not is_allowed(current.status, target):
            application.status = current.status
            raise TransitionNotAllowed(current, target)
        if target == Status.INFORMATIONS_DEMANDEES and not comment.strip():
            raise MessageRequired(current, target)
        Application.objects.filter(pk=current.pk).update(status=target)
        entry = HistoryEntry.objects.create(
            application_id=current.pk,
            kind=HistoryEntry.Kind.TRANSITION,
            user=user,
            from_status=current.status,
            to_status=target,
            comment=comment.strip(),
        )
        if target == Status.INFORMATIONS_DEMANDEES:
            # The message goes to the applicant with the link to their space.
            transaction.on_commit(partial(enqueue_information_request, entry.pk), robust=True)
        if target in FINAL and target not in DECISIONS:
            drop_staged_decision(current.pk, user)
    application.status = target
    return entry


def drop_staged_decision(application_id, user):
    """A withdrawn application takes its staged decision with it (even one already put into a
    scheduled announcement that has not run): nothing is left for « Annoncer » to announce.
    Called inside ``transition``'s transaction, the application row locked."""
    decision = Decision.objects.select_for_update().filter(application_id=application_id).first()
    if decision is None or decision.announced_at is not None:
        return False
    decision.delete()
    HistoryEntry.objects.create(
        application_id=application_id,
        kind=HistoryEntry.Kind.DECISION_CANCELLED,
        user=user,
        to_status=decision.outcome,
        comment=_("Candidature retirée : la décision préparée est annulée, elle ne sera pas annoncée."),
    )
    return True


class DecisionLocked(Exception):
    """The decision is already announced (or being announced): it can no longer change."""


def stage_decision(application, outcome, user, comment="", amount=None):
    """Record « lauréate » / « non retenue » as a decision to announce; return the Decision.

    ``amount`` (a Decimal, euros) is the amount granted with « lauréate » (kept on the
    Decision, copied to the laureate's record when announced); « non retenue » has none.

    The move must be allowed from the application's current state (read under a lock);
    a staged decision not yet announced is replaced. Nothing is emailed. Raises
    ``TransitionNotAllowed`` or ``DecisionLocked``.
    """
    if outcome not in DECISIONS:
        raise TransitionNotAllowed(application, outcome)
    with transaction.atomic():
        current = Application.objects.select_for_update().only("pk", "status", "reference").get(pk=application.pk)
        if not is_allowed(current.status, outcome):
            raise TransitionNotAllowed(current, outcome)
        decision = Decision.objects.select_for_update().filter(application_id=current.pk).first()
        if is_locked(decision):
            raise DecisionLocked(current)
        if decision is None:
            decision = Decision(application_id=current.pk)
        decision.outcome = outcome
        decision.comment = comment.strip()
        decision.amount = amount if outcome == Status.LAUREATE else None
        decision.staged_by = user
        decision.staged_at = timezone.now()
        decision.save()
        HistoryEntry.objects.create(
            application_id=current.pk,
            kind=HistoryEntry.Kind.DECISION_STAGED,
            user=user,
            from_status=current.status,
            to_status=outcome,
            comment=comment.strip(),
        )
    return decision


def cancel_decision(application, user):
    """Withdraw a staged decision not yet announced; returns False when there is none.
    Raises ``DecisionLocked`` once the announcement has it."""
    with transaction.atomic():
        Application.objects.select_for_update().only("pk").get(pk=application.pk)
        decision = Decision.objects.select_for_update().filter(application_id=application.pk).first()
        if decision is None:
            return False
        if decision.announcement_id or decision.announced_at:
            raise DecisionLocked(application)
        decision.delete()
        HistoryEntry.objects.create(
            application_id=application.pk,
            kind=HistoryEntry.Kind.DECISION_CANCELLED,
            user=user,
            to_status=decision.outcome,
        )
    return True


def bulk_transition(applications, target, user, comment=""):
    """Move each application that allows it (a decision is staged, not made); the others
    are reported, not moved.

    ``applications`` must already be limited to what ``user`` may move: each one is
    still checked against its own current state.
    """
    result = BulkResult()
    move = stage_decision if target in DECISIONS else transition
    for application in applications:
        try:
            move(application, target, user, comment)
        except (TransitionNotAllowed, DecisionLocked):
            result.refused.append(application)
        else:
            result.done.append(application)
    return result
