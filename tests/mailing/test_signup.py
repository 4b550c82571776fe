"""Signing up to the « prévenez-moi » list: double opt-in, no enumeration, one-click leave."""

import datetime
import html
import re

import pytest
from django.core import signing
from django.core.management import call_command
from django.utils import timezone

from home.log_redaction import redact
from mailing.models import Subscriber

pytestmark = pytest.mark.django_db


def link(message, kind):
    return re.search(rf"http://testserver(/prevenez-moi/{kind}/[^/\s]+/)", message.body).group(1)


def test_sign_up_confirm_and_unsubscribe_in_one_click(client, sign_up, mailoutbox, home_page):
    response = sign_up("Awa@Example.org")
    assert response.status_code == 303
    assert response["Location"] == "/prevenez-moi/merci/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "awa@example.org"
    assert (subscriber.region, subscriber.role, subscriber.confirmed_at) == ("ile-de-france", "commerce", None)
    assert "conserve mon adresse" in subscriber.consent_text
    assert subscriber.consent_version and subscriber.consent_at

    [message] = mailoutbox
    assert message.to == ["awa@example.org"]
    confirm = link(message, "confirmer")
    unsubscribe = link(message, "desinscription")
    assert "awa" not in confirm and "awa" not in unsubscribe
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # A GET (a mail scanner) changes nothing; the button's POST confirms.
    page = client.get(confirm)
    assert page.status_code == 200 and "Confirmer mon inscription" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    Subscriber.objects.get(confirmed_at__isnull=True)
    assert "Inscription confirmée" in client.post(confirm).content.decode()
    assert Subscriber.objects.get().confirmed_at is not None

    # RFC 8058: the mail client's POST, no CSRF token, no session.
    one_click = client.__class__(enforce_csrf_checks=True)
    assert one_click.get(unsubscribe).status_code == 200
    assert Subscriber.objects.exists()
    response = one_click.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Désinscription faite" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_an_address_already_on_the_list_gets_the_same_answer(client, sign_up, mailoutbox, settings, home_page):
    settings.MAILING_CONFIRMATION_MIN_INTERVAL_MINUTES = 0
    first = sign_up("awa@example.org")
    client.post(link(mailoutbox[0], "confirmer"))
    before = Subscriber.objects.values().get()

    again = sign_up("awa@example.org", region="bretagne", role="presse")
    unknown = sign_up("nouvelle@example.org")
    assert again.status_code == unknown.status_code == first.status_code == 303
    assert again["Location"] == unknown["Location"]
    assert client.get(again["Location"]).content == client.get(unknown["Location"]).content
    # Someone typing the address changes nothing of its choices or consent.
    after = Subscriber.objects.values().get(email="awa@example.org")
    for field in ("region", "role", "consent_text", "consent_at", "confirmed_at", "unsubscribe_key"):
        assert after[field] == before[field]
    # The owner gets a link that renews the subscription.
    renewal = mailoutbox[1]
    assert renewal.to == ["awa@example.org"] and "déjà inscrite" in renewal.body
    client.post(link(renewal, "confirmer"))
    assert Subscriber.objects.get(email="awa@example.org").last_renewed_at > before["last_renewed_at"]


def test_one_confirmation_email_per_interval(sign_up, mailoutbox, settings, home_page):
    settings.MAILING_CONFIRMATION_MIN_INTERVAL_MINUTES = 5
    sign_up("awa@example.org")
    sign_up("awa@example.org")
    assert len(mailoutbox) == 1


def test_a_confirmation_link_reused_or_replaced_reads_as_used(client, sign_up, mailoutbox, settings, home_page):
    settings.MAILING_CONFIRMATION_MIN_INTERVAL_MINUTES = 0
    sign_up()
    old = link(mailoutbox[0], "confirmer")
    sign_up()
    new = link(mailoutbox[1], "confirmer")
    response = client.post(old)
    assert response.status_code == 400 and "a déjà servi" in response.content.decode()
    assert Subscriber.objects.get().confirmed_at is None
    assert client.post(new).status_code == 200
    confirmed_at = Subscriber.objects.get().confirmed_at
    response = client.post(new)
    assert response.status_code == 400 and "a déjà servi" in response.content.decode()
    assert Subscriber.objects.get().confirmed_at == confirmed_at


