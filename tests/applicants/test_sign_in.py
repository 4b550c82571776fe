"""Passwordless sign-in to /espace-candidat/ (django-sesame): single-use links that expire,
revoked by a newer one, a session that ends when idle, answers that never tell whether an
address is known, limits per address and per client."""

import datetime
import re
import time

import pytest
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applicants import tasks
from applicants.auth import SESSION_SEEN
from applicants.models import ApplicantAccount, LinkRequest
from tests.applicants.conftest import last_token

pytestmark = pytest.mark.django_db


def ask(client, email, capture):
    with capture(execute=True):
        return client.post("/espace-candidat/", {"email": email})


def test_the_sign_in_page_asks_for_an_address_and_is_never_stored(client):
    response = client.get("/espace-candidat/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert 'name="email"' in html and "csrfmiddlewaretoken" in html


def test_a_known_address_gets_a_link_that_signs_in_once(client, awa_application, django_capture_on_commit_callbacks):
    response = ask(client, "awa@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 303 and response["Location"] == "/espace-candidat/lien-envoye/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["awa@example.org"]
    token = last_token()
    assert "awa" not in token.lower()
    # Opening the link (a mail scanner, a preview) does not use it.
    assert client.get(f"/espace-candidat/connexion/{token}/").status_code == 200
    response = client.post(f"/espace-candidat/connexion/{token}/")
    assert response.status_code == 303 and response["Location"] == "/espace-candidat/"
    page = client.get("/espace-candidat/")
    assert awa_application.reference in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    # Used: the same link fails in another browser.
    other = client.__class__()
    assert other.post(f"/espace-candidat/connexion/{token}/").status_code == 400


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    client, awa_application, django_capture_on_commit_callbacks
):
    known = ask(client, "awa@example.org", django_capture_on_commit_callbacks)
    unknown = ask(client, "personne@example.org", django_capture_on_commit_callbacks)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["awa@example.org"]]
    assert not ApplicantAccount.objects.filter(email="personne@example.org").exists()


def _shape(sql):
    """A query without its values: the same statement for any address."""
    return re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+(\.\d+)?\b", "?", sql)


