"""The legal pages read their facts from the site settings and from the settings the purge
commands use; the cookies page lists every cookie the site sets."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.html import escape
from wagtail.models import Site

from home.legal import cookies, processings
from home.models import AccessibilityPage, AccessibilityStatus, CookiesPage, LegalNoticePage, PrivacyPage, SiteSettings
from tests.calls.factories import CallIndexPageFactory, make_call, valid_answers

pytestmark = pytest.mark.django_db


def add(parent, model, slug, title):
    page = model(title=title, slug=slug)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def legal_pages(home_page):
    return {
        "notice": add(home_page, LegalNoticePage, "mentions-legales", "Mentions légales"),
        "accessibility": add(home_page, AccessibilityPage, "accessibilite", "Déclaration d'accessibilité"),
        "privacy": add(home_page, PrivacyPage, "donnees-personnelles", "Données personnelles"),
        "cookies": add(home_page, CookiesPage, "cookies", "Cookies"),
    }


def site_settings():
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


def test_legal_notice_reads_the_site_settings(client, legal_pages):
    html = client.get("/mentions-legales/").content.decode()
    assert "L'éditeur n'est pas encore renseigné" in html

    values = site_settings()
    values.publisher_name = "Association Exemple"
    values.publisher_details = "12 rue de l'Exemple\n75000 Paris"
    values.publication_director = "Camille Exemple"
    values.host_name = "Hébergeur Exemple"
    values.host_address = "1 avenue des Serveurs, 59000 Lille"
    values.host_contact = "01 02 03 04 05"
    values.contact_email = "ecrire@example.org"
    values.save()

    html = client.get("/mentions-legales/").content.decode()
    for text in (
        "Association Exemple",
        "12 rue de l&#x27;Exemple<br>75000 Paris",
        "Camille Exemple",
        "Hébergeur Exemple",
        "1 avenue des Serveurs, 59000 Lille",
        "01 02 03 04 05",
        "ecrire@example.org",
    ):
        assert text in html
    assert "n'est pas encore renseigné" not in html


def test_accessibility_statement_and_footer_read_one_status(client, legal_pages):
    html = client.get("/").content.decode()
    assert ">Accessibilité : non conforme</a>" in html
    statement = client.get("/accessibilite/").content.decode()
    assert "<strong>non conforme</strong>" in statement
    assert "Aucun audit de conformité n'a encore été réalisé" in statement
    assert "Défenseur des droits" in statement and "Libre réponse 71120" in statement

    values = site_settings()
    values.accessibility_status = AccessibilityStatus.PARTIELLEMENT
    values.accessibility_audit_date = datetime.date(2026, 10, 5)
    values.accessibility_audit_by = "Cabinet Exemple"
    values.accessibility_audit_scope = "Accueil, lauréats, appel à candidatures"
    values.accessibility_results = "82 % des critères du RGAA sont respectés."
    values.accessibility_non_accessible = "La carte des lauréats : dérogation pour charge disproportionnée\n\n"
    values.save()

    html = client.get("/actualites-inexistantes/").content.decode()  # the 404 page has the footer too
    assert "Accessibilité : partiellement conforme" in html
    statement = client.get("/accessibilite/").content.decode()
    assert "<strong>partiellement conforme</strong>" in statement
    assert "5 octobre 2026" in statement and "Cabinet Exemple" in statement
    assert "82 % des critères" in statement and "Accueil, lauréats" in statement
    assert statement.count("<li>La carte des lauréats : dérogation") == 1


def test_privacy_policy_retention_comes_from_the_purge_settings(client, legal_pages, settings):
    settings.CALLS_RETENTION_MONTHS = 18
    settings.CALLS_RETENTION_MONTHS_NOT_SELECTED = 3
    settings.CALLS_DRAFT_LINK_MAX_AGE_DAYS = 9
    settings.APPLICANTS_SESSION_IDLE_SECONDS = 5400
    settings.LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING = 7
    html = client.get("/donnees-personnelles/").content.decode()
    assert "18 mois après la clôture de l&#x27;appel ; 3 mois pour les candidatures non retenues" in html
    assert "effacé après 9 jours" in html
    assert "après 90 minutes sans activité" in html
    assert "puis 7 mois après sa sortie, puis effacées" in html  # manage.py purge_laureate_contacts
    names = ("Candidatures aux appels", "Lauréats et accompagnement", "Brouillons de candidature", "Espace candidat")
    for name in (*names, "Comptes de l&#x27;équipe"):
        assert f">{name}</h2>" in html
    assert 'href="/cookies/"' in html


# Each processing the privacy policy must name, by its title on the page.
NAMED_PROCESSINGS = (
    "Candidatures aux appels",
    "Brouillons de candidature",
    "Espace candidat",
    "Lauréats et accompagnement",
    "Liste « prévenez-moi du prochain appel »",
    "Comptes de l'équipe",
)


def test_the_privacy_policy_names_each_processing_with_its_facts_and_rights(client, legal_pages):
    html = client.get("/donnees-personnelles/").content.decode()
    registered = processings()
    titles = [str(item["name"]) for item in registered]
    for name in NAMED_PROCESSINGS:
        assert name in titles
    # Every registered processing, these and any other an app adds, says each fact.
    for item in registered:
        for key in ("purpose", "legal_basis", "data", "retention", "recipients", "rights"):
            assert str(item[key]).strip(), f"{item['name']}: {key}"
        assert f">{escape(item['name'])}</h2>" in html
        assert escape(str(item["retention"])) in html and escape(str(item["rights"])) in html
    assert html.count("<dt>Vos droits</dt>") == len(registered)
    # How to use the rights from the space: the correction and the erasure, at once or within a month.
    assert "Demander une correction" in html and "Effacer mes données" in html
    assert "un délai d'un mois" in html


def test_cookies_page_lists_every_cookie_the_site_sets(legal_pages, home_page):
    """Set-Cookie names across the journeys that set cookies: a public page, the call form
    (a draft, then the application), the applicant's sign-in, the admin's login (failed,
    then right)."""
    call = make_call(CallIndexPageFactory(parent=home_page))
    get_user_model().objects.create_superuser("equipe", "equipe@example.org", "un-mot-de-passe-long")
    client = Client(enforce_csrf_checks=True)
    seen = set()

    def record(response):
        seen.update(response.cookies.keys())
        return response

    def csrf():
        return client.cookies["csrftoken"].value

    record(client.get("/"))
    html = record(client.get(call.url)).content.decode()
    token = re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)
    draft = {**valid_answers(), "qc_jeton": token, "qc_action": "brouillon", "csrfmiddlewaretoken": csrf()}
    record(client.post(call.url, draft))
    sent = record(client.post(call.url, {**valid_answers(), "qc_jeton": token, "csrfmiddlewaretoken": csrf()}))
    assert sent.status_code in (302, 303)
    record(client.get(sent["Location"]))
    record(client.get("/espace-candidat/"))
    record(client.post("/espace-candidat/", {"email": "awa@example.org", "csrfmiddlewaretoken": csrf()}))
    record(client.get("/admin/login/"))
    login = {"username": "equipe", "password": "faux", "csrfmiddlewaretoken": csrf()}
    record(client.post("/admin/login/", login))
    login = {"username": "equipe", "password": "un-mot-de-passe-long", "csrfmiddlewaretoken": csrf()}
    assert record(client.post("/admin/login/", login)).status_code == 302
    record(client.get("/admin/"))

    listed = {cookie["name"] for cookie in cookies()}
    assert {"sessionid", "csrftoken"} <= seen
    assert seen <= listed, f"cookies set but not listed: {seen - listed}"
    html = Client().get("/cookies/").content.decode()
    for name in listed:
        assert f"<code>{name}</code>" in html
