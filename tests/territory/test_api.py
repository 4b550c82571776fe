"""GET /api/qpv/ and /api/communes/: answers, French 400s, the rate limit."""

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db


def test_qpv_by_point(client):
    response = client.get("/api/qpv/", {"lat": "48.8871", "lon": "2.3526"})
    assert response.status_code == 200
    data = response.json()
    assert data["methode"] == "point" and data["dans_un_qpv"] is True and data["distance_m"] == 0
    assert data["qpv"]["code"] == "QN07511M" and data["qpv"]["nom"] == "Goutte D'Or"
    assert data["qpv"]["communes"] == [{"code": "75056", "nom": "Paris"}]
    assert data["texte"] == "dans le QPV Goutte D'Or (QN07511M)"


def test_qpv_near_a_point_gives_the_distance(client):
    data = client.get("/api/qpv/", {"lat": "48.8556", "lon": "2.2986"}).json()
    assert data["dans_un_qpv"] is False and data["distance_m"] > 500 and data["qpv"]["code"].startswith("QN075")


def test_qpv_by_commune_lists_several_communes(client):
    data = client.get("/api/qpv/", {"commune": "02691"}).json()
    assert data["methode"] == "commune" and data["distance_m"] is None
    europe = next(q for q in data["qpv_de_la_commune"] if q["code"] == "QN00201M")
    assert [c["code"] for c in europe["communes"]] == ["02571", "02691"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lat": "abc", "lon": "2.35"}, "doivent être des nombres"),
        ({"lat": "95", "lon": "2.35"}, "de -90 à 90"),
        ({"lat": "48.8"}, "ensemble"),
        ({"commune": "99999"}, "Code commune INSEE inconnu"),
        ({"commune": "<script>"}, "Code commune INSEE inconnu"),
        ({}, "Indiquez lat et lon"),
    ],
)
def test_bad_input_gets_a_400_in_french(client, params, message):
    response = client.get("/api/qpv/", params)
    assert response.status_code == 400
    assert message in response.json()["erreur"]


def test_communes_of_a_shared_postal_code(client):
    data = client.get("/api/communes/", {"code_postal": "95000"}).json()
    assert [c["nom"] for c in data["communes"]] == ["Boisemont", "Cergy", "Neuville-sur-Oise", "Pontoise"]
    assert data["communes"][1]["region_nom"] == "Île-de-France"


@pytest.mark.parametrize("value", ["", "7501", "ABCDE", "750180"])
def test_communes_needs_five_digits(client, value):
    response = client.get("/api/communes/", {"code_postal": value})
    assert response.status_code == 400
    assert response.json()["erreur"] == "Le code postal compte 5 chiffres, par exemple 75018."


def test_only_get(client):
    assert client.post("/api/qpv/", {"lat": "48", "lon": "2"}).status_code == 405


def test_the_rate_limit_answers_429_with_retry_after(client, settings):
    settings.TERRITORY_API_RATE_LIMIT = 3
    settings.TERRITORY_API_RATE_WINDOW = 60
    for _ in range(3):
        assert client.get("/api/qpv/", {"commune": "75056"}).status_code == 200
    response = client.get("/api/qpv/", {"commune": "75056"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Trop de demandes" in response.json()["erreur"]
    # Another address is counted apart.
    assert client.get("/api/qpv/", {"commune": "75056"}, REMOTE_ADDR="10.0.0.9").status_code == 200
    # Bad requests count too (they cost the same to answer).
    caches["counters"].clear()
    for _ in range(3):
        client.get("/api/communes/", {"code_postal": "x"})
    assert client.get("/api/communes/", {"code_postal": "95000"}).status_code == 429


def test_the_cache_down_refuses_nothing(client, settings):
    # A Redis that does not answer (nothing listens on this port): the fail-safe cache.
    down = {
        "BACKEND": "home.cache.FailSafeRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    settings.CACHES = {"default": down, "counters": down}
    settings.TERRITORY_API_RATE_LIMIT = 1
    from django.core.cache import caches

    caches._settings = None  # the new CACHES setting
    try:
        for _ in range(3):
            assert client.get("/api/qpv/", {"commune": "75056"}).status_code == 200
    finally:
        caches._settings = None
