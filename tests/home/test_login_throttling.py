import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.mark.django_db
def test_admin_login_is_locked_after_repeated_failures_then_cools_off(client):
    UserFactory(username="redactrice", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "redactrice", "password": "faux"}, REMOTE_ADDR="203.0.113.5")
    response = client.post(
        "/admin/login/", {"username": "redactrice", "password": "motdepasse-solide-42"}, REMOTE_ADDR="203.0.113.5"
    )
    assert response.status_code == 429 or response.status_code == 403
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert 0 < settings.AXES_COOLOFF_TIME <= 24


@pytest.mark.django_db
def test_lockout_is_per_client_address(client):
    UserFactory(username="redacteur", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "redacteur", "password": "faux"}, REMOTE_ADDR="203.0.113.5")
    response = client.post(
        "/admin/login/", {"username": "redacteur", "password": "motdepasse-solide-42"}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "proxies,forwarded,remote,expected",
    [
        (0, "6.6.6.6", "203.0.113.9", "203.0.113.9"),  # no proxy: the header is ignored
        (1, "6.6.6.6, 203.0.113.9", "10.0.0.2", "203.0.113.9"),  # a forged entry is skipped
        (1, "203.0.113.9", "10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9, 198.51.100.1", "10.0.0.2", "203.0.113.9"),  # CDN then load balancer
        (1, "", "10.0.0.2", "10.0.0.2"),  # header missing: fall back to the socket
        (1, "pas-une-adresse", "10.0.0.2", "10.0.0.2"),
    ],
)
def test_client_address_behind_proxies(rf, settings, proxies, forwarded, remote, expected):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert get_client_ip_address(request) == expected


@pytest.mark.django_db
def test_lockout_behind_a_proxy_follows_the_real_client(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="moderatrice", is_staff=True)
    for i in range(settings.AXES_FAILURE_LIMIT):
        # A bot rotating a forged left-most entry is still the same client.
        client.post(
            "/admin/login/",
            {"username": "moderatrice", "password": "faux"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 203.0.113.5",
        )
    response = client.post(
        "/admin/login/",
        {"username": "moderatrice", "password": "motdepasse-solide-42"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert "Trop de tentatives de connexion" in response.content.decode()


# --- Lockout by address alone and by username alone (home/login_throttle.py) ---------------

PASSWORD = "motdepasse-solide-42"


def login(client, username, password="faux", address="203.0.113.5"):  # noqa: S107 (a wrong one, on purpose)
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def assert_locked(response):
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    html = response.content.decode()
    assert "Trop de tentatives de connexion" in html
    assert "la connexion est bloquée pour quelques minutes" in html


def test_the_three_lockouts_have_their_own_limits():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address", "username"]
    # A username alone can be locked by anyone: it takes more failures than the pair.
    assert settings.LOGIN_FAILURE_LIMIT_PER_USERNAME > settings.AXES_FAILURE_LIMIT
    assert settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS > settings.AXES_FAILURE_LIMIT
    assert settings.AXES_COOLOFF_TIME <= 0.25  # hours: a locked-out owner waits 15 minutes at most


@pytest.mark.django_db
def test_one_address_trying_many_usernames_is_locked(client, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 6
    UserFactory(username="tresoriere", is_staff=True, password=PASSWORD)
    for i in range(5):
        login(client, f"inconnu{i}")  # one failure per username: no pair is locked
    # Below the address's limit, a correct login from it still works.
    assert login(client, "tresoriere", PASSWORD).status_code == 302
    client.logout()
    login(client, "inconnu-5")
    login(client, "inconnu-6")
    # Locked for every username, the right password included.
    assert_locked(login(client, "tresoriere", PASSWORD))
    # Another address is not.
    assert login(client, "tresoriere", PASSWORD, address="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_one_username_tried_from_many_addresses_is_locked(client, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_USERNAME = 8
    UserFactory(username="presidente", is_staff=True, password=PASSWORD)
    for i in range(7):
        login(client, "presidente", address=f"198.51.100.{i}")
    # Seven failures, more than the pair's five, from seven addresses: not locked yet.
    assert login(client, "presidente", PASSWORD, address="192.0.2.1").status_code == 302
    client.logout()
    # The successful login forgave only its own address's failures: one more from elsewhere locks.
    login(client, "presidente", address="198.51.100.200")
    assert_locked(login(client, "presidente", PASSWORD, address="192.0.2.2"))
    # Other usernames from those addresses are not locked.
    UserFactory(username="secretaire", is_staff=True, password=PASSWORD)
    assert login(client, "secretaire", PASSWORD, address="198.51.100.0").status_code == 302


@pytest.mark.django_db
def test_a_correct_login_works_again_after_the_cool_off(client, settings):
    UserFactory(username="presidente", is_staff=True, password=PASSWORD)
    for i in range(settings.LOGIN_FAILURE_LIMIT_PER_USERNAME):
        login(client, "presidente", address=f"198.51.100.{i}")
    assert_locked(login(client, "presidente", PASSWORD, address="192.0.2.1"))
    # The cool-off passes: every failure is now older than it.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, seconds=1)
    )
    assert login(client, "presidente", PASSWORD, address="192.0.2.1").status_code == 302


@pytest.mark.django_db
def test_logging_in_with_one_account_does_not_reset_the_address_lockout(client, settings):
    """An attacker holding one valid account cannot wipe its failures on the others."""
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 6
    UserFactory(username="complice", is_staff=True, password=PASSWORD)
    for i in range(5):
        login(client, f"cible{i}")
    assert login(client, "complice", PASSWORD).status_code == 302
    client.logout()
    login(client, "cible-5")
    assert_locked(login(client, "cible-6", PASSWORD))
