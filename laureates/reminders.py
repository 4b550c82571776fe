"""Reminding laureates of a milestone before its due date (``manage.py remind_milestones``,
a periodic job of ``home/scheduler.py``).

A milestone is reminded once: the run locks its row, checks ``reminder_sent_at`` is still
empty and sets it before the email is queued (after the commit, ``tasks.send_milestone_reminder``
with its retries), so a second run, or two at once, never sends it twice. The team moving the
due date (``plan.change_milestone``) empties ``reminder_sent_at``: the new date is reminded.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Actor, Laureate, Milestone, MilestoneStatus
from .services import write_history
from .tasks import enqueue_milestone_reminder


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
