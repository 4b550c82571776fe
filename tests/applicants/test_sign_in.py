"""Passwordless sign-in to /espace-candidat/ (django-sesame): single-use links that expire,
revoked by a newer one, a session that ends when idle, answers that never tell whether an
address is known, limits per address and per client."""

import time

import pytest
from django.core import mail
from django.core.cache import cache

from applicants.auth import SESSION_SEEN
from applicants.models import ApplicantAccount
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
    cache.clear()
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
