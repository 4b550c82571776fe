"""The territory in a real browser: the « Adresse » field of a call's form (commune list
without and with JavaScript, the live QPV line, the commune's map on which the applicant
places their business by a click or the keyboard), the verdict on the application's page for
a moderator, and the story editor's « Carte et QPV » panel; axe-core and the Nu HTML Checker
on each, at 375 and 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import AXE_JS, WCAG_TAGS, check_axe, format_axe_violations, screenshot

PASSWORD = "motdepasse-solide-42"
CALL_SLUG = "appel-avec-adresse"
STORY_SLUG = "cafe-de-la-goutte-dor"


def extra_demo_content(home):
    """A call whose form asks the address, and a story with coordinates (committed)."""
    from decimal import Decimal

    from calls.models import CallIndexPage
    from stories.models import StoryIndexPage
    from tests.calls.factories import make_call
    from tests.moderation.factories import user_in
    from tests.stories.factories import StoryPageFactory

    fields = [
        {"label": "Nom du commerce", "field_type": "singleline", "purpose": "organization"},
        {"label": "Adresse du commerce", "field_type": "address"},
    ]
    make_call(CallIndexPage.objects.get(), fields=fields, slug=CALL_SLUG, title="Appel avec adresse")
    StoryPageFactory(
        parent=StoryIndexPage.objects.get(),
        slug=STORY_SLUG,
        title="Café de la Goutte d'Or",
        latitude=Decimal("48.885600"),
        longitude=Decimal("2.360000"),
        qpv_max_distance_m=100,
    )
    user_in("Modérateurs", username="eddie", is_superuser=True, is_staff=True, password=PASSWORD)


def call_url(demo_site):
    return demo_site.at(f"/appels/{CALL_SLUG}/")


@pytest.mark.e2e
@pytest.mark.parametrize("width", [375, 1280])
def test_the_address_field_with_javascript(demo_site, page_at, width):
    page = page_at(width)
    page.goto(call_url(demo_site))
    page.get_by_label("Code postal").fill("95000")
    commune = page.get_by_label("Commune", exact=True)
    expect(commune.locator("option")).to_have_count(5)
    commune.select_option(label="Cergy")
    live = page.locator("[data-qpv-live]")
    expect(live).to_contain_text("À vérifier : votre commune compte")
    expect(live).to_contain_text("quartiers prioritaires")
    check_axe(page, "appel-adresse")
    screenshot(page, "appel-adresse")


@pytest.mark.e2e
def test_the_address_field_without_javascript(demo_site, page_at):
    page = page_at(375, javascript=False)
    page.goto(call_url(demo_site))
    page.get_by_label("Nom du commerce").fill("Le Comptoir")
    page.get_by_label("Numéro et rue").fill("3 rue de l'Isle")
    page.get_by_label("Code postal").fill("95000")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_text("Plusieurs communes ont le code postal 95000")).to_have_count(2)  # summary and field
    page.get_by_label("Commune", exact=True).select_option(label="Pontoise")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")


def goutte_d_or_on_screen(page):
    """Where a point of the Goutte d'Or (inside its perimeter) is on the drawn map."""
    from territory import picker, qpv

    frame = picker.frame("75118")
    inside = qpv.index().geometry("QN07511M").representative_point()
    x, y = frame.to_svg(inside.y, inside.x)
    box = page.locator("[data-qpv-map-frame] svg").bounding_box()
    return box["x"] + x * box["width"] / picker.WIDTH, box["y"] + y * box["height"] / frame.height


def sign_in(page, demo_site):
    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill("eddie")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/$"))


