"""Two requests at once (a double click, two tabs, two moderators) on PostgreSQL: one erasure
request, one erasure, one correction entry, one email."""

import pytest
from django.conf import settings
from django.core import mail

from calls.models import Status
from moderation import rgpd, rights
from moderation.models import ErasureRequest, HistoryEntry
from moderation.workflow import transition
from tests.concurrency import twice_at_once

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="SQLite's in-memory test database is not shared between threads; run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def application():
    from wagtail.models import Locale

    from tests.calls.factories import CallIndexPageFactory
    from tests.factories import make_home
    from tests.moderation.factories import ApplicationFactory, make_call

    Locale.objects.get_or_create(language_code="fr")  # flushed by transactional tests
    call = make_call(CallIndexPageFactory(parent=make_home()))
    return ApplicationFactory(page=call, applicant_email="awa@example.org")


def test_two_erasure_requests_at_once_make_one(application):
    results, errors = twice_at_once(lambda: rights.request_erasure("awa@example.org"))
    assert errors == [] and ErasureRequest.objects.count() == 1
    assert sorted(created for _request, created in results) == [False, True]


def test_two_erasures_at_once_erase_once(application):
    transition(application, Status.RETIREE, None)
    results, errors = twice_at_once(lambda: rgpd.erase_applicant("awa@example.org"))
    assert errors == []
    assert sorted(len(references) for references, _drafts in results) == [0, 1]
    assert HistoryEntry.objects.filter(application=application, kind=HistoryEntry.Kind.ERASURE).count() == 1


def test_two_moderators_carrying_out_at_once_do_it_once(application, django_user_model):
    moderator = django_user_model.objects.create_superuser("ada", "ada@example.org", "x")
    request, _created = rights.request_erasure("awa@example.org")
    results, errors = twice_at_once(lambda: rights.carry_out(request.pk, moderator))
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], rights.AlreadyDone)
    assert HistoryEntry.objects.filter(application=application, kind=HistoryEntry.Kind.ERASURE).count() == 1
    assert len([m for m in mail.outbox if m.subject == "Vos données sont effacées"]) == 1


def test_the_same_correction_twice_at_once_is_recorded_once(application):
    results, errors = twice_at_once(lambda: rights.request_correction(application, "Le nom est Le Grand Zinc."))
    assert errors == [] and sorted(entry is None for entry in results) == [False, True]
    assert HistoryEntry.objects.filter(kind=HistoryEntry.Kind.CORRECTION_REQUEST).count() == 1
