"""A withdrawal takes the staged decision with it: « Annoncer » never announces a withdrawn
application, once or again, whether it was withdrawn by the team, by the applicant from their
space, or between scheduling an announcement and its time."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applicants.actions import withdraw
from calls.models import Status
from moderation.announce import NothingToAnnounce, announce, run_due_announcements, staged_decisions, summary
from moderation.models import Decision, HistoryEntry
from moderation.workflow import stage_decision, transition
from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def announced_entries(application):
    return application.history.filter(kind=HistoryEntry.Kind.ANNOUNCEMENT)


def test_a_withdrawal_clears_the_staged_decision(call, moderator):
    application = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE)
    stage_decision(application, Status.LAUREATE, moderator)
    transition(application, Status.RETIREE, moderator)
    assert not Decision.objects.filter(application=application).exists()
    entry = application.history.filter(kind=HistoryEntry.Kind.DECISION_CANCELLED).get()
    assert entry.to_status == Status.LAUREATE and "retirée" in entry.comment


def test_the_applicants_withdrawal_clears_it_too(call, moderator):
    application = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    stage_decision(application, Status.NON_RETENUE, moderator)
    withdraw(application)
    application.refresh_from_db()
    assert application.status == Status.RETIREE
    assert not Decision.objects.filter(application=application).exists()


def test_announcing_again_and_again_never_announces_a_withdrawn_application(
    client, call, moderator, django_capture_on_commit_callbacks
):
    withdrawn = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE)
    kept = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE)
    stage_decision(withdrawn, Status.LAUREATE, moderator)
    stage_decision(kept, Status.NON_RETENUE, moderator)
    transition(withdrawn, Status.RETIREE, moderator)
    assert [item.count for item in summary(call)] == [0, 1]
    client.force_login(moderator)
    url = reverse("moderation:announce", args=[call.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"send": "now"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"send": "now"})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[kept.applicant_email]]
    assert not announced_entries(withdrawn).exists()
    withdrawn.refresh_from_db()
    assert withdrawn.status == Status.RETIREE
    with pytest.raises(NothingToAnnounce):
        announce(call, moderator)


def test_a_decision_left_from_before_is_not_announced(call, moderator):
    """A staged decision kept by a withdrawal made before this rule existed."""
    application = ApplicationFactory(page=call, status=Status.RETIREE)
    Decision.objects.create(application=application, outcome=Status.LAUREATE, staged_by=moderator)
    assert not staged_decisions(call).exists()
    with pytest.raises(NothingToAnnounce):
        announce(call, moderator)
    assert not announced_entries(application).exists()


def test_withdrawn_between_scheduling_and_the_announcement(call, moderator, django_capture_on_commit_callbacks):
    application = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE)
    stage_decision(application, Status.LAUREATE, moderator)
    later = timezone.now() + datetime.timedelta(hours=2)
    announce(call, moderator, when=later)
    transition(application, Status.RETIREE, moderator)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_announcements(now=later + datetime.timedelta(minutes=1)) == []
    assert mail.outbox == [] and not Decision.objects.exists()
    with pytest.raises(NothingToAnnounce):
        announce(call, moderator)
