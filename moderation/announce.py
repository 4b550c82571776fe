"""Announcing a call's staged decisions together (« Annoncer les décisions »).

Moderators stage « lauréate » and « non retenue » one by one or in bulk
(``workflow.stage_decision``); nothing is sent. Announcing takes every staged decision of
the call not yet announced into an ``Announcement`` for now or for a chosen time (Paris
time). When it is due, ``run_due_announcements`` moves each application to its decision
(``workflow.transition``, recorded in the history) and queues its email
(``tasks.send_decision_email``, sent at most once).

A later announcement is run by a task deferred to its time on the database queue, and by
``manage.py announce_decisions`` (for a cron, and for backends that cannot defer); running
it twice announces nothing twice (the announcement is locked and marked done).
"""

from dataclasses import dataclass, field
from functools import partial

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from calls.tasks import enqueue_or_log

from . import emails
from .models import Announcement, Decision, DecisionOutcome, HistoryEntry
from .signals import decision_announced
from .tasks import enqueue_decision_email
from .workflow import FINAL, TransitionNotAllowed, drop_staged_decision, transition


class NothingToAnnounce(Exception):
    pass


def staged_decisions(page):
    """The call's decisions staged and not yet in an announcement, on applications still open
    (a withdrawn application's decision is never announced: ``workflow.transition`` deletes it,
    and this filter leaves out any older one)."""
    return (
        Decision.objects.filter(application__page=page, announcement__isnull=True, announced_at__isnull=True)
        .exclude(application__status__in=FINAL)
        .select_related("application", "application__page")
    )


def pending_announcements(page):
    return Announcement.objects.filter(page=page, done_at__isnull=True).order_by("scheduled_for")


@dataclass
class OutcomeSummary:
    outcome: str
    label: str
    count: int = 0
    emails: int = 0
    without_email: list = field(default_factory=list)
    text: object = None
    warnings: list = field(default_factory=list)
    preview: object = None
    preview_name: str = ""


def summary(page):
    """Per outcome: how many decisions, how many emails, the text's warnings and a preview
    of the email written for a real applicant of the call."""
    decisions = list(staged_decisions(page).order_by("application__reference"))
    result = []
    for outcome, label in DecisionOutcome.choices:
        item = OutcomeSummary(outcome=outcome, label=str(label))
        item.text = emails.decision_text(page, outcome)
        of_kind = [d for d in decisions if d.outcome == outcome]
        item.count = len(of_kind)
        for decision in of_kind:
            application = decision.application
            if application.applicant_email and item.text is not None:
                item.emails += 1
                if item.preview is None:
                    item.preview = emails.build_decision(application, outcome, text=item.text)
                    item.preview_name = application.applicant_name or application.reference
            else:
                item.without_email.append(application)
        if item.count:
            item.warnings = emails.text_warnings(item.text)
        result.append(item)
    return result


def announce(page, user, when=None):
    """Put the call's staged decisions into one announcement, for ``when`` (now by default).

    Returns the Announcement; raises ``NothingToAnnounce``. Due now, it is run at once (the
    emails leave after the commit); later, a task is queued for its time where the backend can
    defer, and ``manage.py announce_decisions`` runs it otherwise.
    """
    now = timezone.now()
    when = when or now
    with transaction.atomic():
        ids = list(staged_decisions(page).select_for_update().values_list("pk", flat=True))
        if not ids:
            raise NothingToAnnounce
        announcement = Announcement.objects.create(page=page, created_by=user, scheduled_for=when)
        Decision.objects.filter(pk__in=ids).update(announcement=announcement)
        stamp = timezone.localtime(when).strftime("%d/%m/%Y %H:%M")
        HistoryEntry.objects.bulk_create(
            [
                HistoryEntry(
                    application_id=application_id,
                    kind=HistoryEntry.Kind.ANNOUNCEMENT,
                    user=user,
                    user_name=(user.get_full_name() or user.get_username())[:255] if user else "",
                    comment=_("Décision annoncée le %(date)s (heure de Paris).") % {"date": stamp},
                )
                for application_id in Decision.objects.filter(pk__in=ids).values_list("application_id", flat=True)
            ]
        )
        if when <= now:
            # In the same transaction: the moves are made with the announcement or not at all;
            # the emails are queued after the commit.
            run_announcement(announcement.pk)
        elif run_announcements.get_backend().supports_defer:
            deferred = run_announcements.using(run_after=when)
            transaction.on_commit(partial(enqueue_or_log, deferred, what="a scheduled announcement"), robust=True)
    return announcement


