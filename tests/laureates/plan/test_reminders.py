"""Reminders before a milestone's due date: queued once, never twice (a second run, the
scheduler's job), not for a milestone done, far away or of a laureate who left; a new date
is reminded again."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from home import scheduler
from laureates import plan
from laureates.models import Milestone, MilestoneStatus
from laureates.reminders import remind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_reminder_is_sent_once(awa_laureate, bilal_laureate, django_capture_on_commit_callbacks):
    # Both laureates' « Signature » is due in 10 days; « Travaux » in 60.
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(10) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["awa@example.org", "bilal@example.org"]
    message = next(m for m in mail.outbox if m.to == ["awa@example.org"])
    assert "Signature de la convention" in message.subject
    assert f"/espace-candidat/laureat/{awa_laureate.pk}/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(10) == 0
        call_command("remind_milestones", "--days", "10")
    assert len(mail.outbox) == 2
    signature = awa_laureate.milestones.get(label="Signature de la convention")
    assert signature.reminder_sent_at is not None
    assert awa_laureate.history.filter(action="Rappel envoyé : Signature de la convention").count() == 1


def test_not_for_a_milestone_done_far_away_or_a_laureate_who_left(
    awa_laureate, bilal_laureate, django_capture_on_commit_callbacks
):
    plan.mark_milestone_done(awa_laureate.milestones.get(label="Signature de la convention"), "Signée.", [])
    bilal_laureate.left_at = timezone.now()
    bilal_laureate.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(9) == 0  # due in 10 days: not yet
        assert remind(30) == 0  # done, or left
    assert mail.outbox == []


def test_a_new_date_is_reminded_again(awa_laureate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(10) == 1
    signature = awa_laureate.milestones.get(label="Signature de la convention")
    plan.change_milestone(
        signature, UserFactory(), timezone.localdate() + datetime.timedelta(days=5), MilestoneStatus.A_FAIRE
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(10) == 1
    assert len(mail.outbox) == 2


def test_the_scheduler_runs_the_reminders(awa_laureate, django_capture_on_commit_callbacks):
    job = next(job for job in scheduler.jobs() if job.name == "remind_milestones")
    assert job.command == "remind_milestones" and settings.LAUREATES_MILESTONE_REMINDER_DAYS == 7
    Milestone.objects.filter(laureate=awa_laureate, label="Signature de la convention").update(
        due_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler.run(job) is not None
        assert scheduler.run(job) is None  # the same period: claimed already
    assert [m.to for m in mail.outbox] == [["awa@example.org"]]
