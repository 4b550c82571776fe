"""Every page type's HTML passes the Nu HTML Checker (vnu.jar) without an error, in one JVM run."""

import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from home import views as home_views

from .harness import fetch, public_pages_by_type

# Pages that are not Wagtail pages, fetched from the live server (name: path).
OTHER_PAGES = {
    "recherche (vide)": "/recherche/",
    "recherche (résultats)": "/recherche/?q=caf%C3%A9",
    "recherche (aucun résultat)": "/recherche/?q=zzzzzz",
    "lauréats filtrés": "/laureats/?region=ile-de-france&kind=cafe",
    "lauréats (aucun résultat)": "/laureats/?region=corse",
    "page introuvable (404)": "/cette-page-n-existe-pas/",
    # One page per type comes from the demo (news index and page, the four legal pages);
    # the yearly archive of the news is a route of the index.
    "actualités de 2026": "/actualites/2026/",
    "prévenez-moi du prochain appel": "/prevenez-moi/",
    "prévenez-moi (merci)": "/prevenez-moi/merci/",
    "prévenez-moi (lien de désinscription invalide)": "/prevenez-moi/desinscription/faux/",
}


def csrf_failure_page(base_url):
    """The page a visitor gets when a form is posted without its CSRF token (403)."""
    request = urllib.request.Request(
        base_url + "/admin/login/", data=urllib.parse.urlencode({"username": "x"}).encode(), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        assert error.code == 403
        return error.read().decode()


def rendered_error_pages(rf):
    """Error pages the live server cannot be made to serve on demand, rendered by their views."""
    request = rf.get("/")
    request.user = AnonymousUser()
    return {
        "accès refusé (403)": home_views.permission_denied(request).content.decode(),
        "connexion bloquée (403)": render_to_string("403_lockout.html", request=request),
        "erreur serveur (500)": home_views.server_error(request).content.decode(),
    }


def test_every_page_type_is_valid_html(demo_site, validator, rf):
    documents = {
        f"{label} {page.url}": fetch(demo_site.at(page.url)) for label, page in public_pages_by_type()[0].items()
    }
    documents.update({name: fetch(demo_site.at(path)) for name, path in OTHER_PAGES.items()})
    documents["formulaire expiré (403 CSRF)"] = csrf_failure_page(demo_site.url)
    documents.update(rendered_error_pages(rf))
    for name, html in documents.items():
        assert html.lstrip().lower().startswith("<!doctype html>"), f"{name} is not an HTML page: {html[:200]!r}"

    report = validator(documents)

    assert set(report) >= set(documents)
    assert "page introuvable (404)" in documents and "Page introuvable" in documents["page introuvable (404)"]


def test_every_page_type_has_a_public_demo_page(demo_site):
    """The checks above only see page types that load_demo_content builds a live, public page for."""
    _found, missing = public_pages_by_type()
    assert not missing, (
        f"No live public page in the demo content for the page type(s) {', '.join(missing)}: add one in the "
        "app's demo.py (run by load_demo_content) so that the HTML and accessibility checks cover it, or list "
        "the type in tests/e2e/harness.py NOT_PUBLIC_PAGE_TYPES with the reason it is never served."
    )


def test_the_checker_reports_errors_by_document(validator):
    """The harness fails on invalid HTML (a block in a span, an image without alt), naming each document."""
    head = '<!DOCTYPE html><html lang="fr"><head><title>t</title></head>'
    documents = {
        "valide": head + "<body><p>x</p></body></html>",
        "bloc dans span": head + "<body><span><div>x</div></span></body></html>",
        "image sans alt": head + '<body><img src="a.png"></body></html>',
    }
    with pytest.raises(AssertionError) as failure:
        validator(documents)
    message = str(failure.value)
    assert "in 2 document(s) (bloc dans span, image sans alt)" in message
    assert "bloc dans span (line 1): Element “div” not allowed as child of element “span”" in message
    assert "image sans alt (line 1): An “img” element must have an “alt” attribute" in message