def cancel_announcement(announcement, user):
    """A scheduled announcement not yet run: its decisions are staged again. False if run."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if locked.done_at is not None:
            return False
        application_ids = list(locked.decisions.values_list("application_id", flat=True))
        locked.decisions.update(announcement=None)
        for application_id in application_ids:
            HistoryEntry.objects.create(
                application_id=application_id,
                kind=HistoryEntry.Kind.ANNOUNCEMENT,
                user=user,
                comment=_("Annonce programmée annulée : la décision reste à annoncer."),
            )
        locked.delete()
    return True


def run_announcement(announcement_id):
    """Apply the decisions of one due announcement; returns the decisions announced."""
    announced = []
    with transaction.atomic():
        announcement = Announcement.objects.select_for_update().filter(pk=announcement_id).first()
        if announcement is None or announcement.done_at is not None:
            return announced
        now = timezone.now()
        if announcement.scheduled_for > now:
            return announced
        decisions = announcement.decisions.filter(announced_at__isnull=True).select_related("application")
        for decision in decisions:
            try:
                transition(decision.application, decision.outcome, announcement.created_by, decision.comment)
            except TransitionNotAllowed as refusal:
                HistoryEntry.objects.create(
                    application_id=decision.application_id,
                    kind=HistoryEntry.Kind.ANNOUNCEMENT,
                    comment=str(refusal),
                )
                if refusal.application.status in FINAL:
                    # Withdrawn meanwhile: the decision goes, never to be announced again.
                    drop_staged_decision(decision.application_id, announcement.created_by)
                else:
                    # Any other refusal: the decision stays staged, for a person to look at.
                    Decision.objects.filter(pk=decision.pk).update(announcement=None)
                continue
            Decision.objects.filter(pk=decision.pk).update(announced_at=now)
            decision.announced_at = now
            decision_announced.send(sender=Decision, decision=decision, user=announcement.created_by)
            transaction.on_commit(partial(enqueue_decision_email, decision.pk), robust=True)
            announced.append(decision)
        announcement.done_at = now
        announcement.save(update_fields=["done_at"])
    return announced


def run_due_announcements(now=None):
    """Run every announcement whose time has come; returns the decisions announced."""
    now = now or timezone.now()
    announced = []
    due = Announcement.objects.filter(done_at__isnull=True, scheduled_for__lte=now).values_list("pk", flat=True)
    for announcement_id in list(due):
        announced += run_announcement(announcement_id)
    return announced


@task()
def run_announcements():
    """The deferred task of a scheduled announcement: whatever is due by then."""
    return len(run_due_announcements())


def paris(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y à %H:%M")


class AnnounceForm(forms.Form):
    WHEN_CHOICES = [("now", gettext_lazy("Maintenant")), ("later", gettext_lazy("À une date et une heure"))]

    send = forms.ChoiceField(label=gettext_lazy("Envoi"), choices=WHEN_CHOICES, initial="now", widget=forms.RadioSelect)
    scheduled_for = forms.DateTimeField(
        label=gettext_lazy("Date et heure (heure de Paris)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    confirm_warnings = forms.BooleanField(
        label=gettext_lazy("J'ai relu les avertissements et j'envoie quand même"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("send") == "later":
            moment = cleaned.get("scheduled_for")
            if moment is None:
                self.add_error("scheduled_for", _("Indiquez la date et l'heure de l'annonce."))
            elif moment <= timezone.now():
                self.add_error(
                    "scheduled_for", _("Cette date est passée : choisissez « Maintenant » ou une date à venir.")
                )
        return cleaned

    def when(self):
        return self.cleaned_data.get("scheduled_for") if self.cleaned_data.get("send") == "later" else None
