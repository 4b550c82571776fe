"""References: QC-<year>-<number>, unique across calls, safe under concurrency."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.db import transaction

from calls.references import format_reference, next_reference

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_format():
    assert format_reference(2026, 42) == "QC-2026-0042"
    assert format_reference(2026, 12345) == "QC-2026-12345"


@pytest.mark.django_db
def test_numbers_follow_each_other_and_restart_each_year():
    with transaction.atomic():
        first = next_reference(datetime.datetime(2026, 3, 1, 12, tzinfo=PARIS))
        second = next_reference(datetime.datetime(2026, 3, 2, 12, tzinfo=PARIS))
        # New Year's Eve at 23:30 in Paris is still 2026, though already 2027 nowhere near.
        third = next_reference(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=PARIS))
        next_year = next_reference(datetime.datetime(2027, 1, 1, 0, 30, tzinfo=PARIS))
    assert (first, second, third, next_year) == ("QC-2026-0001", "QC-2026-0002", "QC-2026-0003", "QC-2027-0001")


@pytest.mark.django_db
def test_a_rolled_back_submission_gives_its_number_back():
    moment = datetime.datetime(2026, 5, 1, tzinfo=PARIS)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_reference(moment) == "QC-2026-0001"
        raise RuntimeError("the storage failed")
    with transaction.atomic():
        assert next_reference(moment) == "QC-2026-0001"


def test_must_run_inside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        next_reference()


@pytest.mark.django_db
def test_references_are_unique_across_calls(client, call_index, get_token):
    from calls.models import Application
    from tests.calls.factories import make_call, valid_answers

    calls = [make_call(call_index), make_call(call_index)]
    for call in calls + calls:
        response = client.post(call.url, {**valid_answers(), "qc_jeton": get_token(call)})
        assert response.status_code == 303
    references = list(Application.objects.values_list("reference", flat=True))
    assert len(references) == 4
    assert len(set(references)) == 4
    assert sorted(int(r.rsplit("-", 1)[1]) for r in references) == [1, 2, 3, 4]


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's in-memory test database is not shared between threads; run with DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_references():
    """Eight threads, each with its own connection, store an application at the same moment."""
    from wagtail.models import Locale

    from tests.calls.factories import CallIndexPageFactory, make_call
    from tests.factories import make_home

    Locale.objects.get_or_create(language_code="fr")  # flushed by transactional tests
    call = make_call(CallIndexPageFactory(parent=make_home()))
    import uuid

    from calls.models import Application
    from calls.submission import store_application
    from tests.concurrency import at_once

    def apply():
        return store_application(call, answers={}, files={}, columns={}, token=uuid.uuid4())

    _results, errors = at_once(*[apply] * 8)
    assert errors == []
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in Application.objects.values_list("reference", flat=True))
    assert numbers == list(range(1, 9))
