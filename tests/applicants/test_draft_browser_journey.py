"""Drafts in Chromium at 375 px: « Enregistrer et reprendre plus tard » on step 1 asks the
address right there (no step validated), the confirmation is at the top, focused and visible;
the next « day » (the clock moved through the link's validity), another browser opens the draft
by the emailed link (a session cookie, not 14 days); signed in, the owner finds it in the space,
signs out, and the draft is gone from that browser; past its validity the link is refused;
past a budget, the French 429. axe-core and the Nu HTML Checker on every page touched.

Uses the browser harness of tests/e2e (its fixtures are imported here).
"""

import datetime

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone
from playwright.sync_api import expect

from tests.applicants.test_browser_journey import LINK, RESUME_LINK, checked, last_link
from tests.e2e import conftest as e2e

pytestmark = [pytest.mark.e2e, pytest.mark.journey]

_allow_orm_beside_playwright = e2e._allow_orm_beside_playwright
_demo_site_for_module = e2e._demo_site_for_module
_media_in_tmp = e2e._media_in_tmp
browser = e2e.browser
csp_violations = e2e.csp_violations
demo_site = e2e.demo_site
e2e_media = e2e.e2e_media
page_at = e2e.page_at
validator = e2e.validator

OPEN_CALL = "/appels/appel-a-candidatures-2026/"


def move_link_clock(days):
    """Move the clock of every draft's link ``days`` back: the live server sees it at once (on
    PostgreSQL through a connection of its own, outside the test's transaction)."""
    sql = "UPDATE calls_draft SET link_issued_at = %s"
    when = timezone.now() - datetime.timedelta(days=days)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(sql, [when])
        return
    own = connections.create_connection("default")
    try:
        own.set_autocommit(True)
        with own.cursor() as cursor:
            cursor.execute(sql, [when])
    finally:
        own.close()


def test_save_for_later_resume_the_next_day_and_sign_out(demo_site, page_at, validator, settings):
    pages = {}
    settings.APPLICANTS_LINK_MIN_INTERVAL = 0
    days = settings.CALLS_DRAFT_LINK_MAX_AGE_DAYS
    page = page_at(375)
    page.goto(demo_site.at(OPEN_CALL))
    expect(page.get_by_role("heading", name="Étape 1 sur 3 : Votre commerce")).to_be_visible()
    expect(page.get_by_text("jusqu'à sa fermeture ou 60 minutes sans activité")).to_be_visible()
    # Step 1 half filled, saved for later: no error, the address asked right there.
    page.fill("#id_nom_du_commerce", "Le Petit Zinc")
    page.get_by_role("button", name="Enregistrer et reprendre plus tard").click()
    address = page.locator("#qc-brouillon-courriel")
    expect(address).to_be_focused()
    expect(address).to_be_in_viewport()
    expect(page.locator("#qc-error-summary")).to_have_count(0)
    checked(page, "brouillon-adresse-demandee", pages)
    address.fill("awa@example.org")
    page.get_by_role("button", name="Enregistrer et recevoir le lien").click()
    confirmation = page.locator("#qc-brouillon-enregistre")
    expect(confirmation).to_be_focused()
    expect(confirmation).to_be_in_viewport()
    expect(confirmation).to_contain_text("envoyé à awa@example.org")
    expect(page.get_by_text("Vous reprenez votre brouillon")).to_have_count(0)
    checked(page, "brouillon-enregistre", pages)
    # The browser keeps the draft in a session cookie (gone when it closes), not for 14 days.
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    assert cookie["expires"] == -1
    resume = last_link(RESUME_LINK)
    page.context.close()

    # The next day, another browser, the emailed link: the draft opens, answers kept.
    move_link_clock(days - 1)
    page = page_at(375)
    page.goto(demo_site.at(resume))
    checked(page, "brouillon-lien", pages)
    page.get_by_role("button", name="Ouvrir mon brouillon").click()
    expect(page.locator("#id_nom_du_commerce")).to_have_value("Le Petit Zinc")
    # The link opened the draft only; signed in, the owner finds it in the space.
    page.goto(demo_site.at("/espace-candidat/"))
    page.fill("#id_email", "awa@example.org")
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    page.goto(demo_site.at(last_link(LINK)))
    page.get_by_role("button", name="Ouvrir mon espace").click()
    expect(page.get_by_role("link", name="Reprendre ce brouillon")).to_be_visible()
    checked(page, "espace-brouillons", pages)
    page.get_by_role("link", name="Reprendre ce brouillon").click()
    expect(page.locator("#id_nom_du_commerce")).to_have_value("Le Petit Zinc")
    # Signing out forgets the draft in this browser: the next person finds an empty form.
    page.goto(demo_site.at("/espace-candidat/"))
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(demo_site.at(OPEN_CALL))
    expect(page.locator("#id_nom_du_commerce")).to_have_value("")
    expect(page.get_by_text("Vous reprenez votre brouillon")).to_have_count(0)

    # Past its validity, the link is refused with a French page.
    move_link_clock(days + 1)
    other = page_at(375)
    other.goto(demo_site.at(resume))
    checked(other, "brouillon-lien-expire", pages)
    expect(other.get_by_role("heading", level=1)).to_have_text("Ce lien ne fonctionne plus")

    # Past a budget: the French 429, nothing stored or sent.
    settings.CALLS_DRAFT_EMAILS_PER_ADDRESS = 0
    sent = len(mail.outbox)
    other.goto(demo_site.at(OPEN_CALL))
    other.fill("#id_nom_du_commerce", "Le Grand Zinc")
    other.get_by_role("button", name="Enregistrer et reprendre plus tard").click()
    other.fill("#qc-brouillon-courriel", "bilal@example.org")
    other.get_by_role("button", name="Enregistrer et recevoir le lien").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Trop de brouillons enregistrés depuis votre connexion")
    checked(other, "brouillon-429", pages)
    assert len(mail.outbox) == sent

    validator(pages)
