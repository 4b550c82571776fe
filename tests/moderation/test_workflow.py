import pytest
from django.core import mail

from moderation.models import AppendOnlyError, HistoryEntry
from moderation.workflow import (
    TRANSITIONS,
    Status,
    TransitionNotAllowed,
    allowed_targets,
    bulk_transition,
    transition,
)
from tests.moderation.factories import ApplicationFactory, make_call

pytestmark = pytest.mark.django_db

ALLOWED = [(source, target) for source, targets in TRANSITIONS.items() for target in targets]
REFUSED = [(source, target) for source in Status for target in Status if target not in TRANSITIONS[source]]


def test_the_main_path_and_its_branches():
    assert allowed_targets(Status.RECUE) == (Status.EN_INSTRUCTION, Status.RETIREE)
    assert Status.PRESELECTIONNEE in allowed_targets(Status.EN_INSTRUCTION)
    assert Status.INFORMATIONS_DEMANDEES in allowed_targets(Status.EN_INSTRUCTION)
    assert Status.EN_INSTRUCTION in allowed_targets(Status.INFORMATIONS_DEMANDEES)
    assert set(allowed_targets(Status.PRESELECTIONNEE)) == {Status.LAUREATE, Status.NON_RETENUE, Status.RETIREE}
    for final in (Status.LAUREATE, Status.NON_RETENUE, Status.RETIREE):
        assert allowed_targets(final) == ()


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_allowed_transition_moves_and_records(source, target, call, moderator):
    application = ApplicationFactory(page=call, status=source)
    entry = transition(application, target, moderator, comment="  Dossier complet.  ")
    application.refresh_from_db()
    assert application.status == target
    assert (entry.from_status, entry.to_status, entry.comment) == (source, target, "Dossier complet.")
    assert entry.user == moderator and entry.user_name == "Mona Dupont"
    assert entry.kind == HistoryEntry.Kind.TRANSITION
    assert list(application.history.all()) == [entry]


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_refused_transition_changes_nothing(source, target, call, moderator):
    application = ApplicationFactory(page=call, status=source)
    with pytest.raises(TransitionNotAllowed) as error:
        transition(application, target, moderator)
    application.refresh_from_db()
    assert application.status == source
    assert not application.history.exists()
    assert application.reference in str(error.value)


def test_the_state_is_read_again_before_moving(call, moderator):
    """A stale copy (another moderator moved it meanwhile) cannot make a second move."""
    application = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE)
    stale = type(application).objects.get(pk=application.pk)
    transition(application, Status.NON_RETENUE, moderator)
    with pytest.raises(TransitionNotAllowed):
        transition(stale, Status.LAUREATE, moderator)
    application.refresh_from_db()
    assert application.status == Status.NON_RETENUE
    assert application.history.count() == 1


def test_history_is_append_only(application, moderator):
    entry = transition(application, Status.EN_INSTRUCTION, moderator)
    entry.comment = "réécrit"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert HistoryEntry.objects.get(pk=entry.pk).comment == ""


def test_a_decision_emails_the_text_written_on_the_call_after_the_commit(
    application, moderator, django_capture_on_commit_callbacks
):
    transition(application, Status.EN_INSTRUCTION, moderator)
    transition(application, Status.PRESELECTIONNEE, moderator)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transition(application, Status.LAUREATE, moderator)
    assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["awa@example.org"]
    assert message.subject == f"Votre candidature est retenue ({application.reference})"
    assert "Bonne nouvelle : votre projet est lauréat." in message.body
    assert application.reference in message.body


def test_a_rolled_back_decision_sends_nothing(application, moderator, django_capture_on_commit_callbacks):
    from django.db import transaction as db_transaction

    application.status = Status.PRESELECTIONNEE
    application.save()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with db_transaction.atomic():
                transition(application, Status.NON_RETENUE, moderator)
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert mail.outbox == []
    application.refresh_from_db()
    assert application.status == Status.PRESELECTIONNEE
    assert not application.history.exists()


def test_non_retenue_sends_its_own_text(application, moderator, django_capture_on_commit_callbacks):
    application.status = Status.EN_INSTRUCTION
    application.save()
    with django_capture_on_commit_callbacks(execute=True):
        transition(application, Status.NON_RETENUE, moderator)
    assert [m.subject for m in mail.outbox] == [f"Votre candidature ({application.reference})"]
    assert "Nous ne pouvons pas retenir" in mail.outbox[0].body


def test_no_email_for_steps_or_without_a_text(call_index, moderator, django_capture_on_commit_callbacks):
    call = make_call(call_index, decisions={})
    application = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE)
    with django_capture_on_commit_callbacks(execute=True):
        transition(application, Status.LAUREATE, moderator)
    assert mail.outbox == []
    other = ApplicationFactory(page=call)
    with django_capture_on_commit_callbacks(execute=True):
        transition(other, Status.EN_INSTRUCTION, moderator)
    assert mail.outbox == []


def test_the_applicant_name_stays_text_in_the_email(call, moderator, django_capture_on_commit_callbacks):
    hostile = '"><img src=x onerror=alert(1)>'
    application = ApplicationFactory(page=call, applicant_name=hostile, status=Status.PRESELECTIONNEE)
    with django_capture_on_commit_callbacks(execute=True):
        transition(application, Status.LAUREATE, moderator)
    message = mail.outbox[0]
    assert message.content_subtype == "plain"
    assert not getattr(message, "alternatives", None)


def test_bulk_transition_checks_each_application(call, moderator):
    ready = ApplicationFactory(page=call, status=Status.RECUE)
    decided = ApplicationFactory(page=call, status=Status.LAUREATE)
    result = bulk_transition([ready, decided], Status.EN_INSTRUCTION, moderator, comment="Lot 1")
    assert result.done == [ready] and result.refused == [decided]
    ready.refresh_from_db()
    decided.refresh_from_db()
    assert (ready.status, decided.status) == (Status.EN_INSTRUCTION, Status.LAUREATE)
    assert ready.history.get().comment == "Lot 1"
    assert not decided.history.exists()


def test_a_mail_server_down_does_not_undo_the_decision(
    application, moderator, settings, django_capture_on_commit_callbacks, caplog
):
    # A real SMTP backend pointed at a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    application.status = Status.PRESELECTIONNEE
    application.save()
    with django_capture_on_commit_callbacks(execute=True):
        transition(application, Status.LAUREATE, moderator)
    application.refresh_from_db()
    assert application.status == Status.LAUREATE
    attempts = [r for r in caplog.records if r.getMessage().startswith("Decision email for")]
    from calls.tasks import MAX_ATTEMPTS

    assert len(attempts) == MAX_ATTEMPTS
    assert any("Giving up the decision email" in r.getMessage() for r in caplog.records)
