"""The demo's agenda and a session page in a browser at 375 and 1280 px: axe-core (WCAG 2.1 A
and AA), the Nu HTML checker, the filters without JavaScript (a plain GET form) and with it.

Uses the browser harness of tests/e2e (its fixtures are imported here)."""

import pytest
from playwright.sync_api import expect

from tests.e2e import conftest as e2e
from tests.e2e.harness import check_axe, screenshot
from tests.e2e.test_moderation_pages import WAGTAIL_AXE

pytestmark = pytest.mark.e2e

# The harness's fixtures (tests/e2e/conftest.py), made available to this module.
_allow_orm_beside_playwright = e2e._allow_orm_beside_playwright
_demo_site_for_module = e2e._demo_site_for_module
_media_in_tmp = e2e._media_in_tmp
browser = e2e.browser
csp_violations = e2e.csp_violations
demo_site = e2e.demo_site
e2e_media = e2e.e2e_media
page_at = e2e.page_at
validator = e2e.validator

SESSION = "/agenda/exemple-co-construction-habitants/"
PASSWORD = "motdepasse-solide-42"


def extra_demo_content(home):
    from home.models import User

    User.objects.create_superuser("agenda-admin", "agenda@example.org", PASSWORD)


@pytest.mark.parametrize("width", [375, 1280])
def test_the_agenda_and_a_session_at_each_width(demo_site, page_at, width):
    page = page_at(width)
    page.goto(demo_site.at("/agenda/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda du réseau")
    check_axe(page, "agenda")
    screenshot(page, "agenda")
    page.get_by_role("link", name="Exemple — Co-construire une animation de quartier avec les habitants").click()
    expect(page).to_have_url(demo_site.at(SESSION))
    expect(page.get_by_text("La commune compte un quartier prioritaire")).to_be_visible()
    check_axe(page, "séance")
    screenshot(page, "seance")
    page.goto(demo_site.at("/agenda/passees/"))
    expect(page.get_by_text("1 séance passée")).to_be_visible()
    check_axe(page, "agenda, séances passées")


def test_the_filters_without_javascript(demo_site, page_at):
    page = page_at(375, javascript=False)
    page.goto(demo_site.at("/agenda/"))
    page.get_by_label("Type de séance").select_option("co-construction")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(demo_site.at("/agenda/?region=&kind=co-construction"))
    expect(page.get_by_text("1 séance à venir")).to_be_visible()
    check_axe(page, "agenda filtré sans JavaScript")
    screenshot(page, "agenda-filtre-sans-js")


def test_the_filters_apply_as_they_change_with_javascript(demo_site, page_at):
    page = page_at(1280)
    page.goto(demo_site.at("/agenda/"))
    page.get_by_label("Région").select_option("ile-de-france")
    expect(page).to_have_url(demo_site.at("/agenda/?region=ile-de-france"))
    expect(page.get_by_role("form", name="Filtrer les séances").get_by_role("status")).to_contain_text(
        "1 séance à venir"
    )


def test_the_agenda_pages_are_valid_html(demo_site, validator):
    validator(
        [
            demo_site.at(path)
            for path in ("/agenda/", "/agenda/passees/", "/agenda/?region=ile-de-france&kind=co-construction", SESSION)
        ]
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_the_session_editor(demo_site, page_at, width):
    from network.models import SessionPage

    session = SessionPage.objects.get(slug="exemple-co-construction-habitants")
    page = page_at(width)
    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill("agenda-admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(demo_site.at("/admin/"))
    page.goto(demo_site.at(f"/admin/pages/{session.pk}/edit/"))
    expect(page.get_by_label("Numéro et rue")).to_have_value("12 rue de l'Exemple")
    check_axe(page, "éditeur de séance", ignore=WAGTAIL_AXE)
    screenshot(page, "seance-editeur")
    if width == 375:
        page.get_by_label("Numéro et rue").fill("")
        page.get_by_label("Code postal").fill("")
        # « Publier » sits in the footer's dropdown: pressed as the editor would, after opening it.
        page.evaluate("document.querySelector('button[name=action-publish]').click()")
        expect(page.get_by_text("Indiquez le numéro et la rue.").first).to_be_visible()
        # Wagtail fades in the tab's error count: axe reads its colours once the fade is over.
        page.evaluate("document.getAnimations().forEach((animation) => animation.finish())")
        check_axe(page, "éditeur de séance (erreur)", ignore=WAGTAIL_AXE)
        screenshot(page, "seance-editeur-erreur")
