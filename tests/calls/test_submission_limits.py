"""How many applications one address may send: « à vérifier » past the soft limit, a French
429 storing nothing past the hard one, counted per call and per address."""

import re
import types

import pytest
from django.core import mail

from calls.models import Application, Attachment
from tests.calls.factories import jpeg_file, make_call, pdf_file, valid_answers
from tests.calls.test_cache_outage import redis_down  # noqa: F401 (a fixture, used by name)
from tests.calls.test_submission import private_files

pytestmark = pytest.mark.django_db

# A fixed clock, ten minutes into a one-hour window: counts never straddle two windows.
WINDOW_START = 1_800_000_000.0  # a multiple of 3600


class Clock:
    def __init__(self):
        self.now = WINDOW_START + 600

    def time(self):
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch, settings):
    settings.CALLS_SUBMISSION_WINDOW = 3600
    clock = Clock()
    monkeypatch.setattr("home.ratelimit.time", types.SimpleNamespace(time=clock.time))
    return clock


@pytest.fixture
def limits(settings):
    def _set(soft, hard, address=100):
        settings.CALLS_SUBMISSION_SOFT_LIMIT = soft
        settings.CALLS_SUBMISSION_HARD_LIMIT = hard
        settings.CALLS_SUBMISSION_ADDRESS_LIMIT = address

    return _set


def token_for(client, page):
    html = client.get(page.url).content.decode()
    return re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)


def apply(client, page, token=None, address="203.0.113.5", **files):
    token = token or token_for(client, page)
    return client.post(page.url, {**valid_answers(), "qc_jeton": token, **files}, REMOTE_ADDR=address)


@pytest.fixture
def other_call(call_index):
    return make_call(call_index, slug="appel-2031", title="Appel à candidatures 2031")


def test_past_the_soft_limit_the_application_is_kept_marked_and_emailed(
    client, call, limits, django_capture_on_commit_callbacks
):
    limits(soft=2, hard=5)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert apply(client, call).status_code == 303
    first, second, third = Application.objects.order_by("pk")
    assert (first.needs_check, second.needs_check, third.needs_check) == (False, False, True)
    assert third.check_reason == "same_address"
    assert "même adresse réseau" in third.get_check_reason_display()
    assert third.is_spam is False and third.spam_reason == ""
    assert third in call.get_submissions()  # not hidden as spam
    # Each of the three got its confirmation and the team its notification.
    assert len(mail.outbox) == 6
    assert sum(third.reference in message.subject for message in mail.outbox) == 2
    third.refresh_from_db()
    assert third.confirmation_sent_at is not None and third.notification_sent_at is not None


def test_past_the_hard_limit_the_post_gets_a_french_429_and_nothing_is_stored(client, call, limits, settings):
    limits(soft=1, hard=2)
    for _ in range(2):
        assert apply(client, call, photo_du_local=jpeg_file(), business_plan=pdf_file()).status_code == 303
    assert len(private_files(settings)) == 4

    token = token_for(client, call)
    response = apply(client, call, token, photo_du_local=jpeg_file(), business_plan=pdf_file())
    assert response.status_code == 429
    assert response["Retry-After"] == "3000"  # the end of the window
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert "Trop de candidatures envoyées depuis votre connexion" in html
    assert "Rien n'a été enregistré." in html
    assert "dans 50 minutes environ" in html
    assert Application.objects.count() == 2
    assert Attachment.objects.count() == 4
    assert len(private_files(settings)) == 4
    assert not Application.objects.filter(idempotency_key=token).exists()


def test_the_next_window_accepts_the_address_again(client, call, limits, clock):
    limits(soft=5, hard=1)
    assert apply(client, call).status_code == 303
    assert apply(client, call).status_code == 429
    clock.now += 3000
    assert apply(client, call).status_code == 303
    assert Application.objects.count() == 2


def test_concurrent_posts_past_the_check_are_refused_when_counted(client, call, limits, settings, monkeypatch):
    """Two POSTs can both pass the early check before either is counted: the count holds."""
    limits(soft=5, hard=1)
    assert apply(client, call).status_code == 303
    monkeypatch.setattr("calls.views.refusal", lambda page, request: None)
    response = apply(client, call, business_plan=pdf_file())
    assert response.status_code == 429
    assert "Trop de candidatures envoyées depuis votre connexion" in response.content.decode()
    assert Application.objects.count() == 1
    assert private_files(settings) == []


def test_limits_are_per_call(client, call, other_call, limits):
    limits(soft=1, hard=1)
    assert apply(client, call).status_code == 303
    assert apply(client, call).status_code == 429
    # The same address, another call: neither refused nor marked.
    assert apply(client, other_call).status_code == 303
    assert Application.objects.get(page=other_call).needs_check is False


def test_limits_are_per_address(client, call, limits):
    limits(soft=1, hard=1)
    assert apply(client, call, address="203.0.113.5").status_code == 303
    assert apply(client, call, address="203.0.113.5").status_code == 429
    assert apply(client, call, address="198.51.100.7").status_code == 303
    assert Application.objects.filter(needs_check=True).count() == 0


def test_one_address_across_every_call_has_its_own_cap(client, call, other_call, call_index, limits):
    limits(soft=5, hard=5, address=2)
    third_call = make_call(call_index, slug="appel-2032", title="Appel à candidatures 2032")
    assert apply(client, call).status_code == 303
    assert apply(client, other_call).status_code == 303
    assert apply(client, third_call).status_code == 429
    assert Application.objects.count() == 2


def test_a_double_click_on_a_stored_application_is_never_refused(client, call, limits):
    limits(soft=0, hard=1)
    token = token_for(client, call)
    first = apply(client, call, token)
    assert first.status_code == 303
    assert apply(client, call).status_code == 429  # a new application is over the limit
    second = apply(client, call, token)  # the same one again
    assert second.status_code == 303
    assert Application.objects.count() == 1
    application = Application.objects.get()
    assert application.reference in client.get(second["Location"]).content.decode()


def test_the_honeypot_still_flags_spam_and_counts_toward_the_limits(client, call, limits, mailoutbox):
    limits(soft=5, hard=1)
    response = apply(client, call, qc_site_internet="http://spam.example")
    assert response.status_code == 303
    assert Application.objects.get().spam_reason == "honeypot"
    assert mailoutbox == []
    assert apply(client, call, qc_site_internet="http://spam.example").status_code == 429
    assert Application.objects.count() == 1


@pytest.mark.usefixtures("redis_down")
def test_without_a_cache_nothing_is_refused_or_marked(client, call, limits, caplog):
    limits(soft=0, hard=1, address=1)
    for _ in range(3):
        assert apply(client, call).status_code == 303
    assert Application.objects.count() == 3
    assert not Application.objects.filter(needs_check=True).exists()
    assert "Submission rate limit not applied" in caplog.text
