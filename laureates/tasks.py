"""The laureates' emails, sent by django-tasks with ``calls.tasks.send_with_retries``."""

from django_tasks import task

from calls.tasks import enqueue_or_log, send_with_retries

from . import emails
from .models import Milestone


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
