import pytest

from moderation.models import AppendOnlyError, HistoryEntry
from moderation.workflow import (
    TRANSITIONS,
    Status,
    TransitionNotAllowed,
    allowed_targets,
    bulk_transition,
    transition,
)
from tests.moderation.factories import ApplicationFactory

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