@pytest.mark.e2e
@pytest.mark.parametrize("width", [375, 1280])
def test_the_applicant_places_their_business_and_the_moderator_reads_the_verdict(demo_site, page_at, width, validator):
    from django.urls import reverse

    from calls.models import Application

    business = f"Le Comptoir Myrha {width}"
    page = page_at(width)
    page.goto(call_url(demo_site))
    page.get_by_label("Nom du commerce").fill(business)
    page.get_by_label("Numéro et rue").fill("12 rue Myrha")
    page.get_by_label("Code postal").fill("75018")
    live = page.locator("[data-qpv-live]")
    expect(live).to_contain_text("À vérifier : votre commune compte 21 quartiers prioritaires.")
    map_frame = page.get_by_role("application", name="Carte de la commune : placez votre commerce")
    expect(map_frame).to_be_visible()
    expect(page.locator("[data-qpv-map-frame] svg path")).not_to_have_count(0)
    # With the keyboard: Enter places the point in the middle, an arrow moves it north.
    map_frame.focus()
    page.keyboard.press("Enter")
    latitude = page.locator("[data-qpv-latitude]")
    expect(latitude).not_to_have_value("")
    before = float(latitude.input_value())
    page.keyboard.press("ArrowUp")
    expect(latitude).not_to_have_value(str(before))
    assert float(latitude.input_value()) > before
    expect(live).to_contain_text("QPV")
    # With a click (or a tap): on the Goutte d'Or.
    page.mouse.click(*goutte_d_or_on_screen(page))
    expect(live).to_have_text("Dans un QPV : votre commerce est dans le quartier prioritaire « Goutte D'Or ».")
    expect(page.get_by_role("button", name="Retirer le point")).to_be_visible()
    assert "QN" not in live.inner_text()
    check_axe(page, "appel-adresse-carte")
    screenshot(page, "appel-adresse-carte")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")

    application = Application.objects.get(business_name=business)
    assert application.qpv_method == "carte" and application.qpv_code == "QN07511M"
    sign_in(page, demo_site)
    page.goto(demo_site.at(reverse("moderation:application", args=[application.pk])))
    verdict = page.locator("[data-qpv-verdict]")
    expect(verdict).to_have_text("dans le QPV Goutte D'Or (QN07511M) (point placé par le candidat sur la carte)")
    check_axe(page, "candidature-verdict-qpv")
    screenshot(page, "candidature-verdict-qpv")
    # The page as served (the validator fixture skips without Java; Wagtail's own markup
    # issues are listed in test_moderation_pages.py).
    from tests.e2e.harness import format_vnu_messages, run_vnu
    from tests.e2e.test_moderation_pages import wagtail_markup

    html = page.request.get(page.url).text()
    assert "data-qpv-verdict" in html
    report = run_vnu({"candidature (verdict QPV)": html})
    errors = [m for messages in report.values() for m in messages if m.get("type") == "error" and not wagtail_markup(m)]
    assert not errors, format_vnu_messages(errors)


@pytest.mark.e2e
@pytest.mark.parametrize("width", [375, 1280])
def test_the_story_editor_map_and_warning(demo_site, page_at, width):
    from calls.models import CallPage  # noqa: F401  (the demo's models are loaded)
    from stories.models import StoryPage

    story = StoryPage.objects.get(slug=STORY_SLUG)
    page = page_at(width)
    sign_in(page, demo_site)
    page.goto(demo_site.at(f"/admin/pages/{story.pk}/edit/"))
    page.get_by_role("tab", name="Le commerce").click()
    expect(page.locator("svg.territory-minimap")).to_be_visible()
    expect(page.get_by_text("plus loin que la distance maximale de l'appel (100 m)")).to_be_visible()
    expect(page.get_by_role("button", name="Trouver depuis l'adresse")).to_be_visible()
    # Scoped to the panel: the rest of Wagtail's editor is Wagtail's (its Draftail rich text
    # fields have axe findings of their own, on every page with one).
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run({include: [['[data-territory-panel]']]}, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    assert result["passes"], "axe checked nothing in the panel"
    assert not result["violations"], format_axe_violations(result["violations"])
    page.locator("[data-territory-panel]").scroll_into_view_if_needed()
    screenshot(page, "recit-carte-qpv", full_page=False)


def test_the_call_page_and_the_editor_panel_are_valid_html(demo_site, validator):
    from django.template.loader import render_to_string

    from stories.models import StoryPage
    from territory.panels import story_territory

    story = StoryPage.objects.get(slug=STORY_SLUG)
    panel = render_to_string("territory/panels/territory_panel.html", story_territory(story))
    document = f'<!doctype html><html lang="fr"><head><title>Carte et QPV</title></head><body>{panel}</body></html>'
    from tests.e2e.harness import fetch

    validator({"appel avec adresse": fetch(call_url(demo_site)), "panneau Carte et QPV": document})
