"""A laureate's record is made exactly once when a « lauréate » decision is announced."""

from decimal import Decimal

import pytest
from django.conf import settings

from calls.models import Status
from laureates.models import Laureate, MilestoneTemplate
from laureates.services import create_from_decision
from moderation.announce import NothingToAnnounce, announce, run_announcement, run_due_announcements
from moderation.models import Decision
from moderation.signals import decision_announced
from moderation.workflow import stage_decision
from tests.concurrency import twice_at_once
from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def shortlisted(call, **kwargs):
    return ApplicationFactory(page=call, status=Status.PRESELECTIONNEE, **kwargs)


def test_announcing_a_laureate_makes_its_record_with_the_award_and_the_plan(
    call, moderator, django_capture_on_commit_callbacks
):
    MilestoneTemplate.objects.create(call=call, label="Signature de la convention", sort_order=1, days_after_award=30)
    MilestoneTemplate.objects.create(call=call, label="Ouverture", sort_order=2, is_opening=True)
    laureate_app = shortlisted(call, business_name="Le Petit Zinc", applicant_email="awa@example.org")
    refused_app = shortlisted(call, business_name="Chez Rita")
    stage_decision(laureate_app, Status.LAUREATE, moderator, amount=Decimal("12500.00"))
    stage_decision(refused_app, Status.NON_RETENUE, moderator)
    with django_capture_on_commit_callbacks(execute=True):
        announce(call, moderator)
    laureate = Laureate.objects.get()
    assert laureate.application == laureate_app
    assert (laureate.business_name, laureate.town, laureate.region) == (
        "Le Petit Zinc",
        "Aubervilliers",
        "ile-de-france",
    )
    assert laureate.contact_email == "awa@example.org" and laureate.contact_name == "Awa Diallo"
    assert laureate.amount_awarded == Decimal("12500.00")
    assert laureate.call_id == call.pk and laureate.edition == call.opens_at.year
    assert [(m.label, m.is_opening, m.due_on is not None) for m in laureate.milestones.all()] == [
        ("Signature de la convention", False, True),
        ("Ouverture", True, False),
    ]
    entry = laureate.history.get()
    assert entry.action == "Lauréat enregistré" and "12\xa0500,00\xa0€" in entry.detail


def test_announcing_again_a_retry_or_the_signal_twice_make_one_record(call, moderator):
    application = shortlisted(call)
    stage_decision(application, Status.LAUREATE, moderator, amount=Decimal("5000"))
    announcement = announce(call, moderator)
    assert Laureate.objects.count() == 1
    # A retried task: the announcement is done, nothing is announced twice.
    assert run_announcement(announcement.pk) == []
    assert run_due_announcements() == []
    # Announcing the call again: nothing left to announce.
    with pytest.raises(NothingToAnnounce):
        announce(call, moderator)
    # The signal sent again for the same decision (a receiver run twice): the same record.
    decision = Decision.objects.get(application=application)
    decision_announced.send(sender=Decision, decision=decision, user=moderator)
    laureate, created = create_from_decision(decision)
    assert not created
    assert Laureate.objects.count() == 1 and laureate.history.count() == 1


def test_a_non_retenue_decision_makes_no_record(call, moderator):
    stage_decision(shortlisted(call), Status.NON_RETENUE, moderator)
    announce(call, moderator)
    assert not Laureate.objects.exists()


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's in-memory test database is not shared between threads; run with DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_make_one_record():
    from wagtail.models import Locale

    from tests.calls.factories import CallIndexPageFactory
    from tests.factories import make_home
    from tests.moderation.factories import make_call, user_in

    Locale.objects.get_or_create(language_code="fr")  # flushed by transactional tests
    call = make_call(CallIndexPageFactory(parent=make_home()))
    moderator = user_in("Modérateurs", username="mod")
    application = shortlisted(call)
    decision = stage_decision(application, Status.LAUREATE, moderator, amount=Decimal("8000"))
    results, errors = twice_at_once(
        lambda: create_from_decision(Decision.objects.select_related("application__page").get(pk=decision.pk))
    )
    assert errors == []
    assert sorted(created for _laureate, created in results) == [False, True]
    assert Laureate.objects.count() == 1
    assert Laureate.objects.get().history.count() == 1
