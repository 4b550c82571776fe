"""The team marks attendance after a session: one form for the whole list (no JavaScript
needed), who and when saved, only the changes written, another person's change kept;
bad input refused in French with nothing written; moderators only; the list's queries pinned."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from network.attendance import mark_attendance
from network.models import Attendance, Registration
from tests.laureates.factories import make_laureate
from tests.moderation.factories import user_in
from tests.network.factories import make_session

from .data import past_session, register, registered_people

pytestmark = pytest.mark.django_db


def url(session):
    return reverse("network_attendance:session", args=[session.pk])


def post_for(rows, chosen):
    """The list's POST: each row's shown value and, when given, the choice."""
    data = {}
    for row in rows:
        data[f"affiche-{row.pk}"] = row.attendance
        if row.pk in chosen:
            data[f"presence-{row.pk}"] = chosen[row.pk]
    return data


def test_the_team_marks_present_absent_excused_with_who_and_when(client, agenda, moderator):
    session = past_session(agenda)
    first, second, third, resident = registered_people(session)
    client.force_login(moderator)
    chosen = {first.pk: "present", second.pk: "absent", resident.pk: "excuse"}
    response = client.post(url(session), post_for([first, second, third, resident], chosen))
    assert response.status_code == 303 and response["Location"] == url(session)
    rows = {row.pk: row for row in Registration.objects.filter(session=session)}
    assert rows[first.pk].attendance == Attendance.PRESENT
    assert rows[second.pk].attendance == Attendance.ABSENT
    assert rows[resident.pk].attendance == Attendance.EXCUSE
    assert rows[third.pk].attendance == Attendance.INCONNUE and rows[third.pk].attendance_marked_at is None
    assert rows[first.pk].attendance_marked_by == moderator and rows[first.pk].attendance_marked_at is not None
    html = client.get(url(session)).content.decode()
    assert "Présences enregistrées pour 3 personnes." in html
    assert "Noté le" in html and "par Mona Dupont" in html
    assert "Parti Avant" not in html  # a cancelled registration is not on the list


def test_a_change_made_meanwhile_by_someone_else_is_kept_and_reported(client, agenda, moderator):
    session = past_session(agenda)
    first, second, *_others = registered_people(session)
    shown = post_for([first, second], {first.pk: "present", second.pk: "present"})
    other = user_in("Modérateurs", username="autre", first_name="Omar", last_name="Autre")
    mark_attendance(session, other, {first.pk: ("inconnue", "absent")})
    client.force_login(moderator)
    response = client.post(url(session), shown, follow=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.attendance == Attendance.ABSENT and first.attendance_marked_by == other
    assert second.attendance == Attendance.PRESENT and second.attendance_marked_by == moderator
    assert "Changé entre-temps par quelqu&#x27;un d&#x27;autre, laissé tel quel : Café 1." in response.content.decode()


def test_bad_input_is_refused_in_french_and_changes_nothing(client, agenda, moderator):
    session = past_session(agenda)
    rows = registered_people(session)
    other_session = past_session(agenda)
    stranger = register(other_session, name="Ailleurs", email="ailleurs@example.org")
    client.force_login(moderator)
    # An unknown value.
    response = client.post(url(session), post_for(rows, {rows[0].pk: "peut-etre", rows[1].pk: "present"}))
    assert response.status_code == 400
    assert "Choisissez présent, absent ou excusé." in response.content.decode()
    # Another session's registration slipped in: not a row of this list, ignored.
    data = post_for(rows, {rows[1].pk: "present"})
    data.update({f"affiche-{stranger.pk}": "inconnue", f"presence-{stranger.pk}": "present"})
    client.post(url(session), data)
    stranger.refresh_from_db()
    assert stranger.attendance == Attendance.INCONNUE
    # A registration cancelled since the list was drawn is no longer on it: left alone.
    Registration.objects.filter(pk=rows[0].pk).update(status="annulee")
    client.post(url(session), post_for(rows, {rows[0].pk: "present"}))
    rows[0].refresh_from_db()
    assert rows[0].attendance == Attendance.INCONNUE


def test_the_service_refuses_a_row_that_is_not_a_confirmed_registration_of_the_session(agenda, moderator):
    session = past_session(agenda)
    first, second, *_rest = registered_people(session)
    stranger = register(past_session(agenda), name="Ailleurs", email="ailleurs@example.org")
    for wrong in (stranger.pk, 987654):
        with pytest.raises(ValidationError) as refused:
            mark_attendance(session, moderator, {first.pk: ("inconnue", "present"), wrong: ("inconnue", "present")})
        assert "n'est plus confirmée" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        mark_attendance(session, moderator, {first.pk: ("inconnue", "present"), second.pk: ("inconnue", "venu")})
    assert not Registration.objects.exclude(attendance="inconnue").exists()


def test_attendance_waits_for_the_session_to_start(client, agenda, moderator):
    session = make_session(agenda)  # in ten days
    row = register(session, name="Tôt", email="tot@example.org")
    client.force_login(moderator)
    response = client.post(url(session), post_for([row], {row.pk: "present"}))
    assert response.status_code == 400
    assert "La séance n&#x27;a pas encore commencé" in response.content.decode()
    row.refresh_from_db()
    assert row.attendance == Attendance.INCONNUE


def test_moderators_only(client, agenda, reviewer, editor):
    session = past_session(agenda)
    (row, *_rest) = registered_people(session, count=1)
    for user in (reviewer, editor):
        client.force_login(user)
        assert client.get(reverse("network_attendance:index")).status_code == 403
        assert client.get(url(session)).status_code == 403
        assert client.post(url(session), post_for([row], {row.pk: "present"})).status_code == 403
        assert client.get(reverse("network_attendance:export_csv", args=[session.pk])).status_code == 403
    row.refresh_from_db()
    assert row.attendance == Attendance.INCONNUE
    client.logout()
    assert client.get(url(session)).status_code == 302  # the admin's login


def test_an_unknown_session_is_a_404(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("network_attendance:session", args=[987654])).status_code == 404


def test_the_list_works_on_a_phone_without_javascript(client, agenda, moderator):
    session = past_session(agenda)
    registered_people(session, count=1)
    client.force_login(moderator)
    html = client.get(url(session)).content.decode()
    assert 'type="radio"' in html and "<fieldset" in html and "<legend>" in html
    assert "network/attendance.css" in html and "Enregistrer les présences" in html
    assert "<script" not in html.split('class="nice-padding network-attendance"')[1].split("</form>")[0]


def test_the_list_query_count_is_pinned(client, agenda, moderator, django_assert_num_queries):
    session = past_session(agenda)
    registered_people(session, count=2)
    client.force_login(moderator)
    client.get(url(session))  # the session and the admin's first-visit queries
    with django_assert_num_queries(QUERIES) as captured:
        client.get(url(session))
    for number in range(12):
        register(session, make_laureate(business_name=f"Autre {number}", contact_email=f"autre{number}@example.org"))
    with django_assert_num_queries(len(captured)):
        response = client.get(url(session))
    assert response.status_code == 200 and "Autre 11" in response.content.decode()


QUERIES = 11  # measured: the same with 3 or 15 people
