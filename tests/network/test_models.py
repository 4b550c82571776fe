"""The network's models: the seeded kinds, a copied session's calendar identity, one active
registration per person and session."""

import pytest
from django.db import IntegrityError, transaction

from network.models import Registration, RegistrationEmail, RegistrationStatus, SessionKind
from tests.laureates.factories import make_laureate

from .factories import make_agenda, make_session

pytestmark = pytest.mark.django_db


def test_the_three_kinds_are_seeded():
    assert list(SessionKind.objects.values_list("slug", flat=True)) == [
        "accompagnement",
        "rencontre",
        "co-construction",
    ]


def test_a_copied_session_gets_its_own_calendar_uid_and_invitation_key(home_page):
    agenda = make_agenda(home_page)
    session = make_session(agenda)
    session.ical_sequence = 3
    session.save()
    copy = session.copy(update_attrs={"slug": "copie", "title": "Copie"})
    assert copy.ical_uid != session.ical_uid
    assert copy.invitation_key != session.invitation_key
    assert copy.ical_sequence == 0


def test_one_active_registration_per_email_and_per_laureate(home_page):
    session = make_session(make_agenda(home_page))
    Registration.objects.create(session=session, name="Lina", email="Lina@Example.org ", role="habitant")
    assert Registration.objects.get().email == "lina@example.org"
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(session=session, name="Lina", email="lina@example.org", role="habitant")
    laureate = make_laureate()
    Registration.objects.create(session=session, laureate=laureate, role="laureat", status=RegistrationStatus.CONFIRMEE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(session=session, laureate=laureate, role="laureat")


def test_a_cancelled_or_expired_registration_leaves_room_for_a_new_one(home_page):
    session = make_session(make_agenda(home_page))
    for status in (RegistrationStatus.ANNULEE, RegistrationStatus.EXPIREE):
        Registration.objects.create(
            session=session, name="Lina", email="lina@example.org", role="habitant", status=status
        )
    Registration.objects.create(session=session, name="Lina", email="lina@example.org", role="habitant")
    assert Registration.objects.count() == 3


def test_an_email_is_claimed_once_per_kind_and_sequence(home_page):
    session = make_session(make_agenda(home_page))
    registration = Registration.objects.create(session=session, name="Lina", email="lina@example.org", role="habitant")
    RegistrationEmail.objects.create(registration=registration, kind="confirmation", sequence=0)
    RegistrationEmail.objects.create(registration=registration, kind="changement", sequence=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationEmail.objects.create(registration=registration, kind="confirmation", sequence=0)
