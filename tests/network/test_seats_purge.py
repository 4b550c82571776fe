"""The seats left at the CDN: a change that alters them (register, confirm, cancel, expire,
promote) purges the session's page and the agenda once per transaction, after the commit
(network/signals.py, home/cdn.py ``purge_pages``); one that does not purges nothing; a CDN that
fails never fails the registration. The CDN is a loopback endpoint recording each PURGE
(``cdn``: tests/conftest.py, tests/cdn.py) behind Wagtail's frontend-cache HTTP backend."""

import datetime
import logging

import pytest
from django.utils import timezone

from network import registration
from network.models import Registration, RegistrationStatus, Role
from tests.laureates.factories import make_laureate

from .factories import make_session

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def test_a_laureate_s_seat_its_cancellation_and_the_promotion_purge_once_each(agenda, cdn, run):
    session = make_session(agenda, capacity=1)
    shown = sorted([agenda.url, session.url])
    awa, tom = make_laureate(contact_email="awa@example.org"), make_laureate(contact_email="tom@example.org")
    cdn.take_all()
    first = run(registration.register_laureate, session, awa)
    assert first.status == S.CONFIRMEE
    assert cdn.take_all() == shown
    # The waiting list changes no seat left (« complet » before and after): nothing purged.
    assert run(registration.register_laureate, session, tom).status == S.LISTE_ATTENTE
    assert cdn.take_all() == []
    # A cancellation frees the seat and Tom takes it, in one transaction: one purge, each URL once.
    [promoted] = run(registration.cancel, first)
    assert promoted.laureate == tom
    assert cdn.take_all() == shown


def test_a_resident_s_seat_confirmation_and_expiry(agenda, cdn, run, settings):
    session = make_session(agenda, capacity=2)
    shown = sorted([agenda.url, session.url])
    cdn.take_all()
    _outcome, lina = run(
        registration.register_person, session, name="Lina", email="lina@example.org", role=Role.HABITANT
    )
    assert cdn.take_all() == shown
    run(registration.register_person, session, name="Noé", email="noe@example.org", role=Role.HABITANT)
    run(registration.register_person, session, name="Léo", email="leo@example.org", role=Role.HABITANT)
    assert cdn.take_all() == shown  # Noé's takes the last seat, Léo's waits (nothing)
    # Lina confirms the seat she held: the seats left do not move.
    assert run(registration.confirm, lina).status == S.CONFIRMEE
    assert cdn.take_all() == []
    # Noé's and Léo's expire (only Noé's held a seat): one purge for the session.
    later = timezone.now() + datetime.timedelta(hours=settings.NETWORK_CONFIRMATION_HOURS, minutes=1)
    assert run(registration.expire_unconfirmed, later) == 2
    assert cdn.take_all() == shown


def test_an_expiry_that_frees_no_seat_purges_nothing(agenda, cdn, run, settings):
    session = make_session(agenda, capacity=1)
    run(registration.register_laureate, session, make_laureate(contact_email="awa@example.org"))
    run(registration.register_person, session, name="Léo", email="leo@example.org", role=Role.HABITANT)
    cdn.take_all()
    later = timezone.now() + datetime.timedelta(hours=settings.NETWORK_CONFIRMATION_HOURS, minutes=1)
    assert run(registration.expire_unconfirmed, later) == 1  # Léo's, on the waiting list
    assert cdn.take_all() == []


def test_a_cdn_that_fails_never_fails_the_registration(agenda, cdn, run, settings, caplog):
    session = make_session(agenda, capacity=5)
    cdn.take_all()
    cdn.status = 503  # the CDN answers an error: Wagtail's backend logs it
    awa = run(registration.register_laureate, session, make_laureate(contact_email="awa@example.org"))
    assert awa.status == S.CONFIRMEE
    assert cdn.take_all() == sorted([agenda.url, session.url])
    # A setting that cannot even make a backend: logged, the registration goes on.
    settings.WAGTAILFRONTENDCACHE = {"http": {"BACKEND": "network.no_such_backend.Backend"}}
    with caplog.at_level(logging.ERROR, logger="home.cdn"):
        tom = run(registration.register_laureate, session, make_laureate(contact_email="tom@example.org"))
    assert tom.status == S.CONFIRMEE
    assert Registration.objects.filter(session=session, status=S.CONFIRMEE).count() == 2
    assert "CDN purge failed" in caplog.text


def test_nothing_is_read_or_sent_without_a_cdn(
    agenda, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {}
    session = make_session(agenda, capacity=5)
    # The change noted and its after-commit work (a new page-cache generation): no query.
    with django_assert_num_queries(0), django_capture_on_commit_callbacks(execute=True) as callbacks:
        registration.signals.seats_changed(session.pk)
    assert callbacks
