"""The demo's after-session content: the past example session's registrations, attendance
and minutes, two shared example resources; files checked and private; idempotent."""

import io

import pytest
from django.core.files.storage import storages

from network.demo_attendance import load_after_session
from network.models import Attendance, Registration, Resource, ResourceAudience
from tests.laureates.factories import make_laureate

from .data import past_session

pytestmark = pytest.mark.django_db


def test_the_past_session_gets_attendance_minutes_and_two_shared_resources(agenda):
    session = past_session(agenda, days=30)
    for number in range(5):
        make_laureate(business_name=f"Exemple — Café {number}", contact_email=f"cafe{number}@example.org")
    load_after_session(session, io.StringIO())
    load_after_session(session, io.StringIO())  # idempotent
    rows = list(Registration.objects.filter(session=session))
    assert len(rows) == 5 and sum(1 for row in rows if row.laureate_id is None) == 1
    assert all(row.attendance != Attendance.INCONNUE and row.attendance_marked_by for row in rows)
    minutes = Resource.objects.get(session=session)
    assert minutes.audience == ResourceAudience.INSCRITS and "exemple" in minutes.title
    shared = Resource.objects.filter(session__isnull=True, audience=ResourceAudience.MEMBRES)
    assert shared.count() == 2 and all(resource.title.startswith("Exemple — ") for resource in shared)
    for resource in Resource.objects.all():
        assert resource.content_type == "application/pdf" and storages["private"].exists(resource.file.name)
        with storages["private"].open(resource.file.name) as handle:
            assert handle.read(5) == b"%PDF-"
    assert all(row.email.endswith("@example.org") for row in rows if row.email)


def test_without_a_past_session_only_the_shared_resources(agenda):
    load_after_session(None, io.StringIO())
    assert Resource.objects.count() == 2 and not Registration.objects.exists()
