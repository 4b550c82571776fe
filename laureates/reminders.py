"""Reminding laureates of a milestone before its due date (``manage.py remind_milestones``)
and of a report (« bilan ») to send before its form's due date (``manage.py remind_reports``),
both periodic jobs of ``home/scheduler.py``.

A milestone is reminded once: the run locks its row, checks ``reminder_sent_at`` is still
empty and sets it before the email is queued (after the commit, ``tasks.send_milestone_reminder``
with its retries), so a second run, or two at once, never sends it twice. The team moving the
due date (``plan.change_milestone``) empties ``reminder_sent_at``: the new date is reminded.

A report has no row before it is sent, so its reminder is claimed by a ``ReportReminder`` row,
unique per laureate and form, written under the laureate's lock with its history entry before
the email is queued (``tasks.send_report_reminder``, which locks the row, sends once and sets
``sent_at``): a second run, or two at once, find the row and send nothing. Only for a member
with an address (not erased) who has not sent the report, of an open form of its call.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Actor, Laureate, Milestone, MilestoneStatus, Report, ReportForm, ReportReminder
from .services import write_history
from .tasks import enqueue_milestone_reminder, enqueue_report_reminder


def due(days, today=None):
    """Milestones still to do, due within ``days`` days (today included), of members with an
    address, never reminded."""
    today = today or timezone.localdate()
    return (
        Milestone.objects.filter(
            status=MilestoneStatus.A_FAIRE,
            reminder_sent_at__isnull=True,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=days),
            laureate__in=Laureate.objects.members().exclude(contact_email=""),
        )
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )


def remind(days, today=None):
    """Queue one reminder per due milestone; return how many."""
    count = 0
    for pk in list(due(days, today)):
        with transaction.atomic():
            milestone = (
                Milestone.objects.select_for_update()
                .filter(pk=pk, reminder_sent_at__isnull=True, status=MilestoneStatus.A_FAIRE)
                .select_related("laureate")
                .first()
            )
            if milestone is None:
                continue
            milestone.reminder_sent_at = timezone.now()
            milestone.save(update_fields=["reminder_sent_at"])
            write_history(
                milestone.laureate,
                _("Rappel envoyé : %(label)s") % {"label": milestone.label},
                actor=Actor.SYSTEME,
            )
            transaction.on_commit(lambda m=milestone.pk: enqueue_milestone_reminder(m), robust=True)
        count += 1
    return count


# --- Reports (« bilans ») -------------------------------------------------------------------


def reachable(laureates):
    """The laureates a reminder can go to: members with an address, contact not erased."""
    return laureates.members().exclude(contact_email="").filter(contact_erased_at__isnull=True)


def reports_due(days, today=None):
    """``[(laureate pk, report form pk)]``: the open forms due within ``days`` days (today
    included), each laureate of their call who can be reached, has not sent the report and
    has not been reminded of it."""
    today = today or timezone.localdate()
    forms = ReportForm.objects.filter(
        is_open=True, due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days)
    ).order_by("due_on", "pk")
    pairs = []
    for report_form in forms:
        waiting = (
            reachable(Laureate.objects.filter(call_id=report_form.call_id))
            .annotate(
                sent=Exists(Report.objects.filter(laureate=OuterRef("pk"), report_form=report_form)),
                reminded=Exists(ReportReminder.objects.filter(laureate=OuterRef("pk"), report_form=report_form)),
            )
            .filter(sent=False, reminded=False)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        pairs += [(pk, report_form.pk) for pk in waiting]
    return pairs


def remind_reports(days, today=None):
    """Queue one reminder per laureate and report form due; return how many."""
    count = 0
    for laureate_pk, form_pk in reports_due(days, today):
        with transaction.atomic():
            laureate = reachable(Laureate.objects.select_for_update().filter(pk=laureate_pk)).first()
            report_form = ReportForm.objects.filter(pk=form_pk, is_open=True).first()
            if laureate is None or report_form is None or laureate.call_id != report_form.call_id:
                continue
            if Report.objects.filter(laureate=laureate, report_form=report_form).exists():
                continue
            try:
                with transaction.atomic():
                    reminder = ReportReminder.objects.create(laureate=laureate, report_form=report_form)
            except IntegrityError:  # another run claimed it first
                continue
            write_history(
                laureate, _("Rappel de bilan envoyé : %(title)s") % {"title": report_form.title}, actor=Actor.SYSTEME
            )
            transaction.on_commit(lambda r=reminder.pk: enqueue_report_reminder(r), robust=True)
        count += 1
    return count
