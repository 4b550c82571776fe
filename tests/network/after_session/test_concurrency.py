"""Two team members mark the same person at the same moment (PostgreSQL, two threads): the
rows are locked, one choice is written with its author, the other is reported as changed
meanwhile and written nowhere."""

import pytest
from django.conf import settings

from network.attendance import mark_attendance
from network.models import Attendance, Registration, SessionKind
from tests.concurrency import at_once

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's in-memory test database is not shared between threads; run with DATABASE_URL=postgres://…",
)


@pytest.mark.django_db(transaction=True)
def test_two_people_marking_the_same_row_at_once_one_wins_the_other_is_told():
    from wagtail.models import Locale

    from tests.factories import make_home
    from tests.moderation.factories import user_in
    from tests.network.factories import make_agenda

    from .data import past_session, registered_people

    Locale.objects.get_or_create(language_code="fr")  # flushed by transactional tests
    kind, _created = SessionKind.objects.get_or_create(slug="accompagnement", defaults={"name": "Accompagnement"})
    session = past_session(make_agenda(make_home()), kind=kind)
    row, *_rest = registered_people(session, count=1)
    people = [user_in("Modérateurs", username=f"equipe{number}") for number in range(2)]

    def work(user, chosen):
        return user.username, mark_attendance(session, user, {row.pk: ("inconnue", chosen)})

    marks, errors = at_once(lambda: work(people[0], Attendance.PRESENT), lambda: work(people[1], Attendance.ABSENT))
    assert errors == []
    results = dict(marks)
    changed = [name for name, marked in results.items() if marked.changed]
    told = [name for name, marked in results.items() if marked.conflicts]
    assert len(changed) == 1 and len(told) == 1 and changed != told
    row = Registration.objects.get(pk=row.pk)
    assert row.attendance_marked_by.username == changed[0]
    assert row.attendance == (Attendance.PRESENT if changed[0] == "equipe0" else Attendance.ABSENT)
