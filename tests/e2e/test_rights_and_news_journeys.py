"""Two short journeys at 375 px, axe-core and the Nu HTML Checker on every page they reach:

- a visitor reads the news (the index, a news page, its year's archive) and the accessibility
  statement from the footer's « Accessibilité : … » link;
- an applicant with a draft only signs in to the space and erases it (the confirmation page,
  then nothing left); an applicant whose application is under review asks for a correction (an
  empty text first) and for the erasure, which waits for the team: a moderator sees it on the
  dashboard with its deadline and carries it out in one action. The new pages are also
  checked by axe at 1280 px.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .harness import check_axe, format_vnu_messages, loaded_html, run_vnu, screenshot
from .test_moderation_pages import wagtail_markup

pytestmark = [pytest.mark.e2e, pytest.mark.journey]

PASSWORD = "motdepasse-solide-42"
OPEN_CALL = "appel-a-candidatures-2026"
LINK = re.compile(r"https?://[^/\s]+(/espace-candidat/connexion/[^\s]+)")


def extra_demo_content(home):
    """A draft-only applicant, an applicant under review, a moderator (committed)."""
    from django.utils import timezone

    from calls.models import CallPage, Draft
    from tests.moderation.factories import ApplicationFactory, user_in

    call = CallPage.objects.get(slug=OPEN_CALL)
    Draft.objects.create(page=call, email="nadia@example.org", email_confirmed_at=timezone.now())
    ApplicationFactory(page=call, applicant_email="yanis@example.org", applicant_name="Yanis Benali")
    user_in("Modérateurs", username="mona", first_name="Mona", last_name="Dupont", password=PASSWORD)


def run_commit_callbacks():
    """On SQLite the live server shares the test's transaction: run what waits for its commit
    (the sign-in email). On PostgreSQL the server committed and nothing waits here."""
    from django.db import connection

    pending, connection.run_on_commit = list(connection.run_on_commit), []
    for _savepoints, callback, _robust in pending:
        callback()


def checked(page, name, pages):
    """Its HTML kept for the Nu checker, axe, a screenshot, nothing wider than the phone."""
    pages[name] = loaded_html(page)
    check_axe(page, name)
    screenshot(page, name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def wide(page, name):
    """The same page at 1280 px: axe and a screenshot, then back to the phone."""
    page.set_viewport_size({"width": 1280, "height": 900})
    check_axe(page, f"{name}-1280")
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 375, "height": 800})


def sign_in(page, demo_site, email):
    page.goto(demo_site.at("/espace-candidat/"))
    page.fill("#id_email", email)
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("boîte de réception")
    run_commit_callbacks()
    match = LINK.search(mail.outbox[-1].body)
    assert match and email in mail.outbox[-1].to
    page.goto(demo_site.at(match.group(1)))
    page.get_by_role("button", name="Ouvrir mon espace").click()
    expect(page.get_by_role("heading", name="Mon espace candidat")).to_be_visible()


def test_a_visitor_reads_the_news_and_the_accessibility_statement(demo_site, page_at, validator):
    pages = {}
    page = page_at(375)
    page.goto(demo_site.at("/"))
    news = page.get_by_role("region", name="Actualités")
    news.get_by_role("link").first.click()
    # Each page has loaded before its HTML is read (a page read mid-navigation is empty).
    page.wait_for_url(re.compile(r"/actualites/[^/]+/$"))
    expect(page.locator("h1")).to_be_visible()
    checked(page, "actualite", pages)
    page.get_by_role("link", name="Toutes les actualités").click()
    page.wait_for_url(re.compile(r"/actualites/$"))
    expect(page.get_by_role("navigation", name="Archives par année")).to_be_visible()
    checked(page, "actualites", pages)
    archive = page.get_by_role("navigation", name="Archives par année").get_by_role("link", name=re.compile(r"^\d{4}$"))
    year = archive.first.inner_text()
    archive.first.click()
    page.wait_for_url(re.compile(rf"/actualites/{year}/$"))
    expect(page.locator("h1")).to_contain_text(year)
    checked(page, f"actualites-{year}", pages)
    page.get_by_role("contentinfo").get_by_role("link", name=re.compile("^Accessibilité : ")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("accessibilité")
    checked(page, "declaration-accessibilite", pages)
    validator(pages)


def test_an_applicant_erases_their_draft_and_another_asks_the_team(demo_site, page_at, validator, settings):
    from calls.models import Application, Draft
    from moderation.models import ErasureRequest, HistoryEntry

    settings.APPLICANTS_LINK_MIN_INTERVAL = 0
    pages = {}
    # A draft, nothing else: erased at once after the confirmation page.
    page = page_at(375)
    sign_in(page, demo_site, "nadia@example.org")
    page.get_by_role("link", name="Effacer mes données").click()
    expect(page.get_by_role("heading", name="Vos brouillons")).to_be_visible()
    checked(page, "espace-effacer", pages)
    wide(page, "espace-effacer")
    page.get_by_role("button", name="Effacer définitivement mes données").click()
    expect(page.get_by_text("Vos données sont effacées")).to_be_visible()
    expect(page.get_by_label("Votre adresse électronique")).to_be_visible()  # signed out
    checked(page, "espace-efface", pages)
    assert not Draft.objects.filter(email="nadia@example.org").exists()

    # An application under review: a correction request, then an erasure request for the team.
    other = page_at(375)
    sign_in(other, demo_site, "yanis@example.org")
    other.get_by_role("link", name=re.compile("Voir le détail")).click()
    other.get_by_role("link", name="Demander une correction").click()
    other.get_by_role("button", name="Envoyer ma demande").click()
    expect(other.get_by_text("Écrivez ce qui est inexact et la correction que vous demandez.")).to_be_visible()
    checked(other, "espace-correction-erreur", pages)
    wide(other, "espace-correction-erreur")
    other.get_by_label("Ce qui est inexact et la correction à faire").fill("Mon commerce s'appelle Le Grand Zinc.")
    other.get_by_role("button", name="Envoyer ma demande").click()
    expect(other.get_by_text("Votre demande de correction est envoyée")).to_be_visible()
    application = Application.objects.get(applicant_email="yanis@example.org")
    assert HistoryEntry.objects.filter(application=application, kind=HistoryEntry.Kind.CORRECTION_REQUEST).exists()
    other.goto(demo_site.at("/espace-candidat/effacer-mes-donnees/"))
    other.get_by_role("button", name="Demander l'effacement de mes données").click()
    expect(other.get_by_text("Votre demande d'effacement est enregistrée")).to_be_visible()
    checked(other, "espace-effacement-demande", pages)
    wide(other, "espace-effacement-demande")
    validator(pages)

    # The team: the dashboard's panel, then one action.
    request = ErasureRequest.objects.get(email="yanis@example.org")
    team = page_at(375)
    team.goto(demo_site.at("/admin/login/"))
    team.locator("#id_username").fill("mona")
    team.locator("#id_password").fill(PASSWORD)
    team.locator("form button[type=submit]").first.click()
    panel = team.get_by_role("region", name="Demandes d'effacement des candidats")
    expect(panel.get_by_text("yanis@example.org", exact=True)).to_be_visible()
    # The server's HTML (as tests/e2e/test_moderation_pages.py checks it), not the DOM Wagtail's scripts changed.
    admin_pages = {"tableau-de-bord": team.request.get(demo_site.at("/admin/")).text()}
    check_axe(team, "tableau-de-bord-effacement")
    wide(team, "tableau-de-bord-effacement")
    expect(panel.get_by_role("row")).to_have_count(3)  # the demo's own request (moderation/demo.py), then this one
    panel.get_by_role("link", name="Traiter : yanis@example.org").click()
    expect(team.get_by_text(application.reference)).to_be_visible()
    admin_pages["demande-effacement"] = team.request.get(team.url).text()
    check_axe(team, "demande-effacement")
    screenshot(team, "demande-effacement")
    wide(team, "demande-effacement")
    team.get_by_role("button", name="Effacer ses données").click()
    expect(team.get_by_text("Données effacées (1 candidature)")).to_be_visible()
    request.refresh_from_db()
    assert request.done_at is not None
    assert Application.objects.get(pk=application.pk).applicant_email == ""
    report = run_vnu(admin_pages)
    errors = [m for messages in report.values() for m in messages if m.get("type") == "error" and not wagtail_markup(m)]
    assert not errors, format_vnu_messages(errors)
