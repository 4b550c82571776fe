"""Shared data of the after-session tests: a past session with confirmed registrations."""

import datetime

from django.utils import timezone

from network.models import Registration, RegistrationStatus, Role
from tests.laureates.factories import make_laureate
from tests.network.factories import make_session


def past_session(agenda, days=3, **fields):
    starts_at = timezone.now() - datetime.timedelta(days=days)
    return make_session(agenda, starts_at=starts_at, **fields)


def register(session, laureate=None, *, name="", email="", role=None, status=RegistrationStatus.CONFIRMEE):
    role = role or (Role.LAUREAT if laureate else Role.HABITANT)
    return Registration.objects.create(
        session=session,
        laureate=laureate,
        name=name,
        email=email,
        role=role,
        status=status,
        confirmed_at=timezone.now() if status == RegistrationStatus.CONFIRMEE else None,
    )


def registered_people(session, count=3):
    """``count`` laureates confirmed, one resident confirmed, one cancelled registration."""
    rows = [
        register(session, make_laureate(business_name=f"Café {number}", contact_email=f"cafe{number}@example.org"))
        for number in range(1, count + 1)
    ]
    rows.append(register(session, name="Samia Habitante", email="samia@example.org"))
    register(session, name="Parti Avant", email="parti@example.org", status=RegistrationStatus.ANNULEE)
    return rows
