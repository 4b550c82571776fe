"""Two saves of one laureate's profile at once (two tabs, a double click) on PostgreSQL: the
laureate's row is the lock, so one profile is made and each save is recorded once."""

import pytest
from django.conf import settings

from laureates.models import LaureateHistoryEntry
from network import directory
from network.models import DirectoryProfile
from tests.concurrency import at_once
from tests.laureates.factories import make_laureate


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's in-memory test database is not shared between threads; run with DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_once_make_one_profile():
    laureate = make_laureate(contact_email="awa@example.org")
    _results, errors = at_once(
        lambda: directory.save_profile(laureate, {"offer": "Un four à prêter.", "show_email": True}),
        lambda: directory.save_profile(laureate, {"offer": "Un four à prêter.", "show_phone": True}),
    )
    assert errors == []
    profile = DirectoryProfile.objects.get(laureate=laureate)
    assert profile.offer == "Un four à prêter." and profile.show_email != profile.show_phone
    # The first save made the profile; the second changed the two boxes over it.
    assert LaureateHistoryEntry.objects.filter(laureate=laureate).count() == 2
