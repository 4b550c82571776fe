"""A call's opening: one email per confirmed subscriber, exactly once, whatever runs twice."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from mailing import tasks
from mailing.models import Delivery, Subscriber
from tests.calls.factories import STANDARD_FIELDS, add_form_fields
from tests.moderation.factories import make_call

pytestmark = pytest.mark.django_db


def open_call(call_index, **kwargs):
    """A complete call (criteria, decision texts: it may be published again), open since an hour."""
    now = timezone.now()
    call = make_call(
        call_index, opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=30), **kwargs
    )
    add_form_fields(call, [field for field in STANDARD_FIELDS if field["field_type"] == "consent"])
    return call


def subscriber(email, confirmed=True):
    now = timezone.now()
    return Subscriber.objects.create(
        email=email,
        consent_text="J'accepte.",
        consent_version="test",
        consent_at=now,
        confirmed_at=now if confirmed else None,
    )


@pytest.fixture
def subscribers():
    return [subscriber("un@example.org"), subscriber("deux@example.org"), subscriber("pas-encore@example.org", False)]


def announce(capture):
    with capture(execute=True):
        call_command("announce_call_openings")


def test_an_opened_call_is_announced_once_to_each_confirmed_subscriber(
    call_index, subscribers, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.MAILING_BATCH_SIZE = 1  # one batch per delivery: the batches are what is counted
    call = open_call(call_index, title="Appel 2031", slug="appel-2031")
    announce(django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mailoutbox) == ["deux@example.org", "un@example.org"]
    message = mailoutbox[0]
    assert "Appel 2031" in message.subject
    assert "http://testserver/appels/appel-2031/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/prevenez-moi/desinscription/")
    assert Delivery.objects.filter(call=call, sent_at__isnull=False).count() == 2

    # Run again, republish the call, run again: nothing more is sent.
    announce(django_capture_on_commit_callbacks)
    call.save_revision().publish()
    announce(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    # A batch delivered twice (a worker restarted after taking it) sends nothing more.
    tasks.send_call_batch.call(list(Delivery.objects.values_list("pk", flat=True)))
    assert len(mailoutbox) == 2


def test_a_call_published_before_its_opening_is_announced_when_it_opens(
    call_index, subscribers, mailoutbox, django_capture_on_commit_callbacks
):
    opens_at = timezone.now() + datetime.timedelta(days=2)
    call = make_call(call_index, opens_at=opens_at, closes_at=opens_at + datetime.timedelta(days=30))
    announce(django_capture_on_commit_callbacks)
    assert not mailoutbox and not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.announce_openings(now=opens_at + datetime.timedelta(minutes=1))
    assert sorted(message.to[0] for message in mailoutbox) == ["deux@example.org", "un@example.org"]
    assert set(Delivery.objects.values_list("call", flat=True)) == {call.pk}


def test_unsent_deliveries_are_queued_again_after_a_stopped_worker(
    call_index, subscribers, mailoutbox, settings, django_capture_on_commit_callbacks
):
    call = open_call(call_index)
    assert tasks.handle_opening(call)
    assert not tasks.handle_opening(call)  # the second run writes nothing
    # Queued, then lost (the worker stopped): queued again once MAILING_REQUEUE_MINUTES passed.
    Delivery.objects.update(queued_at=timezone.now())
    announce(django_capture_on_commit_callbacks)
    assert not mailoutbox
    Delivery.objects.update(queued_at=timezone.now() - datetime.timedelta(minutes=settings.MAILING_REQUEUE_MINUTES + 1))
    announce(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2


def test_closed_unpublished_calls_and_late_subscribers_are_not_mailed(
    call_index, subscribers, mailoutbox, django_capture_on_commit_callbacks
):
    make_call(call_index)  # closed yesterday
    draft = open_call(call_index)
    draft.unpublish()
    announce(django_capture_on_commit_callbacks)
    assert not mailoutbox
    call = open_call(call_index)
    announce(django_capture_on_commit_callbacks)
    subscriber("tard@example.org")
    announce(django_capture_on_commit_callbacks)
    assert "tard@example.org" not in [message.to[0] for message in mailoutbox]
    assert Delivery.objects.filter(call=call).count() == 2
