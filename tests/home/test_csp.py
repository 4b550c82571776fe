"""The Content-Security-Policy (django-csp, home/middleware.py): public pages, the admin,
error pages, report-only mode. The browser side (no violation on the pages the journeys
visit) is checked by the e2e harness (tests/e2e/conftest.py) and tests/e2e/test_admin_csp.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from wagtail import urls as wagtail_urls

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"


def boom(request):
    raise RuntimeError("panne simulée")


def with_nonce(request):
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ CSP_NONCE }}">window.ok = 1;</script>')
    return HttpResponse(template.render({}, request))


# The project's URLs plus two views of this module (a crash, and a page with a nonce).
urlpatterns = [path("boom/", boom), path("nonce/", with_nonce), path("", include(wagtail_urls))]
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"


def directives(header):
    policy = {}
    for part in header.split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def test_public_page_has_a_strict_policy(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    policy = directives(response[HEADER])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no nonce: the page has no inline script
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response[HEADER]
    assert "'unsafe-eval'" not in response[HEADER]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert REPORT_ONLY not in response


def test_public_pages_have_no_inline_script_or_style(client, home_page):
    html = client.get("/").content.decode()
    assert "<script>" not in html
    assert " style=" not in html


@pytest.mark.urls(__name__)
def test_a_nonce_used_by_a_template_is_in_the_header(client, db):
    response = client.get("/nonce/")
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert len(nonce) >= 16
    assert f"'nonce-{nonce}'" in directives(response[HEADER])["script-src"]
    assert nonce not in client.get("/nonce/")[HEADER]  # one per response


def test_page_with_a_nonce_is_never_put_in_the_page_cache(client, home_page, settings):
    """A stored page would hand its nonce to every visitor, with a header that no longer matches."""
    from django.test import RequestFactory

    from home.page_cache import response_is_cacheable

    settings.PAGE_CACHE_SECONDS = 300
    request = RequestFactory().get("/")
    assert response_is_cacheable(request, HttpResponse("x"))
    str(_nonce_of(request))
    assert not response_is_cacheable(request, HttpResponse("x"))


def _nonce_of(request):
    from home.middleware import ContentSecurityPolicyMiddleware

    ContentSecurityPolicyMiddleware(lambda r: HttpResponse()).process_request(request)
    return request.csp_nonce


def test_cached_page_gets_the_header_too(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 300
    first = client.get("/")
    second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert first[HEADER] == second[HEADER]
    assert directives(second[HEADER])["script-src"] == ["'self'"]


def test_admin_policy_allows_what_wagtail_needs_only(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response[HEADER])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "blob:" in policy["img-src"]
    assert policy["frame-ancestors"] == ["'self'"]  # the preview panel's iframe
    assert policy["object-src"] == ["'none'"]
    assert not any(value.startswith("'nonce-") for value in policy["script-src"])
    assert "'unsafe-eval'" not in response[HEADER]


def test_admin_login_page_has_the_admin_policy(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in directives(response[HEADER])["style-src"]


def test_404_page_has_the_header(client, home_page):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert directives(response[HEADER])["script-src"] == ["'self'"]


@pytest.mark.urls(__name__)
def test_500_page_has_the_header(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
    assert directives(response[HEADER])["script-src"] == ["'self'"]


def test_report_only_mode_sends_the_same_policy_without_enforcing_it(client, home_page, admin_client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/")
    assert HEADER not in response
    assert directives(response[REPORT_ONLY])["script-src"] == ["'self'"]
    admin = admin_client.get("/admin/")
    assert HEADER not in admin
    assert "'unsafe-inline'" in directives(admin[REPORT_ONLY])["script-src"]


def test_enforced_mode_sends_no_report_only_header_on_the_admin(admin_client):
    assert REPORT_ONLY not in admin_client.get("/admin/")


def _settings_in_subprocess(environment):
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([bool(s.CONTENT_SECURITY_POLICY), bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY), "
        "(s.CONTENT_SECURITY_POLICY or s.CONTENT_SECURITY_POLICY_REPORT_ONLY)['DIRECTIVES'].get('report-uri')]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSP_")}
    # A secret key as every deployment has one (django-sesame signs with it when the apps load).
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.base", "SECRET_KEY": "csp-test-key", **environment})
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_report_only_is_switched_by_the_environment():
    assert _settings_in_subprocess({}) == "[true, false, null]"
    assert (
        _settings_in_subprocess({"CSP_REPORT_ONLY": "1", "CSP_REPORT_URI": "https://rapports.example.org/csp"})
        == '[false, true, ["https://rapports.example.org/csp"]]'
    )


def test_s3_media_origin_is_allowed_for_images():
    code_env = {"AWS_STORAGE_BUCKET_NAME": "qc-medias", "AWS_S3_CUSTOM_DOMAIN": "medias.example.org"}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CSP_", "AWS_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.base", "SECRET_KEY": "csp-test-key", **code_env})
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "https://medias.example.org" in result.stdout
