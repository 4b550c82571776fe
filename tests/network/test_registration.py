"""Registering to a session: seats, waiting list, double opt-in, expiry, cancellation and
promotion, the capacity rule, and each email sent once with its .ics."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from network import registration
from network.models import Audience, EmailKind, Registration, RegistrationEmail, RegistrationStatus, Role
from network.registration_tasks import remind
from tests.laureates.factories import make_laureate

from .factories import make_session

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def run_emails(django_capture_on_commit_callbacks):
    """Run the code given with its on-commit emails sent at once (the immediate task backend)."""

    def _run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return _run


def laureates(count):
    return [make_laureate(contact_email=f"laureat{n}@example.org") for n in range(count)]


def parse_ics(message):
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    return event


def test_a_laureate_registers_in_one_click_then_the_list_waits(agenda, run_emails, mailoutbox):
    session = make_session(agenda, capacity=1)
    first, second = laureates(2)
    assert run_emails(registration.register_laureate, session, first).status == S.CONFIRMEE
    waiting = run_emails(registration.register_laureate, session, second)
    assert waiting.status == S.LISTE_ATTENTE and waiting.waitlisted_at is not None
    assert registration.waiting_position(waiting) == 1
    confirmed, listed = mailoutbox
    assert confirmed.to == ["laureat0@example.org"] and "confirmée" in confirmed.subject
    event = parse_ics(confirmed)
    assert str(event["UID"]) == str(session.ical_uid) and int(event["SEQUENCE"]) == 0
    assert listed.to == ["laureat1@example.org"] and "position 1" in listed.body and not listed.attachments


def test_registering_twice_is_refused_and_changes_nothing(agenda, run_emails, mailoutbox):
    session = make_session(agenda)
    [laureate] = laureates(1)
    run_emails(registration.register_laureate, session, laureate)
    with pytest.raises(registration.Refused, match="déjà inscrit"):
        run_emails(registration.register_laureate, session, laureate)
    assert Registration.objects.count() == 1 and len(mailoutbox) == 1


def test_closed_not_yet_open_and_members_only_are_refused(agenda):
    now = timezone.now()
    [laureate] = laureates(1)
    closed = make_session(agenda, registration_closes_at=now - datetime.timedelta(hours=1))
    with pytest.raises(registration.Refused, match="closes depuis le"):
        registration.register_laureate(closed, laureate)
    later = make_session(agenda, registration_opens_at=now + datetime.timedelta(days=1))
    with pytest.raises(registration.Refused, match="ouvrent le"):
        registration.register_person(later, name="Léa", email="lea@example.org", role=Role.HABITANT)
    members = make_session(agenda, audience=Audience.LAUREATS)
    with pytest.raises(registration.Refused, match="pas ouverte"):
        registration.register_person(members, name="Léa", email="lea@example.org", role=Role.HABITANT)
    assert registration.session_for(members.pk, Role.HABITANT) is None
    assert registration.session_for(members.pk, Role.LAUREAT) == members
    assert registration.session_for(999999, Role.LAUREAT) is None
    left = make_laureate(contact_email="parti@example.org", left_at=now)
    with pytest.raises(registration.Refused, match="membres du réseau"):
        registration.register_laureate(members, left)
    assert not Registration.objects.exists()


def test_a_resident_confirms_by_the_emailed_link(agenda, run_emails, mailoutbox, client):
    session = make_session(agenda, capacity=5)
    outcome, pending = run_emails(
        registration.register_person, session, name="Léa Martin", email="Lea@Example.org", role=Role.HABITANT
    )
    assert outcome == registration.NEW and pending.status == S.EN_ATTENTE_CONFIRMATION
    assert pending.email == "lea@example.org"
    [verification] = mailoutbox
    assert verification.to == ["lea@example.org"] and not verification.attachments
    link = registration.registration_from_token(registration.registration_links.registration_token(pending))
    assert link == pending
    assert registration.seats_left(session) == 4  # the pending registration holds its seat
    confirmed = run_emails(registration.confirm, pending)
    assert confirmed.status == S.CONFIRMEE
    event = parse_ics(mailoutbox[1])
    assert str(event["UID"]) == str(session.ical_uid)
    with pytest.raises(registration.Refused, match="déjà servi"):
        registration.confirm(confirmed)
    assert len(mailoutbox) == 2


def test_the_same_address_twice_changes_nothing_and_sends_nothing(agenda, run_emails, mailoutbox):
    session = make_session(agenda)
    run_emails(registration.register_person, session, name="Léa", email="lea@example.org", role=Role.HABITANT)
    outcome, _row = run_emails(
        registration.register_person, session, name="Autre", email="LEA@example.org", role=Role.HABITANT
    )
    assert outcome == registration.ALREADY
    assert Registration.objects.get().name == "Léa" and len(mailoutbox) == 1


def test_an_unconfirmed_registration_stops_holding_its_seat(agenda, run_emails, mailoutbox, settings):
    settings.NETWORK_CONFIRMATION_HOURS = 2
    session = make_session(agenda, capacity=1)
    _outcome, pending = registration.register_person(session, name="Léa", email="lea@example.org", role=Role.HABITANT)
    [laureate] = laureates(1)
    waiting = registration.register_laureate(session, laureate)
    assert waiting.status == S.LISTE_ATTENTE
    later = timezone.now() + datetime.timedelta(hours=3)
    assert registration.seats_left(session, later) == 1
    mailoutbox.clear()
    assert run_emails(registration.expire_unconfirmed, later) == 1
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == S.EXPIREE and waiting.status == S.CONFIRMEE
    [promotion] = mailoutbox
    assert promotion.to == ["laureat0@example.org"] and "place" in promotion.subject.lower()
    assert parse_ics(promotion)
    with pytest.raises(registration.Refused, match="a expiré"):
        registration.confirm(pending)
    pending.refresh_from_db()
    assert pending.status == S.EXPIREE


def test_a_cancellation_promotes_the_first_waiting_and_emails_them_once(agenda, run_emails, mailoutbox):
    session = make_session(agenda, capacity=1)
    first, second, third = laureates(3)
    held = registration.register_laureate(session, first)
    registration.register_laureate(session, second)
    registration.register_laureate(session, third)
    mailoutbox.clear()
    [promoted] = run_emails(registration.cancel, held)
    assert promoted.laureate == second
    assert {m.to[0] for m in mailoutbox} == {"laureat0@example.org", "laureat1@example.org"}
    cancelled = next(m for m in mailoutbox if m.to == ["laureat0@example.org"])
    assert str(parse_ics(cancelled)["STATUS"]) == "CANCELLED"
    third_row = Registration.objects.get(laureate=third)
    assert third_row.status == S.LISTE_ATTENTE and registration.waiting_position(third_row) == 1
    with pytest.raises(registration.Refused, match="déjà annulée"):
        registration.cancel(held)
    # The promotion email's row exists once: the task run again sends nothing.
    row = RegistrationEmail.objects.get(registration__laureate=second, kind=EmailKind.PROMOTION)
    from network.registration_tasks import send_registration_email

    count = len(mailoutbox)
    assert send_registration_email.call(row.pk) == "nothing to do"
    assert len(mailoutbox) == count


def test_the_capacity_cannot_go_below_the_confirmed_count(agenda):
    session = make_session(agenda, capacity=3)
    for laureate in laureates(2):
        registration.register_laureate(session, laureate)
    with pytest.raises(ValidationError) as error:
        registration.check_capacity(session, 1)
    assert "2 inscriptions sont déjà confirmées" in error.value.message_dict["capacity"][0]
    registration.check_capacity(session, 2)


def test_a_new_date_on_publication_bumps_the_sequence_and_tells_each_person_once(agenda, run_emails, mailoutbox):
    session = make_session(agenda, capacity=1)
    first, second = laureates(2)
    registration.register_laureate(session, first)
    registration.register_laureate(session, second)
    mailoutbox.clear()
    session.title = "Nouveau titre"
    run_emails(session.save_revision().publish)
    session.refresh_from_db()
    assert session.ical_sequence == 0 and not mailoutbox  # the title is not the date or place
    session.starts_at += datetime.timedelta(days=1)
    session.ends_at += datetime.timedelta(days=1)
    run_emails(session.save_revision().publish)
    session.refresh_from_db()
    assert session.ical_sequence == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["laureat0@example.org", "laureat1@example.org"]
    confirmed = next(m for m in mailoutbox if m.to == ["laureat0@example.org"])
    event = parse_ics(confirmed)
    assert int(event["SEQUENCE"]) == 1 and str(event["UID"]) == str(session.ical_uid)
    assert event.DTSTART == session.starts_at
    waiting = next(m for m in mailoutbox if m.to == ["laureat1@example.org"])
    assert not waiting.attachments
    # The same sequence again tells nobody twice.
    count = len(mailoutbox)
    run_emails(registration.tell_change, session.pk, 1)
    assert len(mailoutbox) == count


def test_a_raised_capacity_moves_the_waiting_list(agenda, run_emails, mailoutbox):
    session = make_session(agenda, capacity=1)
    first, second = laureates(2)
    registration.register_laureate(session, first)
    waiting = registration.register_laureate(session, second)
    session.capacity = 2
    run_emails(session.save_revision().publish)
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMEE


def test_the_day_before_reminder_is_sent_once(agenda, run_emails, mailoutbox):
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    session = make_session(agenda, starts_at=tomorrow.replace(hour=18, minute=0, second=0, microsecond=0))
    later = make_session(agenda)
    [laureate] = laureates(1)
    registration.register_laureate(session, laureate)
    registration.register_laureate(later, laureate)
    mailoutbox.clear()
    assert run_emails(remind) == 1
    [reminder] = mailoutbox
    assert "demain" in reminder.subject and parse_ics(reminder)
    assert run_emails(remind) == 0
    call_command("remind_sessions")
    assert len(mailoutbox) == 1


def test_the_retention_purge(agenda, settings):
    settings.NETWORK_REGISTRATION_RETENTION_MONTHS = 12
    now = timezone.now()
    past = make_session(agenda, starts_at=now - datetime.timedelta(days=400))
    Registration.objects.create(
        session=past, name="Léa", email="lea@example.org", role=Role.HABITANT, status=S.CONFIRMEE
    )
    Registration.objects.create(session=past, name="Tom", email="tom@example.org", role=Role.HABITANT, status=S.ANNULEE)
    recent = make_session(agenda, starts_at=now - datetime.timedelta(days=3))
    Registration.objects.create(
        session=recent, name="Zoé", email="zoe@example.org", role=Role.HABITANT, status=S.CONFIRMEE
    )
    call_command("purge_network_registrations")
    assert list(Registration.objects.order_by("pk").values_list("name", "email", "status")) == [
        ("", "", S.CONFIRMEE),
        ("Zoé", "zoe@example.org", S.CONFIRMEE),
    ]
