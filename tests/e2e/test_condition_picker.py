"""The call editor composes a condition without typing it (calls/static/calls/
condition-picker.js): beside « afficher seulement si », a question placed before (read live
from the cards), an operator and an answer (the question's choices, else free text);
« Ajouter la condition » appends the exact line, the page is published and the condition
holds on the public form. Keyboard only, at 375 and 1280 px, axe on the editor."""

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

    User.objects.create_superuser("picker-admin", "picker@example.org", PASSWORD)
    call = CallPage.objects.get(slug=SLUG)
    call.form_in_steps = False  # every question on one page: the condition is seen in place
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
    page.locator("#id_username").fill("picker-admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(demo_site.at("/admin/"))
    call = CallPage.objects.get(slug=SLUG)
    page.goto(demo_site.at(f"/admin/pages/{call.pk}/edit/"))
    page.get_by_role("tab", name="Formulaire").click()
    return call


def index_of(call, clean_name):
    names = list(call.form_fields.order_by("sort_order").values_list("clean_name", flat=True))
    return names.index(clean_name)


def options_of(select):
    return [text.strip() for text in select.locator("option").all_inner_texts()]


def test_the_questions_offered_follow_the_cards(demo_site, page_at):
    page = page_at(1280, height=900)
    call = open_form_tab(page, demo_site)
    quartier = index_of(call, "quartier")
    question = page.get_by_label("Question placée plus haut").nth(quartier)
    offered = options_of(question)
    # Placed before « Quartier »: the questions that can decide, not the section, the SIRET
    # and RNA numbers are text (they can), the address cannot.
    assert "Type de commerce" in offered and "Forme juridique" in offered and "Nom du commerce" in offered
    assert "Votre commerce" not in offered  # a section
    assert "Adresse du commerce" not in offered  # an address decides nothing
    assert "Adresse électronique" not in offered  # placed after
    # A label typed above shows at once.
    nom = index_of(call, "nom_du_commerce")
    page.locator(f"#id_form_fields-{nom}-label").fill("Enseigne")
    question.focus()
    assert "Enseigne" in options_of(question) and "Nom du commerce" not in options_of(question)
    # The first question of the form has nothing to choose from.
    first = page.get_by_label("Question placée plus haut").nth(index_of(call, "nom_du_commerce"))
    assert options_of(first) == ["Aucune question placée plus haut ne peut décider"]
    # A choice question offers its choices; a text one a text box.
    question.select_option("Type de commerce")
    answer = page.locator(f"#id_form_fields-{quartier}-conditions-picker-answer-choice")
    expect(answer).to_be_visible()
    assert options_of(answer) == ["Choisir une réponse", "Café", "Restaurant", "Tiers-lieu", "Épicerie", "Autre"]
    question.select_option("Enseigne")
    expect(answer).to_be_hidden()
    expect(page.locator(f"#id_form_fields-{quartier}-conditions-picker-answer-text")).to_be_visible()
    # Nothing chosen: said, and nothing written.
    page.get_by_role("button", name="Ajouter la condition").nth(quartier).click()
    expect(page.locator(f"#id_form_fields-{quartier}-conditions-picker-answer-text")).to_be_focused()
    expect(page.locator(f"#id_form_fields-{quartier}-conditions")).to_have_value("")


@pytest.mark.parametrize("width", [375, 1280])
def test_a_condition_picked_holds_on_the_public_form(demo_site, page_at, width):
    page = page_at(width, height=900)
    call = open_form_tab(page, demo_site)
    quartier = index_of(call, "quartier")
    prefix = f"#id_form_fields-{quartier}-conditions-picker"
    textarea = page.locator(f"#id_form_fields-{quartier}-conditions")
    textarea.fill("")  # the module's demo site keeps what the other width published
    # The keyboard only: question ▸ operator ▸ answer ▸ the button.
    page.locator(f"{prefix}-question").focus()
    page.keyboard.press("Tab")
    expect(page.locator(f"{prefix}-operator")).to_be_focused()
    page.locator(f"{prefix}-question").select_option("Type de commerce")
    page.locator(f"{prefix}-operator").select_option("est")
    page.locator(f"{prefix}-answer-choice").select_option("Café")
    page.locator(f"{prefix}-answer-choice").focus()
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Ajouter la condition").nth(quartier)
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(textarea).to_have_value("Type de commerce est Café")
    expect(page.locator(f"#inline_child_form_fields-{quartier} [role=status]")).to_have_text(
        "Condition ajoutée : Type de commerce est Café"
    )
    # A second line is appended below the first.
    page.locator(f"{prefix}-operator").select_option("contient")
    page.locator(f"{prefix}-answer-choice").select_option("Épicerie")
    button.click()
    expect(textarea).to_have_value("Type de commerce est Café\nType de commerce contient Épicerie")
    page.locator(f"#id_form_fields-{quartier}-condition_match_1").check()  # « au moins une »
    page.locator(prefix + "-question").scroll_into_view_if_needed()
    screenshot(page, "call-editor-condition-picker", full_page=False)
    check_axe(page, f"editeur-appel-condition-{width}", ignore=WAGTAIL_AXE)

    # Published, the condition holds on the public form.
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-publish']").click()
    expect(page.locator(".messages")).to_contain_text("publiée")
    page.goto(demo_site.at(f"/admin/pages/{call.pk}/edit/"))
    page.get_by_role("tab", name="Formulaire").click()
    expect(textarea).to_have_value("Type de commerce est Café\nType de commerce contient Épicerie")
    expect(page.locator(f"#id_form_fields-{quartier}-condition_match_1")).to_be_checked()

    page.goto(demo_site.at(f"/appels/{SLUG}/"))
    neighbourhood = page.locator("#id_quartier")
    expect(neighbourhood).to_be_hidden()
    kind = page.locator("[name=type_de_commerce]")
    if kind.first.evaluate("element => element.tagName") == "SELECT":
        kind.select_option("cafe")
    else:
        page.get_by_role("radio", name="Café").check()
    expect(neighbourhood).to_be_visible()
    neighbourhood.scroll_into_view_if_needed()
    screenshot(page, "call-form-condition-picked", full_page=False)
