"""The laureates' emails, sent by django-tasks with ``calls.tasks.send_with_retries``."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from calls.tasks import SENT, enqueue_or_log, send_with_retries

from . import emails
from .models import Milestone, Report, ReportReminder


@task()
def send_milestone_reminder(milestone_id, attempt=1):
    milestone = Milestone.objects.select_related("laureate").filter(pk=milestone_id).first()
    if milestone is None or not milestone.laureate.contact_email or not milestone.laureate.is_member:
        return "nothing to do"
    return send_with_retries(
        emails.reminder_message(milestone),
        send_milestone_reminder,
        milestone_id,
        attempt=attempt,
        what=f"milestone reminder {milestone_id}",
    )


def enqueue_milestone_reminder(milestone_id):
    enqueue_or_log(send_milestone_reminder, milestone_id, what=f"milestone reminder {milestone_id}")


@task()
def send_report_reminder(reminder_id, attempt=1):
    """Send a report's reminder once: the row is locked and skipped once ``sent_at`` is set (as
    the network's ``send_registration_email``); nothing when the laureate left, has no address
    any more, or sent the report meanwhile."""
    with transaction.atomic():
        reminder = (
            ReportReminder.objects.select_for_update(of=("self",))
            .select_related("laureate", "report_form")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:
            return "nothing to do"
        laureate = reminder.laureate
        if (
            not laureate.is_member
            or not laureate.contact_email
            or laureate.contact_erased_at is not None
            or Report.objects.filter(laureate=laureate, report_form=reminder.report_form).exists()
        ):
            return "no longer applies"
        outcome = send_with_retries(
            emails.report_reminder_message(reminder),
            send_report_reminder,
            reminder_id,
            attempt=attempt,
            what=f"report reminder {reminder_id}",
        )
        if outcome == SENT:
            reminder.sent_at = timezone.now()
            reminder.save(update_fields=["sent_at"])
    return outcome


def enqueue_report_reminder(reminder_id):
    enqueue_or_log(send_report_reminder, reminder_id, what=f"report reminder {reminder_id}")
