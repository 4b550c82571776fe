"""Visitor polish in a real browser, at 375 and 1280 px: the header's menu
button, the story index's filters applied as they change, suggestions in the header's search
box, the laureates' map; each checked with axe and screenshots."""

import itertools
import re

import pytest
from playwright.sync_api import expect

from .harness import check_axe, screenshot

pytestmark = pytest.mark.e2e


def header_height(page):
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


def test_phone_header_folds_the_menu_behind_a_button(demo_site, page_at):
    page = page_at(375)
    page.goto(demo_site.at("/"))
    button = page.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(menu).to_be_hidden()
    # 270 of 740 px before the button: now a single row.
    assert header_height(page) < 100
    screenshot(page, "en-tete-menu-ferme", full_page=False)
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Le programme", exact=True)).to_be_visible()
    # The search box, a combobox once the suggestions script runs.
    expect(page.get_by_role("combobox", name="Rechercher sur le site")).to_be_visible()
    screenshot(page, "en-tete-menu-ouvert", full_page=False)
    check_axe(page, "en-tete-menu-ouvert")
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(menu).to_be_hidden()


def test_menu_is_shown_without_javascript_and_no_button_on_desktop(demo_site, page_at):
    page = page_at(375, javascript=False)
    page.goto(demo_site.at("/"))
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(menu.get_by_role("link", name="Le programme")).to_be_visible()
    desktop = page_at(1280)
    desktop.goto(demo_site.at("/"))
    expect(desktop.get_by_role("button", name="Menu")).to_be_hidden()
    expect(desktop.get_by_role("navigation", name="Menu principal")).to_be_visible()


@pytest.mark.parametrize("width", [375, 1280])
def test_header_search_box_suggests_laureates(demo_site, page_at, width):
    page = page_at(width)
    page.goto(demo_site.at("/le-programme/"))
    if width < 640:
        page.get_by_role("button", name="Menu").click()
    box = page.get_by_role("combobox", name="Rechercher sur le site")
    box.fill("la")
    listbox = page.locator("#header-search-q-suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    first = listbox.get_by_role("option").first
    name = first.inner_text().split(" — ")[0]
    screenshot(page, "en-tete-suggestions", full_page=False)
    check_axe(page, "en-tete-suggestions")
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(re.escape(name.strip())))


@pytest.mark.parametrize("width", [375, 1280])
def test_story_filters_apply_as_they_change(demo_site, page_at, width):
    page = page_at(width)
    page.goto(demo_site.at("/laureats/"))
    form = page.locator("#story-filters")
    if width < 640:  # folded behind « Filtres » on phones
        expect(form).to_be_hidden()
        page.get_by_role("button", name="Filtres").click()
    # « Afficher » stays (with JavaScript it updates in place too).
    expect(form.get_by_role("button", name="Afficher")).to_be_visible()
    expect(form.get_by_text("La liste se met à jour dès que vous choisissez une valeur.")).to_be_visible()
    total = page.locator(".story-results__count").inner_text()
    region = page.get_by_label("Région")
    region.focus()
    region.select_option("ile-de-france")
    expect(page).to_have_url(re.compile(r"\?region=ile-de-france$"))
    expect(page.locator(".story-results__count")).not_to_have_text(total)
    expect(region).to_be_focused()
    count = page.locator(".story-results__count").inner_text()
    expect(form.get_by_role("status")).to_have_text(re.compile(re.escape(count.split()[0])))
    for tag in page.locator(".story-grid .story-card").all():
        expect(tag).to_contain_text("Île-de-France")
    expect(page.locator(".laureate-map a[aria-current='true']").first).to_have_attribute(
        "href", "/laureats/?region=ile-de-france#story-results"
    )
    expect(page.locator(".filters-toggle__count")).to_have_text(" (1 actif)")
    screenshot(page, "laureats-filtre-direct")
    check_axe(page, "laureats-filtre-direct")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/laureats/$"))
    expect(page.locator(".story-results__count")).to_have_text(total)


