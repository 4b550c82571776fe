"""« Insérer un champ ici » (calls/static/calls/field-insert.js): a field added from the
third card lands fourth — Wagtail's « Ajouter » adds it at the end, the script moves it
with the card's own move-up button (which swaps the ORDER inputs) — and is saved there.
At 375 and 1280 px, with axe on the editor."""

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import check_axe, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "motdepasse-solide-42"
SLUG = "appel-a-candidatures-2026"
# Wagtail's own markup in the page editor: the same list as tests/e2e/test_moderation_pages.py.
WAGTAIL_AXE = {
    "aria-input-field-name": ".public-DraftEditor-content",
    "scrollable-region-focusable": ".w-minimap__list",
}


def extra_demo_content(home):
    from calls.models import CallPage
    from home.models import User

    User.objects.create_superuser("insert-admin", "insert@example.org", PASSWORD)
    call = CallPage.objects.get(slug=SLUG)
    call.form_in_steps = False
    call.save(update_fields=["form_in_steps"])


@pytest.fixture(autouse=True)
def no_autosave(settings):
    """Wagtail's editor saves in the background while one types; on SQLite the live server
    shares the test's connection, and such a save racing the « Publier » submission breaks
    its transaction. The journey publishes; Wagtail's autosave is off (its own setting)."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


def open_form_tab(page, demo_site):
    from calls.models import CallPage

    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill("insert-admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(demo_site.at("/admin/"))
    call = CallPage.objects.get(slug=SLUG)
    page.goto(demo_site.at(f"/admin/pages/{call.pk}/edit/"))
    page.get_by_role("tab", name="Formulaire").click()
    return call


def card_labels(page):
    cards = page.locator("#id_form_fields-FORMS > [data-inline-panel-child]:not(.deleted)")
    return [cards.nth(i).locator("input[name$='-label']").input_value() for i in range(cards.count())]


@pytest.mark.parametrize("width", [375, 1280])
def test_a_field_inserted_after_the_third_is_saved_fourth(demo_site, page_at, width):
    page = page_at(width, height=900)
    open_form_tab(page, demo_site)
    label = f"Nombre de salariés ({width} px)"
    before = card_labels(page)
    third = page.locator("#id_form_fields-FORMS > [data-inline-panel-child]:not(.deleted)").nth(2)
    button = third.get_by_role("button", name=f"Insérer un champ ici (après « {before[2]} »)")
    button.click()
    # The new card is fourth, its label has the focus.
    focused = page.locator("input[name$='-label']:focus")
    expect(focused).to_be_visible()
    assert card_labels(page)[3] == ""
    prefix = focused.get_attribute("name")[: -len("label")]
    new_label = page.locator(f"[name='{prefix}label']")
    new_label.fill(label)
    page.locator(f"[name='{prefix}field_type']").select_option("number")
    page.locator(f"[name='{prefix}required']").uncheck()
    assert card_labels(page) == before[:3] + [label] + before[3:]
    new_label.scroll_into_view_if_needed()
    screenshot(page, "call-editor-field-inserted", full_page=False)
    check_axe(page, f"editeur-appel-insertion-{width}", ignore=WAGTAIL_AXE)

    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-publish']").click()
    expect(page.locator(".messages")).to_contain_text("publiée")
    # Saved fourth: in the editor, and on the public form right after the third question.
    from calls.models import CallPage

    call = CallPage.objects.get(slug=SLUG)
    page.goto(demo_site.at(f"/admin/pages/{call.pk}/edit/"))
    page.get_by_role("tab", name="Formulaire").click()
    assert card_labels(page)[3] == label
    page.goto(demo_site.at(f"/appels/{SLUG}/"))
    new_name = page.get_by_label(label).get_attribute("name")
    names = page.locator("#qc-call-form").evaluate(
        "form => [...new Set([...form.querySelectorAll('[name]')].map(e => e.name))]"
    )
    position = names.index(new_name)
    assert names[position - 1] == "type_de_commerce", names
