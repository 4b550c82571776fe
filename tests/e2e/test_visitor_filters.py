"""The laureates' filters on /laureats/ and /recherche/, alike, in a real browser at 375 and 1280 px.

On a phone they fold behind « Filtres » (with the count of active filters), so the results start
in the first screen; without JavaScript they are shown and « Afficher » applies them. A typo in
a town is forgiven on the search page and suggested. axe and the Nu checker on every page.
"""

import re

import pytest
from playwright.sync_api import expect

from .harness import check_axe, screenshot

pytestmark = pytest.mark.e2e

PAGES = {
    "laureats": ("/laureats/", ".story-grid .story-card"),
    "recherche": ("/recherche/?q=caf%C3%A9", ".search-results .search-result"),
}


@pytest.mark.parametrize("name", PAGES)
def test_on_a_phone_the_filters_fold_and_results_start_in_the_first_screen(demo_site, page_at, name):
    path, first_result = PAGES[name]
    page = page_at(375)
    page.goto(demo_site.at(path))
    form = page.locator("#story-filters")
    toggle = page.get_by_role("button", name="Filtres", exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(form).to_be_hidden()
    top = page.locator(first_result).first.bounding_box()["y"]
    assert top < 800 - 100, f"the first result starts at {top} px, below the first screen"
    screenshot(page, f"filtres-plies-{name}", full_page=False)
    check_axe(page, f"filtres-plies-{name}")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(form).to_be_visible()
    region = page.get_by_label("Région")
    expect(region.locator("option").first).to_have_text(re.compile(r"^Toutes les régions \(\d+\)$"))
    value = region.locator("option").nth(1).get_attribute("value")
    region.select_option(value)
    expect(page).to_have_url(re.compile(rf"region={value}"))
    expect(page.get_by_role("button", name=re.compile(r"^Filtres \(1 actif\)$"))).to_be_visible()
    expect(page.locator(".results-count")).to_be_visible()
    screenshot(page, f"filtres-ouverts-{name}", full_page=False)
    check_axe(page, f"filtres-ouverts-{name}")


@pytest.mark.parametrize("name", PAGES)
def test_without_javascript_the_filters_are_shown_and_applied_by_their_button(demo_site, page_at, name):
    path, _first = PAGES[name]
    page = page_at(375, javascript=False)
    page.goto(demo_site.at(path))
    expect(page.get_by_role("button", name="Filtres", exact=True)).to_be_hidden()
    expect(page.locator("#story-filters")).to_be_visible()
    expect(page.get_by_text("La liste se met à jour")).to_be_hidden()
    region = page.get_by_label("Région")
    value = region.locator("option").nth(1).get_attribute("value")
    region.select_option(value)
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(rf"region={value}"))
    expect(page.get_by_role("link", name="Réinitialiser")).to_be_visible()
    if name == "recherche":  # the words searched are kept
        expect(page).to_have_url(re.compile(r"q=caf"))
    screenshot(page, f"filtres-sans-js-{name}", full_page=False)
    check_axe(page, f"filtres-sans-js-{name}")


@pytest.mark.parametrize("name", PAGES)
def test_on_a_laptop_the_filters_are_open_and_alike(demo_site, page_at, name):
    path, _first = PAGES[name]
    page = page_at(1280)
    page.goto(demo_site.at(path))
    expect(page.get_by_role("button", name="Filtres", exact=True)).to_be_hidden()
    form = page.locator("#story-filters")
    expect(form.get_by_role("heading", name="Filtrer les lauréats")).to_be_visible()
    for label in ("Région", "Type de commerce", "Thème"):
        expect(form.get_by_label(label)).to_be_visible()
    expect(form.get_by_role("button", name="Afficher")).to_be_visible()
    kind = form.get_by_label("Type de commerce")
    kind.select_option(kind.locator("option").nth(1).get_attribute("value"))
    expect(page).to_have_url(re.compile(r"kind="))
    expect(form.get_by_role("link", name="Réinitialiser")).to_be_visible()
    screenshot(page, f"filtres-{name}")
    check_axe(page, f"filtres-{name}")


@pytest.mark.parametrize("width", [375, 1280])
def test_a_misspelt_town_is_forgiven_and_suggested(demo_site, page_at, width):
    page = page_at(width)
    page.goto(demo_site.at("/recherche/?q=Aibervilliers"))
    suggestion = page.locator(".search-corrected")
    expect(suggestion).to_contain_text("Aucun résultat pour « Aibervilliers ».")
    expect(suggestion.get_by_role("link", name="Aubervilliers")).to_be_visible()
    expect(page.locator(".search-results .search-result").first).to_contain_text("Aubervilliers")
    screenshot(page, "recherche-faute-de-frappe")
    check_axe(page, "recherche-faute-de-frappe")


def test_touched_pages_are_valid_html(demo_site, validator):
    paths = [
        "/",
        "/laureats/",
        "/laureats/?region=ile-de-france",
        "/laureats/?kind=epicrie",
        "/recherche/?q=caf%C3%A9",
        "/recherche/?q=caf%C3%A9&region=ile-de-france",
        "/recherche/?q=Aibervilliers",
        "/appels/appel-a-candidatures-2026/",
    ]
    validator([demo_site.at(path) for path in paths])