def test_story_filters_keep_their_button_without_javascript(demo_site, page_at):
    page = page_at(375, javascript=False)
    page.goto(demo_site.at("/laureats/"))
    page.get_by_label("Région").select_option("ile-de-france")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"\?region=ile-de-france"))
    expect(page.get_by_role("button", name="Afficher")).to_be_visible()


@pytest.mark.parametrize("width", [375, 1280])
def test_laureates_map_links_each_region(demo_site, page_at, width):
    page = page_at(width)
    page.goto(demo_site.at("/laureats/"))
    section = page.locator("section.laureate-map")
    expect(section.get_by_role("table")).to_be_visible()
    link = section.locator("svg a").first
    href = link.get_attribute("href")
    label = link.get_attribute("aria-label")
    region_name = label.split(" : ")[0]
    # The table gives the same figure for that région.
    row = section.get_by_role("row", name=re.compile(re.escape(region_name)))
    expect(row).to_contain_text(label.split(" : ")[1].split()[0])
    section.scroll_into_view_if_needed()
    screenshot(page, "laureats-carte")
    check_axe(page, "laureats-carte")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    # The visitor is taken to that région's laureates, not to the top of the page.
    results = page.locator("#story-results")
    expect(results).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    expect(page.get_by_label("Région")).to_have_value(href.split("=")[1].split("#")[0])
    for card in page.locator(".story-grid .story-card").all():
        expect(card).to_contain_text(region_name)


@pytest.mark.parametrize("width", [375, 1280])
def test_laureates_map_region_without_javascript_lands_on_the_results(demo_site, page_at, width):
    page = page_at(width, javascript=False)
    page.goto(demo_site.at("/laureats/"))
    link = page.locator("section.laureate-map tbody a").first
    region_name = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"\?region=[a-z-]+#story-results$"))
    expect(page.locator("#story-results")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    for card in page.locator(".story-grid .story-card").all():
        expect(card).to_contain_text(region_name)
    screenshot(page, "laureats-carte-region-sans-js", full_page=False)


@pytest.mark.parametrize("width", [375, 1280])
def test_key_figures_never_overlap(demo_site, page_at, width):
    """Each figure stays inside its item, whatever its length (« 625 000 € » beside « 50 »), with
    the six figures the block allows."""
    page = page_at(width)
    page.goto(demo_site.at("/"))
    figures = page.get_by_role("region", name="Le programme en chiffres")
    expect(figures).to_be_visible()
    # The block allows six figures (KeyFiguresBlock's max_num): the row is measured full.
    figures.locator("ul").evaluate(
        "list => { while (list.children.length < 6) list.append(list.lastElementChild.cloneNode(true)); }"
    )
    boxes = figures.locator("li").evaluate_all(
        """items => items.map(item => {
            const text = document.createRange();  // the figure's text, not its block's box
            text.selectNodeContents(item.querySelector('.key-figures__value'));
            const value = text.getBoundingClientRect();
            const box = item.getBoundingClientRect();
            return {text: item.innerText, right: value.right, itemRight: box.right, top: box.top, left: box.left};
        })"""
    )
    assert len(boxes) >= 4
    for box in boxes:
        assert box["right"] <= box["itemRight"] + 0.5, f"{box['text']!r} overflows its item at {width} px"
    for before, after in itertools.pairwise(boxes):
        if before["top"] == after["top"]:  # same row: the next item starts after this figure ends
            assert before["right"] <= after["left"], f"{before['text']!r} runs into {after['text']!r}"
    figures.scroll_into_view_if_needed()
    screenshot(page, f"chiffres-cles-{width}")


def test_a_short_page_keeps_its_footer_at_the_bottom_of_the_window(demo_site, page_at):
    page = page_at(1280)
    page.goto(demo_site.at("/prevenez-moi/merci/"))
    bottom = page.locator(".site-footer").evaluate("footer => footer.getBoundingClientRect().bottom")
    assert bottom == page.evaluate("window.innerHeight")  # no empty band under the footer
