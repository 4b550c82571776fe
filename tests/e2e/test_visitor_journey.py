"""A visitor's first journey: the home page, then the programme through the main menu, at 375 and 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from .harness import check_axe, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.journey]


def assert_no_horizontal_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {page.viewport_size['width']} px"


@pytest.mark.parametrize("width", [375, 1280])
def test_visitor_follows_the_main_menu_to_the_programme(demo_site, page_at, width):
    page = page_at(width)
    page.goto(demo_site.at("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_site.home.hero_title)
    assert_no_horizontal_scroll(page)
    screenshot(page, "accueil")
    check_axe(page, "accueil")

    menu = page.get_by_role("navigation", name="Menu principal")
    link = menu.get_by_role("link", name="Le programme", exact=True)
    if width < 640:  # on phones the menu folds behind its button (site/static/js/site.js)
        page.get_by_role("button", name="Menu").click()
    expect(link).to_be_visible()
    expect(link).to_be_in_viewport()
    link.click()

    expect(page).to_have_url(re.compile(r"/le-programme/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Le programme")
    if width < 640:
        page.get_by_role("button", name="Menu").click()
    expect(menu.get_by_role("link", name="Le programme", exact=True)).to_have_attribute("aria-current", "page")
    assert_no_horizontal_scroll(page)
    screenshot(page, "le-programme")
    check_axe(page, "le-programme")


@pytest.mark.parametrize("width", [375, 1280])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(demo_site, page_at, width):
    page = page_at(width)
    page.goto(demo_site.at("/le-programme/"))
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    # The next tab stop is the first one inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_main_menu_works_without_javascript(demo_site, page_at):
    page = page_at(375, javascript=False)
    page.goto(demo_site.at("/"))
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Le programme", exact=True).click()
    expect(page).to_have_url(re.compile(r"/le-programme/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Le programme")
