"""Visitor polish: header menu button, footer, French dates, closed calls,
a story without body, thumbnails in search results. The browser side (menu toggling, filters
applied as they change, header suggestions) is in tests/e2e/test_visitor_polish.py."""

import datetime
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils import timezone

from home.templatetags.french_dates import date_fr
from tests.calls.factories import CallIndexPageFactory, CallPageFactory
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


# --- Dates the French way ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        (datetime.date(2027, 4, 1), "", "1er avril 2027"),
        (datetime.date(2027, 4, 2), "", "2 avril 2027"),
        (datetime.date(2027, 12, 31), "", "31 décembre 2027"),
        (datetime.date(2027, 4, 1), "weekday", "jeudi 1er avril 2027"),
        # 10:00 UTC is noon in Paris in summer time; shown in the site's time zone.
        (datetime.datetime(2027, 4, 1, 10, 0, tzinfo=datetime.UTC), "weekday time", "jeudi 1er avril 2027 à 12h00"),
        (datetime.datetime(2027, 1, 1, 23, 30, tzinfo=datetime.UTC), "time", "2 janvier 2027 à 00h30"),
        (None, "", ""),
        ("2027-04-01", "", ""),
    ],
)
def test_date_fr(value, options, expected):
    assert date_fr(value, options) == expected


def test_date_fr_in_a_template():
    rendered = Template('{% load french_dates %}{{ d|date_fr }} / {{ d|date_fr:"weekday" }}').render(
        Context({"d": datetime.date(2027, 5, 1)})
    )
    assert rendered == "1er mai 2027 / samedi 1er mai 2027"


# --- Header, footer ----------------------------------------------------------------------


@pytest.mark.django_db
def test_header_has_a_menu_button_and_suggestions_and_footer_has_no_admin_links(client, home_page):
    page = soup(client.get("/"))
    button = page.find("button", class_="menu-toggle")
    # Drawn folded, so nothing moves once the script runs; without JavaScript, no-js.css (in
    # <noscript>) hides the button and shows the menu.
    assert button["aria-controls"] == "site-menu" and button["aria-expanded"] == "false"
    assert any("no-js.css" in str(noscript) for noscript in page.find_all("noscript"))
    menu = page.find(id="site-menu")
    assert menu.find("form", class_="header-search")["data-suggest-url"] == "/recherche/suggestions/"
    assert menu.find("nav", class_="main-nav")
    scripts = [script["src"] for script in page.find_all("script", src=True)]
    assert any(src.endswith("js/site.js") for src in scripts)
    assert sum(src.endswith("search/autocomplete.js") for src in scripts) == 1
    footer = page.find("footer", class_="site-footer")
    assert "Plan du site" not in footer.get_text()
    assert "administration" not in footer.get_text()
    assert not footer.find("a", href="/admin/") and not footer.find("a", href="/sitemap.xml")


@pytest.mark.django_db
def test_search_page_loads_the_suggestions_script_once(client, home_page):
    page = soup(client.get("/recherche/", {"q": "café"}))
    scripts = [script["src"] for script in page.find_all("script", src=True)]
    assert sum(src.endswith("search/autocomplete.js") for src in scripts) == 1
    assert len(page.find_all("form", attrs={"data-suggest-url": True})) == 2


# --- Calls: French dates, a closed call links to its laureates ---------------------------


@pytest.mark.django_db
def test_closed_call_links_to_the_laureates_with_a_french_date(client, home_page):
    calls = CallIndexPageFactory(parent=home_page)
    closes_at = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=PARIS)
    call = CallPageFactory(parent=calls, opens_at=closes_at - datetime.timedelta(days=60), closes_at=closes_at)
    StoryIndexPageFactory(parent=home_page)
    page = soup(client.get(call.url))
    status = page.find(class_="call-status--closed").get_text(" ", strip=True)
    assert "clos depuis le 1er mars 2026" in status
    link = page.find("a", string="Découvrir les lauréats")
    assert link["href"] == "/laureats/"


@pytest.mark.django_db
def test_open_call_has_no_laureates_link_and_a_french_date(client, home_page):
    calls = CallIndexPageFactory(parent=home_page)
    StoryIndexPageFactory(parent=home_page)
    closes_at = (timezone.now() + datetime.timedelta(days=400)).astimezone(PARIS).replace(day=1, hour=12, minute=0)
    call = CallPageFactory(parent=calls, closes_at=closes_at)
    page = soup(client.get(call.url))
    assert not page.find("a", string="Découvrir les lauréats")
    assert f"1er {date_fr(closes_at).split(' ', 1)[1]} à 12h00" in page.find(class_="call-status--open").get_text()


@pytest.mark.django_db
def test_closed_call_without_a_laureates_index_has_no_link(client, home_page):
    call = CallPageFactory(parent=CallIndexPageFactory(parent=home_page), closed=True)
    assert not soup(client.get(call.url)).find("a", string="Découvrir les lauréats")


# --- A story without body ----------------------------------------------------------------


@pytest.mark.django_db
def test_story_without_body_has_no_empty_column(client, home_page):
    index = StoryIndexPageFactory(parent=home_page)
    bare = StoryPageFactory(parent=index, body=[], support_received="")
    page = soup(client.get(bare.url))
    layout = page.find(class_="story-layout")
    assert "story-layout--facts-only" in layout["class"]
    assert not layout.find(class_="story-main")
    full = StoryPageFactory(parent=index, support_received="<p>Un accompagnement de six mois.</p>")
    layout = soup(client.get(full.url)).find(class_="story-layout")
    assert "story-layout--facts-only" not in layout["class"]
    assert layout.find(class_="story-main")


# --- Thumbnails in search results --------------------------------------------------------


@pytest.mark.django_db
def test_search_results_show_the_story_cards_thumbnail(client, home_page):
    index = StoryIndexPageFactory(parent=home_page)
    shown = StoryPageFactory(parent=index, title="Épicerie des Tilleuls", town="Roubaix")
    StoryPageFactory(parent=index, title="Épicerie du Canal", town="Roubaix")
    # The card rendition exists once a story's card has been shown (the index lists both).
    client.get(index.url)
    results = soup(client.get("/recherche/", {"q": "épicerie"})).find("ol", class_="search-results")
    items = results.find_all("li", class_="search-result--story")
    assert len(items) == 2
    for item in items:
        thumb = item.find("img", class_="search-result__thumb")
        assert thumb["alt"] == "" and thumb["src"].endswith(".webp")
        assert (thumb["width"], thumb["height"]) == ("360", "240")
    assert shown.hero_image.renditions.filter(filter_spec="fill-360x240|format-webp").exists()


@pytest.mark.django_db
def test_search_results_without_a_rendition_yet_have_no_thumbnail(client, home_page):
    index = StoryIndexPageFactory(parent=home_page)
    StoryPageFactory(parent=index, title="Épicerie des Tilleuls", town="Roubaix")
    results = soup(client.get("/recherche/", {"q": "épicerie"})).find("ol", class_="search-results")
    assert results.find("li", class_="search-result--story")
    assert not results.find("img")
