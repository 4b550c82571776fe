import pytest
from django.conf import settings

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