def test_an_expired_confirmation_link(client, sign_up, mailoutbox, settings, home_page):
    sign_up()
    confirm = link(mailoutbox[0], "confirmer")
    settings.MAILING_CONFIRMATION_MAX_AGE_DAYS = -1
    for response in (client.get(confirm), client.post(confirm)):
        assert response.status_code == 400
        assert "a expiré" in response.content.decode()
    assert Subscriber.objects.get().confirmed_at is None


def test_a_forged_unsubscribe_token_changes_nothing(client, sign_up, mailoutbox, home_page):
    sign_up()
    subscriber = Subscriber.objects.get()
    real = link(mailoutbox[0], "desinscription")
    forged_key = signing.dumps([subscriber.pk, "devine"], salt="mailing.unsubscribe", compress=True)
    wrong_salt = signing.dumps([subscriber.pk, subscriber.unsubscribe_key], salt="autre", compress=True)
    for token in (forged_key, wrong_salt, real.split("/")[-2][:-3] + "abc", "n-importe-quoi"):
        url = f"/prevenez-moi/desinscription/{token}/"
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400
            assert "Rien n'a été changé" in response.content.decode()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("awa@", "n'est pas valide"),
        ("awa.example.org", "n'est pas valide"),
        ("awa@gmial.com", "vouliez-vous dire « gmail.com »"),
        ("", "Indiquez votre adresse"),
    ],
)
def test_a_malformed_address_gets_a_french_message(sign_up, mailoutbox, email, message, home_page):
    response = sign_up(email)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not Subscriber.objects.exists() and not mailoutbox


def test_consent_is_required(sign_up, mailoutbox, home_page):
    response = sign_up(consent="")
    assert response.status_code == 400
    assert "Cochez la case" in html.unescape(response.content.decode())
    assert not Subscriber.objects.exists()


def test_a_flood_from_one_client_is_refused(sign_up, mailoutbox, settings, home_page):
    settings.MAILING_SIGNUP_LIMIT = 3
    for number in range(3):
        assert sign_up(f"personne{number}@example.org").status_code == 303
    response = sign_up("encore@example.org")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Trop d'inscriptions" in response.content.decode()
    assert not Subscriber.objects.filter(email="encore@example.org").exists()
    # Another client is not refused.
    assert sign_up("ailleurs@example.org", client_ip="10.1.0.2").status_code == 303


def test_purge_deletes_unconfirmed_and_lapsed_sign_ups(sign_up, client, mailoutbox, settings, home_page):
    sign_up("jamais@example.org")
    sign_up("fidele@example.org")
    client.post(link(mailoutbox[1], "confirmer"))
    sign_up("ancienne@example.org")
    client.post(link(mailoutbox[2], "confirmer"))
    long_ago = timezone.now() - datetime.timedelta(days=settings.MAILING_SUBSCRIPTION_DAYS + 1)
    Subscriber.objects.filter(email="ancienne@example.org").update(last_renewed_at=long_ago, created_at=long_ago)
    week_ago = timezone.now() - datetime.timedelta(days=settings.MAILING_UNCONFIRMED_DAYS + 1)
    Subscriber.objects.filter(email="jamais@example.org").update(created_at=week_ago)
    call_command("purge_mailing_list")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["fidele@example.org"]


def test_the_links_tokens_are_masked_in_logs():
    for path in ("/prevenez-moi/confirmer/eyJhbGciOi:abc/", "/prevenez-moi/desinscription/eyJz:1tZ:xyz/"):
        assert "eyJ" not in redact(f'"POST {path} HTTP/1.1" 200')
