"""The team cancels a session (unpublishes it before it begins): everyone registered is told
once by a « Séance annulée » email, their registrations read « Séance annulée par l'équipe »,
republishing or unpublishing again tells nobody twice, and a session with people still to tell
cannot be deleted from the admin."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from network import registration, registration_links
from network.models import EmailKind, Registration, RegistrationEmail, RegistrationStatus, Role, SessionPage
from network.registration_tasks import send_registration_email
from tests.factories import UserFactory
from tests.laureates.factories import make_laureate

from .factories import make_session

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="editrice", is_staff=True, is_superuser=True))
    return client


def events(message):
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content).walk("VEVENT")


def full_session(agenda, run):
    """A session of one seat: Awa confirmed, Tom waiting, Léa (a resident) not confirmed yet."""
    session = make_session(agenda, capacity=1)
    awa = make_laureate(contact_email="awa@example.org")
    tom = make_laureate(contact_email="tom@example.org")
    run(registration.register_laureate, session, awa)
    run(registration.register_laureate, session, tom)
    run(registration.register_person, session, name="Léa", email="lea@example.org", role=Role.HABITANT)
    return session


def test_unpublishing_tells_each_person_once_with_the_cancelled_ics(agenda, run, mailoutbox):
    session = full_session(agenda, run)
    uid, sequence = str(session.ical_uid), session.ical_sequence
    mailoutbox.clear()
    run(SessionPage.objects.get(pk=session.pk).unpublish)
    assert sorted(m.to[0] for m in mailoutbox) == ["awa@example.org", "tom@example.org"]
    assert all(m.subject.startswith("Séance annulée") for m in mailoutbox)
    confirmed = next(m for m in mailoutbox if m.to == ["awa@example.org"])
    [event] = events(confirmed)
    assert str(event["STATUS"]) == "CANCELLED" and str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == sequence + 1
    assert "/agenda/" not in confirmed.body  # the page is gone: no link to a 404
    waiting = next(m for m in mailoutbox if m.to == ["tom@example.org"])
    assert "liste d'attente" in waiting.body and not waiting.attachments  # their calendar never had it
    # Everyone's registration is the team's cancellation, the resident's too (told nothing: the
    # address was never confirmed).
    assert set(Registration.objects.values_list("status", flat=True)) == {S.SEANCE_ANNULEE}
    assert Registration.objects.filter(cancelled_at__isnull=True).count() == 0
    session.refresh_from_db()
    assert session.ical_sequence == sequence + 1

    # Republished, unpublished again, republished: nobody is told twice, nobody promoted.
    count = len(mailoutbox)
    run(session.save_revision().publish)
    run(SessionPage.objects.get(pk=session.pk).unpublish)
    run(SessionPage.objects.get(pk=session.pk).save_revision().publish)
    assert len(mailoutbox) == count
    assert set(Registration.objects.values_list("status", flat=True)) == {S.SEANCE_ANNULEE}
    session.refresh_from_db()
    assert session.ical_sequence == sequence + 1  # the row's number wins over the revision's

    # The worker retrying a row sends nothing more.
    rows = RegistrationEmail.objects.filter(kind=EmailKind.SEANCE_ANNULEE)
    assert rows.count() == 2 and not rows.filter(sent_at__isnull=True).exists()
    for row in rows:
        assert send_registration_email.call(row.pk) == "nothing to do"
    assert len(mailoutbox) == count


def test_a_row_sent_late_is_sent_once(agenda, run, mailoutbox):
    """The unpublication writes the rows; two workers given the same row send it once."""
    session = full_session(agenda, run)
    mailoutbox.clear()
    SessionPage.objects.get(pk=session.pk).unpublish()  # the on-commit queueing not run
    assert not mailoutbox
    row = RegistrationEmail.objects.get(
        kind=EmailKind.SEANCE_ANNULEE, registration__laureate__contact_email="awa@example.org"
    )
    assert send_registration_email.call(row.pk) == "sent"
    assert send_registration_email.call(row.pk) == "nothing to do"
    assert len(mailoutbox) == 1


def test_the_person_cannot_cancel_or_confirm_afterwards(agenda, run):
    session = full_session(agenda, run)
    run(SessionPage.objects.get(pk=session.pk).unpublish)
    awa = Registration.objects.get(laureate__contact_email="awa@example.org")
    with pytest.raises(registration.Refused, match="séance est annulée"):
        registration.cancel(awa)
    lea = Registration.objects.get(email="lea@example.org")
    with pytest.raises(registration.Refused, match="séance est annulée"):
        registration.confirm(lea)


def test_the_residents_link_says_the_team_cancelled_it(agenda, run, client):
    session = full_session(agenda, run)
    lea = Registration.objects.get(email="lea@example.org")
    run(SessionPage.objects.get(pk=session.pk).unpublish)
    page = client.get(reverse("network_registration:manage", args=[registration_links.registration_token(lea)]))
    text = html.unescape(page.content.decode())
    assert "Séance annulée par l'équipe" in text and "L'équipe a annulé cette séance" in text
    assert "Confirmer mon inscription" not in text and "Annuler mon inscription" not in text
    assert f'href="{session.url}"' not in text  # the page is gone: no link to a 404


def test_a_session_that_has_begun_is_not_cancelled(agenda, run, mailoutbox):
    started = timezone.now() - datetime.timedelta(hours=1)
    session = make_session(agenda, starts_at=started, hours=3)
    held = Registration.objects.create(
        session=session, laureate=make_laureate(contact_email="awa@example.org"), role=Role.LAUREAT, status=S.CONFIRMEE
    )
    mailoutbox.clear()
    run(SessionPage.objects.get(pk=session.pk).unpublish)
    held.refresh_from_db()
    assert held.status == S.CONFIRMEE and not mailoutbox


def test_mes_seances_says_the_team_cancelled_it(agenda, run, signed_in_client):
    session = full_session(agenda, run)
    run(SessionPage.objects.get(pk=session.pk).unpublish)
    text = html.unescape(signed_in_client("awa@example.org").get("/espace-candidat/mes-seances/").content.decode())
    assert session.title in text and "Séance annulée par l'équipe" in text
    assert "L'équipe a annulé cette séance" in text
    assert "Annuler mon inscription" not in text and f'href="{session.url}"' not in text


def test_the_admin_unpublishes_tells_and_only_then_deletes(agenda, run, admin_client, mailoutbox):
    session = full_session(agenda, run)
    mailoutbox.clear()
    # Deleting first is refused, with the way forward in French; nothing changes.
    for method in (admin_client.get, admin_client.post):
        response = method(f"/admin/pages/{session.pk}/delete/", follow=True)
        assert "Dépubliez d'abord la séance" in html.unescape(response.content.decode())
    assert SessionPage.objects.filter(pk=session.pk, live=True).exists() and not mailoutbox
    # The bulk deletion too.
    response = admin_client.post(
        f"/admin/bulk/wagtailcore/page/delete/?id={session.pk}&next=/admin/pages/{agenda.pk}/", follow=True
    )
    assert "Dépubliez d'abord la séance" in html.unescape(response.content.decode())
    assert SessionPage.objects.filter(pk=session.pk).exists()
    # The admin's « Dépublier » tells everyone.
    run(admin_client.post, f"/admin/pages/{session.pk}/unpublish/")
    assert sorted(m.to[0] for m in mailoutbox) == ["awa@example.org", "tom@example.org"]
    # Everyone told, the emails sent: the deletion goes through.
    admin_client.post(f"/admin/pages/{session.pk}/delete/")
    assert not SessionPage.objects.filter(pk=session.pk).exists()
    assert len(mailoutbox) == 2


def test_an_email_that_no_longer_applies_does_not_hold_the_deletion(agenda):
    """A verification never sent (the registration expired since) leaves the session free to
    delete; an active registration or a « séance annulée » still to send holds it."""
    session = make_session(agenda)
    _outcome, lea = registration.register_person(session, name="Léa", email="lea@example.org", role=Role.HABITANT)
    assert RegistrationEmail.objects.filter(sent_at__isnull=True).count() == 1
    assert registration.people_to_tell(session)  # Léa is active
    Registration.objects.filter(pk=lea.pk).update(status=S.EXPIREE)
    assert not registration.people_to_tell(session)
    held = registration.register_laureate(session, make_laureate(contact_email="awa@example.org"))
    SessionPage.objects.get(pk=session.pk).unpublish()  # the rows written, not sent (no commit)
    assert Registration.objects.get(pk=held.pk).status == S.SEANCE_ANNULEE
    assert registration.people_to_tell(session)
    RegistrationEmail.objects.filter(kind=EmailKind.SEANCE_ANNULEE).update(sent_at=timezone.now())
    assert not registration.people_to_tell(session)


def test_a_registration_racing_the_unpublication_is_refused(agenda, run):
    """The session was read live, then unpublished before the registration got its lock: the
    row read under the lock decides, nothing is written."""
    session = make_session(agenda)
    stale = SessionPage.objects.get(pk=session.pk)
    run(SessionPage.objects.get(pk=session.pk).unpublish)
    with pytest.raises(registration.Refused, match="n'est plus proposée"):
        registration.register_laureate(stale, make_laureate(contact_email="awa@example.org"))
    with pytest.raises(registration.Refused, match="n'est plus proposée"):
        registration.register_person(stale, name="Léa", email="lea@example.org", role=Role.HABITANT)
    assert not Registration.objects.exists()


def test_the_session_editor_says_that_unpublishing_cancels(agenda, admin_client):
    """Wagtail's « Dépublier » confirmation has no hook: the editor says it where the team works."""
    session = make_session(agenda)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[session.pk]))
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "Dépublier une séance qui n'a pas commencé l'annule" in text
    assert "publiez sans dépublier" in text
