import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


@pytest.mark.django_db
def test_sitemap_lists_live_pages_only(client, home_page):
    from tests.factories import ProgrammePageFactory

    ProgrammePageFactory(parent=home_page, slug="le-programme", title="Le programme")
    draft = ProgrammePageFactory(parent=home_page, slug="brouillon", title="Brouillon", live=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/le-programme/" in body
    assert draft.slug not in body


@pytest.mark.django_db
def test_404_is_in_french(client, home_page):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_500_page_is_in_french(client):
    from home.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_gets_a_french_page(home_page):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/recherche/", {"q": "x"})
    assert response.status_code == 403
    assert "Votre formulaire n'a pas pu être envoyé" in response.content.decode()


@pytest.mark.django_db
def test_admin_is_in_french(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()
    assert "Tableau de bord" in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_on_the_container_address_behind_https_redirect(client, settings):
    """Docker's HEALTHCHECK calls http://127.0.0.1:8000/healthz/: not an allowed host, not HTTPS."""
    settings.ALLOWED_HOSTS = ["quartierscafes.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    other = client.get("/robots.txt", HTTP_HOST="127.0.0.1:8000")
    assert other.status_code == 400


@pytest.mark.django_db
def test_bad_request_gets_the_french_400_page(client, home_page, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="ailleurs.example.org")
    assert response.status_code == 400
    assert "Cette demande n'a pas pu être lue" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_request_too_big_gets_the_french_413_on_any_page(home_page, settings):
    """Django refuses the body while the CSRF check reads it, before any view: site-wide."""
    from django.test import Client

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    response = client.post("/recherche/", {"q": "x" * 2000})
    assert response.status_code == 413
    assert "Votre envoi est trop volumineux" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_too_many_fields_gets_the_french_too_big_page_with_a_400(home_page, settings):
    from django.test import Client

    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    response = client.post("/recherche/", {f"champ{n}": "x" for n in range(10)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Votre envoi est trop volumineux" in body
    assert "trop de fichiers" not in body
