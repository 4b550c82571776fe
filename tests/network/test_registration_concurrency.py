"""Capacity under concurrency, on PostgreSQL: twenty people register at once to ten seats."""

import pytest
from django.conf import settings

from network import registration
from network.models import Registration, RegistrationStatus, SessionKind
from tests.concurrency import at_once

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's in-memory test database is not shared between threads; run with DATABASE_URL=postgres://…",
)


@pytest.mark.django_db(transaction=True)
def test_twenty_registrations_at_once_for_ten_seats():
    from wagtail.models import Locale

    from tests.factories import make_home
    from tests.laureates.factories import make_laureate

    from .factories import make_agenda, make_session

    Locale.objects.get_or_create(language_code="fr")  # flushed by transactional tests
    SessionKind.objects.get_or_create(slug="accompagnement", defaults={"name": "Accompagnement collectif"})
    session = make_session(make_agenda(make_home()), capacity=10)
    laureates = [make_laureate(contact_email=f"laureat{n}@example.org") for n in range(20)]

    _results, errors = at_once(
        *[lambda laureate=laureate: registration.register_laureate(session, laureate) for laureate in laureates]
    )

    assert errors == []
    rows = Registration.objects.filter(session=session)
    confirmed = list(rows.filter(status=RegistrationStatus.CONFIRMEE).values_list("pk", flat=True))
    waiting = list(registration.waiting_list(session).values_list("pk", flat=True))
    assert (len(confirmed), len(waiting)) == (10, 10)
    # First come, first served: the waiting list's order is the order the lock was given, the
    # order the rows were written in; nobody waiting got in before anyone confirmed.
    assert waiting == sorted(waiting)
    assert max(confirmed) < min(waiting)
    positions = [registration.waiting_position(row) for row in registration.waiting_list(session)]
    assert positions == list(range(1, 11))

    # Ten cancel at once: the ten waiting take their seats, never more than ten confirmed.
    cancelled = list(rows.filter(pk__in=confirmed))
    _results, errors = at_once(*[lambda row=row: registration.cancel(row) for row in cancelled])
    assert errors == []
    assert sorted(rows.filter(status=RegistrationStatus.CONFIRMEE).values_list("pk", flat=True)) == waiting
    assert not registration.waiting_list(session).exists()


@pytest.mark.django_db(transaction=True)
def test_registrations_racing_an_unpublication_end_cancelled_and_told_once(mailoutbox):
    """Ten laureates register while the team unpublishes the session (twice at once): no active
    registration is left on the unpublished session, and each one written gets one « séance
    annulée » row, whichever came first."""
    from wagtail.models import Locale

    from network.models import EmailKind, RegistrationEmail, SessionPage
    from tests.factories import make_home
    from tests.laureates.factories import make_laureate

    from .factories import make_agenda, make_session

    Locale.objects.get_or_create(language_code="fr")  # flushed by transactional tests
    SessionKind.objects.get_or_create(slug="accompagnement", defaults={"name": "Accompagnement collectif"})
    session = make_session(make_agenda(make_home()), capacity=5)
    laureates = [make_laureate(contact_email=f"laureat{n}@example.org") for n in range(10)]

    def register(laureate):
        try:
            registration.register_laureate(session, laureate)
        except registration.Refused:
            pass  # after the unpublication: « n'est plus proposée »

    def unpublish():
        page = SessionPage.objects.get(pk=session.pk)
        if page.live:
            page.unpublish()

    functions = [lambda laureate=laureate: register(laureate) for laureate in laureates]
    _results, errors = at_once(*functions[:5], unpublish, unpublish, *functions[5:])

    assert errors == []
    assert not SessionPage.objects.get(pk=session.pk).live
    rows = Registration.objects.filter(session=session)
    assert not rows.filter(status__in=registration.ACTIVE).exists()
    assert set(rows.values_list("status", flat=True)) <= {RegistrationStatus.SEANCE_ANNULEE}
    told = RegistrationEmail.objects.filter(kind=EmailKind.SEANCE_ANNULEE)
    assert sorted(told.values_list("registration_id", flat=True)) == sorted(rows.values_list("pk", flat=True))
    assert len([m for m in mailoutbox if m.subject.startswith("Séance annulée")]) == told.count()