def test_known_and_unknown_addresses_do_the_same_work_in_the_request(
    client, awa_application, django_capture_on_commit_callbacks, settings
):
    """The answer's timing does not tell whether an address is known: the request stores the
    sign-in request and queues its task, the same queries for both; the email is sent by the
    task, after the response."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ask(client, "zoe@example.org", django_capture_on_commit_callbacks)  # the session and caches warmed
    runs = {}
    for email in ("awa@example.org", "personne@example.org"):
        with CaptureQueriesContext(connection) as queries:
            response = ask(client, email, django_capture_on_commit_callbacks)
        assert response.status_code == 303 and response["Location"] == "/espace-candidat/lien-envoye/"
        runs[email] = [_shape(query["sql"]) for query in queries]
    assert runs["awa@example.org"] == runs["personne@example.org"]
    shapes = " ".join(runs["awa@example.org"])
    assert 'INSERT INTO "applicants_linkrequest"' in shapes and "dbtaskresult" in shapes.lower()
    # Whether the address is known is not looked up during the request.
    assert "calls_application" not in shapes and "calls_draft" not in shapes and "applicantaccount" not in shapes
    # Nothing was sent during the request; the address is not in the task queue.
    assert mail.outbox == [] and LinkRequest.objects.count() == 3
    queued = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert len(queued) == 3 and all("example.org" not in str(task.args_kwargs) for task in queued)
    # The worker: a link for the known address only, and the requests deleted.
    results = [tasks.handle_link_request.call(*task.args_kwargs["args"]) for task in queued]
    assert results == ["unknown address", "sent", "unknown address"]
    assert [m.to for m in mail.outbox] == [["awa@example.org"]]
    assert not LinkRequest.objects.exists()
    assert not ApplicantAccount.objects.filter(email__in=["zoe@example.org", "personne@example.org"]).exists()
    # A request handled twice (a task run again) does nothing more.
    assert tasks.handle_link_request.call(queued[1].args_kwargs["args"][0]) == "nothing to do"


def test_requests_a_stopped_queue_left_behind_are_deleted(client, awa_application, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old = LinkRequest.objects.create(email="ancien@example.org")
    LinkRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    fresh = LinkRequest.objects.create(email="awa@example.org")
    assert tasks.handle_link_request.call(fresh.pk) == "sent"
    assert not LinkRequest.objects.exists()


def test_a_newer_link_revokes_the_older_one(client, awa_application, django_capture_on_commit_callbacks, settings):
    settings.APPLICANTS_LINK_MIN_INTERVAL = 0
    ask(client, "awa@example.org", django_capture_on_commit_callbacks)
    first = last_token()
    ask(client, "awa@example.org", django_capture_on_commit_callbacks)
    second = last_token()
    assert first != second
    assert client.post(f"/espace-candidat/connexion/{first}/").status_code == 400
    assert client.post(f"/espace-candidat/connexion/{second}/").status_code == 303


def test_a_link_expires(client, awa_application, django_capture_on_commit_callbacks, monkeypatch):
    ask(client, "awa@example.org", django_capture_on_commit_callbacks)
    token = last_token()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3601)
    assert client.post(f"/espace-candidat/connexion/{token}/").status_code == 400


def test_a_forged_token_is_refused(client, awa_application):
    assert client.post("/espace-candidat/connexion/AAAAAAAAAAAAAAAAAAAAAAAA/").status_code == 400


def test_the_session_ends_after_two_idle_hours(client, awa_application, sign_in):
    sign_in()
    assert "Mon espace candidat" in client.get("/espace-candidat/").content.decode()
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - 7201
    session.save()
    html = client.get("/espace-candidat/").content.decode()
    assert "Recevoir un lien de connexion" in html and awa_application.reference not in html


def test_signing_out(client, awa_application, sign_in):
    sign_in()
    client.post("/espace-candidat/deconnexion/")
    assert awa_application.reference not in client.get("/espace-candidat/").content.decode()


def test_the_next_path_stays_inside_the_space(client, awa_application, django_capture_on_commit_callbacks):
    ask(client, "awa@example.org", django_capture_on_commit_callbacks)
    token = last_token()
    response = client.post(f"/espace-candidat/connexion/{token}/?suite=https://evil.example/")
    assert response["Location"] == "/espace-candidat/"


def test_one_link_per_address_per_minute_even_without_the_cache(
    client, awa_application, django_capture_on_commit_callbacks
):
    ask(client, "awa@example.org", django_capture_on_commit_callbacks)
    ask(client, "awa@example.org", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_limits_per_address_and_per_client(client, awa_application, django_capture_on_commit_callbacks, settings):
    settings.APPLICANTS_LINK_LIMIT_PER_ADDRESS = 2
    settings.APPLICANTS_LINK_LIMIT_PER_CLIENT = 3
    for _ in range(2):
        assert ask(client, "awa@example.org", django_capture_on_commit_callbacks).status_code == 303
    response = ask(client, "awa@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Trop de demandes" in response.content.decode()
    # Per client: a fourth request from this client for another address is refused too.
    assert ask(client, "zoe@example.org", django_capture_on_commit_callbacks).status_code == 429
    caches["counters"].clear()
    assert ask(client, "zoe@example.org", django_capture_on_commit_callbacks).status_code == 303


def test_an_invalid_address_gets_a_french_message(client):
    response = client.post("/espace-candidat/", {"email": "pas-une-adresse"})
    assert response.status_code == 400
    assert "adresse électronique valide" in response.content.decode()


def test_the_page_cache_never_serves_the_space(client, awa_application, sign_in, settings):
    settings.PAGE_CACHE_SECONDS = 300
    assert "/espace-candidat/" in settings.PAGE_CACHE_EXCLUDED_PATHS
    sign_in()
    first = client.get("/espace-candidat/")
    assert first.get("X-Page-Cache") is None
    assert "private" in first["Cache-Control"] or "no-store" in first["Cache-Control"]
