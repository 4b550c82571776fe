"""A report form with a due date: one reminder email to each laureate of its call who has not
sent it, N days before; never twice (a second run, two runs at once, the task run twice), none
for a laureate who sent it, left the network or whose contact data is erased."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from home import scheduler
from laureates import progress_reports, retention, tasks
from laureates.models import LaureateHistoryEntry, Report, ReportReminder
from laureates.reminders import remind_reports
from tests.concurrency import twice_at_once
from tests.laureates.plan.fixtures import make_laureate, make_report_form
from tests.moderation.factories import make_call

pytestmark = pytest.mark.django_db


def due_in(report_form, days):
    report_form.due_on = timezone.localdate() + datetime.timedelta(days=days)
    report_form.save(update_fields=["due_on"])
    return report_form


def send(laureate, report_form):
    form = progress_reports.build_form(
        report_form,
        {"chiffre_daffaires_du_semestre": "1000", "emplois_crees": "1", "embauche_prevue": "non"},
    )
    assert form.is_valid(), form.errors
    return progress_reports.send_report(laureate, report_form, form)


def test_one_reminder_to_each_laureate_who_has_not_sent_it(
    awa_laureate, bilal_laureate, report_form, django_capture_on_commit_callbacks
):
    due_in(report_form, 10)
    send(bilal_laureate, report_form)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_reports(9) == 0  # due in 10 days: not yet
        assert remind_reports(10) == 1
    [message] = mail.outbox
    assert message.to == ["awa@example.org"]
    assert "Bilan à 6 mois" in message.subject and "avant le" in message.subject
    due = report_form.due_on
    assert str(due.day) in message.body and "au plus tard le" in message.body
    assert "- Chiffre d'affaires du semestre" in message.body
    assert "- Photos du commerce (photos ou documents à joindre)" in message.body
    assert f"/espace-candidat/laureat/{awa_laureate.pk}/bilans/{report_form.pk}/" in message.body
    reminder = ReportReminder.objects.get()
    assert reminder.laureate == awa_laureate and reminder.sent_at is not None
    assert awa_laureate.history.filter(action="Rappel de bilan envoyé : Bilan à 6 mois").count() == 1
    # Run again, by the command: nothing more. The task run twice: once.
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_reports(10) == 0
        call_command("remind_reports", "--days", "30")
    assert tasks.send_report_reminder.call(reminder.pk) == "nothing to do"
    assert len(mail.outbox) == 1


def test_none_for_a_laureate_who_left_or_was_erased_or_another_call(
    awa_laureate, bilal_laureate, report_form, django_capture_on_commit_callbacks
):
    due_in(report_form, 3)
    awa_laureate.left_at = timezone.now()
    awa_laureate.save(update_fields=["left_at"])
    retention.erase_contact(bilal_laureate)
    other_call = make_call(report_form.call.get_parent().specific, slug="appel-2027", title="Appel 2027")
    make_laureate(other_call, "chloe@example.org", "Chez Chloé (exemple)")
    due_in(make_report_form(other_call, title="Bilan 2027"), 40)  # its laureate: not within the days
    closed = due_in(make_report_form(awa_laureate.call, title="Bilan à un an", is_open=False), 3)
    no_date = make_report_form(awa_laureate.call, title="Bilan libre")
    past = make_report_form(awa_laureate.call, title="Bilan passé")
    due_in(past, -1)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_reports(30) == 0
    assert mail.outbox == [] and not ReportReminder.objects.exists()
    assert closed.due_on and no_date.due_on is None


def test_a_report_sent_after_the_reminder_was_queued_is_not_reminded(
    awa_laureate, report_form, django_capture_on_commit_callbacks
):
    due_in(report_form, 5)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert remind_reports(7) == 1
    send(awa_laureate, report_form)
    for callback in callbacks:
        callback()
    assert mail.outbox == [] and ReportReminder.objects.get().sent_at is None


def test_the_scheduler_runs_the_report_reminders(awa_laureate, report_form, django_capture_on_commit_callbacks):
    job = next(job for job in scheduler.jobs() if job.name == "remind_reports")
    assert job.command == "remind_reports" and settings.LAUREATES_REPORT_REMINDER_DAYS == 14
    due_in(report_form, 14)
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler.run(job) is not None
        assert scheduler.run(job) is None  # the same period: claimed already
    assert [m.to for m in mail.outbox] == [["awa@example.org"]]


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's in-memory test database is not shared between threads; run with DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_reminder():
    from wagtail.models import Locale

    from tests.calls.factories import CallIndexPageFactory
    from tests.factories import make_home

    Locale.objects.get_or_create(language_code="fr")  # flushed by transactional tests
    call = make_call(CallIndexPageFactory(parent=make_home()), slug="appel-2026", title="Appel 2026")
    make_laureate(call, "awa@example.org", "Café (exemple)")
    due_in(make_report_form(call), 3)
    counts, errors = twice_at_once(lambda: remind_reports(7))
    assert not errors
    assert sorted(counts) == [0, 1]
    assert ReportReminder.objects.count() == 1 and len(mail.outbox) == 1
    assert LaureateHistoryEntry.objects.filter(action__startswith="Rappel de bilan").count() == 1
    assert not Report.objects.exists()
