"""Staged decisions announced together: reversible until announced, one email per decision
whatever the retries, now or at a chosen time (Paris time), previews and warnings."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from calls.models import Status
from moderation.announce import NothingToAnnounce, announce, run_due_announcements, summary
from moderation.models import Announcement, Decision, DecisionEmail, HistoryEntry
from moderation.tasks import ALREADY_SENT, send_decision_email
from moderation.workflow import (
    DecisionLocked,
    TransitionNotAllowed,
    bulk_transition,
    cancel_decision,
    stage_decision,
    transition,
)
from tests.moderation.factories import ApplicationFactory, make_call

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def shortlisted(call, **kwargs):
    return ApplicationFactory(page=call, status=Status.PRESELECTIONNEE, **kwargs)


def announce_now(call, moderator, capture):
    with capture(execute=True):
        return announce(call, moderator)


def test_staging_changes_no_status_and_sends_nothing(call, moderator, django_capture_on_commit_callbacks):
    application = shortlisted(call)
    with django_capture_on_commit_callbacks(execute=True):
        decision = stage_decision(application, Status.LAUREATE, moderator, comment="Jury du 3 mars")
    application.refresh_from_db()
    assert application.status == Status.PRESELECTIONNEE
    assert decision.outcome == Status.LAUREATE and decision.announced_at is None
    assert mail.outbox == []
    entry = application.history.get()
    assert (entry.kind, entry.to_status, entry.comment) == (
        HistoryEntry.Kind.DECISION_STAGED,
        Status.LAUREATE,
        "Jury du 3 mars",
    )


def test_a_staged_decision_is_reversible_and_replaceable_until_announced(call, moderator):
    application = shortlisted(call)
    stage_decision(application, Status.LAUREATE, moderator)
    stage_decision(application, Status.NON_RETENUE, moderator)
    assert Decision.objects.get().outcome == Status.NON_RETENUE
    assert cancel_decision(application, moderator) is True
    assert not Decision.objects.exists()
    assert cancel_decision(application, moderator) is False
    kinds = list(application.history.values_list("kind", flat=True))
    assert kinds == ["decision_staged", "decision_staged", "decision_cancelled"]


def test_staging_checks_the_workflow(call, moderator):
    received = ApplicationFactory(page=call, status=Status.RECUE)
    with pytest.raises(TransitionNotAllowed):
        stage_decision(received, Status.LAUREATE, moderator)
    with pytest.raises(TransitionNotAllowed):
        stage_decision(shortlisted(call), Status.EN_INSTRUCTION, moderator)
    assert not Decision.objects.exists()


def test_announcing_moves_and_emails_each_applicant_once(call, moderator, django_capture_on_commit_callbacks):
    winner = shortlisted(call, applicant_email="awa@example.org")
    loser = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION, applicant_email="bob@example.org")
    stage_decision(winner, Status.LAUREATE, moderator)
    stage_decision(loser, Status.NON_RETENUE, moderator)
    announcement = announce_now(call, moderator, django_capture_on_commit_callbacks)
    winner.refresh_from_db()
    loser.refresh_from_db()
    assert (winner.status, loser.status) == (Status.LAUREATE, Status.NON_RETENUE)
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("awa@example.org", f"Votre candidature est retenue ({winner.reference})"),
        ("bob@example.org", f"Votre candidature ({loser.reference})"),
    ]
    announcement.refresh_from_db()
    assert announcement.done_at is not None
    decision = Decision.objects.get(application=winner)
    assert decision.email_sent_at is not None and decision.email_to == "awa@example.org"
    sent = winner.history.get(kind=HistoryEntry.Kind.EMAIL_SENT)
    assert "awa@example.org" in sent.comment
    # Once announced, it can no longer be cancelled, replaced or announced again.
    with pytest.raises(DecisionLocked):
        cancel_decision(winner, moderator)
    with pytest.raises(NothingToAnnounce):
        announce(call, moderator)
    # A retried (or duplicated) email task finds the mark and sends nothing.
    assert send_decision_email.call(decision.pk) == ALREADY_SENT
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_announcements() == []
    assert len(mail.outbox) == 2


def test_a_retried_email_task_after_a_failure_sends_once(call, moderator, settings, django_capture_on_commit_callbacks):
    application = shortlisted(call)
    stage_decision(application, Status.LAUREATE, moderator)
    settings.EMAIL_BACKEND = "tests.moderation.test_decision_email.DownBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    announce_now(call, moderator, django_capture_on_commit_callbacks)  # queued, not run
    decision = Decision.objects.get()
    assert send_decision_email.call(decision.pk) == "retry queued"
    assert Decision.objects.get().email_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_decision_email.call(decision.pk, attempt=2) == "sent"
    assert send_decision_email.call(decision.pk, attempt=2) == ALREADY_SENT
    assert send_decision_email.call(decision.pk, attempt=3) == ALREADY_SENT
    assert len(mail.outbox) == 1


def test_a_scheduled_announcement_waits_for_its_time(call, moderator, django_capture_on_commit_callbacks):
    application = shortlisted(call)
    stage_decision(application, Status.LAUREATE, moderator)
    when = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announce(call, moderator, when=when)
        run_due_announcements()
    application.refresh_from_db()
    assert application.status == Status.PRESELECTIONNEE and mail.outbox == []
    # Still reversible while it waits: cancelling detaches; here we let it run instead.
    with django_capture_on_commit_callbacks(execute=True):
        run_due_announcements(now=when + datetime.timedelta(minutes=1))
    application.refresh_from_db()
    assert application.status == Status.PRESELECTIONNEE  # run_announcement re-checks the real time
    Announcement.objects.filter(pk=announcement.pk).update(scheduled_for=timezone.now() - datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("announce_decisions", stdout=open("/dev/null", "w"))
        call_command("announce_decisions", stdout=open("/dev/null", "w"))
    application.refresh_from_db()
    assert application.status == Status.LAUREATE
    assert len(mail.outbox) == 1


def test_a_withdrawn_application_is_not_announced(call, moderator, django_capture_on_commit_callbacks):
    application = shortlisted(call)
    stage_decision(application, Status.LAUREATE, moderator)
    transition(application, Status.RETIREE, moderator)
    with pytest.raises(NothingToAnnounce):
        announce_now(call, moderator, django_capture_on_commit_callbacks)
    application.refresh_from_db()
    assert application.status == Status.RETIREE and mail.outbox == []
    assert not Decision.objects.exists()


def test_bulk_decisions_are_staged(call, moderator):
    a, b = shortlisted(call), shortlisted(call)
    result = bulk_transition([a, b], Status.LAUREATE, moderator)
    assert len(result.done) == 2
    assert set(Decision.objects.values_list("application_id", flat=True)) == {a.pk, b.pk}
    a.refresh_from_db()
    assert a.status == Status.PRESELECTIONNEE


def test_summary_previews_with_a_real_name_and_warns_about_example_wording(call_index, moderator):
    call = make_call(
        call_index,
        decisions={
            "laureate": ("Bravo {nom}", "Bonjour {nom},\n\nVotre projet est lauréat.\n\n(Texte d'exemple.)"),
        },
    )
    application = shortlisted(call, applicant_name="Awa Diallo")
    loser = shortlisted(call, applicant_name="Bob")
    stage_decision(application, Status.LAUREATE, moderator)
    stage_decision(loser, Status.NON_RETENUE, moderator)
    laureate, non_retenue = summary(call)
    assert (laureate.count, laureate.emails) == (1, 1)
    assert laureate.preview.subject == f"Bravo Awa Diallo ({application.reference})"
    assert laureate.preview.body.startswith("Bonjour Awa Diallo,")
    assert any("Texte d'exemple" in warning for warning in laureate.warnings)
    assert (non_retenue.count, non_retenue.emails, non_retenue.preview) == (1, 0, None)
    assert non_retenue.without_email == [loser]
    assert "Aucun texte" in non_retenue.warnings[0]


def test_the_announce_page_shows_counts_previews_and_sends_now(
    client, call, moderator, django_capture_on_commit_callbacks
):
    application = shortlisted(call)
    stage_decision(application, Status.LAUREATE, moderator)
    client.force_login(moderator)
    url = reverse("moderation:announce", args=[call.pk])
    html = client.get(url).content.decode()
    assert "1 courriel partira." in html
    assert "Aperçu, pour <bdi>Awa Diallo</bdi>" in html  # the name isolated (bidirectional text)
    assert "Bonne nouvelle : votre projet est lauréat." in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"send": "now"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.LAUREATE
    assert len(mail.outbox) == 1


def test_the_announce_page_asks_to_confirm_warnings(client, call, moderator, django_capture_on_commit_callbacks):
    DecisionEmail.objects.filter(page=call, outcome="laureate").update(body="Lorem ipsum")
    application = shortlisted(call)
    stage_decision(application, Status.LAUREATE, moderator)
    client.force_login(moderator)
    url = reverse("moderation:announce", args=[call.pk])
    html = client.post(url, {"send": "now"}).content.decode()
    assert "Relisez les avertissements" in html
    application.refresh_from_db()
    assert application.status == Status.PRESELECTIONNEE and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"send": "now", "confirm_warnings": "on"})
    assert len(mail.outbox) == 1


def test_scheduling_reads_paris_time_and_refuses_the_past(client, call, moderator):
    application = shortlisted(call)
    stage_decision(application, Status.LAUREATE, moderator)
    client.force_login(moderator)
    url = reverse("moderation:announce", args=[call.pk])
    html = client.post(url, {"send": "later", "scheduled_for": "2001-01-01T09:00"}).content.decode()
    assert "Cette date est passée" in html
    assert not Announcement.objects.exists()
    client.post(url, {"send": "later", "scheduled_for": "2099-06-15T09:30"})
    announcement = Announcement.objects.get()
    assert announcement.scheduled_for == datetime.datetime(2099, 6, 15, 9, 30, tzinfo=PARIS)
    assert announcement.scheduled_for.astimezone(datetime.UTC).hour == 7
    assert mail.outbox == []
    # Cancelling the scheduled announcement stages the decision again.
    client.post(url, {"cancel": announcement.pk})
    assert not Announcement.objects.exists()
    assert Decision.objects.get().announcement is None


def test_a_click_in_the_queue_stages_and_never_emails(client, call, moderator):
    application = shortlisted(call)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:transition", args=[application.pk]), {"status": Status.LAUREATE}, follow=True
    )
    assert "Rien n'est envoyé" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.PRESELECTIONNEE
    assert Decision.objects.get().outcome == Status.LAUREATE
    assert mail.outbox == []
    client.post(reverse("moderation:cancel_decision", args=[application.pk]))
    assert not Decision.objects.exists()


def test_the_applicant_name_stays_text_in_the_email(call, moderator, django_capture_on_commit_callbacks):
    hostile = '"><img src=x onerror=alert(1)>'
    application = shortlisted(call, applicant_name=hostile)
    stage_decision(application, Status.LAUREATE, moderator)
    announce_now(call, moderator, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.content_subtype == "plain"
    assert not getattr(message, "alternatives", None)


def test_a_mail_server_down_does_not_undo_the_decision(
    call, moderator, settings, django_capture_on_commit_callbacks, caplog
):
    # A real SMTP backend pointed at a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    application = shortlisted(call)
    stage_decision(application, Status.LAUREATE, moderator)
    announce_now(call, moderator, django_capture_on_commit_callbacks)
    application.refresh_from_db()
    assert application.status == Status.LAUREATE
    from calls.tasks import MAX_ATTEMPTS  # the retries' bound, read where it is used

    attempts = [r for r in caplog.records if r.getMessage().startswith("Decision email for")]
    assert len(attempts) == MAX_ATTEMPTS
    assert Decision.objects.get().email_sent_at is None
