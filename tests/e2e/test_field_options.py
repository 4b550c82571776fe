"""The call editor's form fields show only the options of their type (calls/static/calls/
field-options.js, driven by calls.models.FIELD_OPTIONS), for the fields already there, when a
type changes and for a field just added. Without JavaScript every option shows (the server
renders them all: tests/moderation/test_typed_answers.py)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import check_axe, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "motdepasse-solide-42"


def extra_demo_content(home):
    from calls.models import CallFormField, CallPage
    from home.models import User

    User.objects.create_superuser("options-admin", "options@example.org", PASSWORD)
    # A period on the open call, to see the typed fields as an applicant does.
    call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    CallFormField.objects.create(
        page=call, sort_order=5, label="Période des travaux", field_type="date_range", required=False
    )
    # Every field on one page (steps, the default, are tested in tests/e2e/test_call_steps.py).
    call.form_in_steps = False
    call.save(update_fields=["form_in_steps"])


def open_form_tab(page, demo_site):
    from calls.models import CallPage

    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill("options-admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(demo_site.at("/admin/"))
    call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    page.goto(demo_site.at(f"/admin/pages/{call.pk}/edit/"))
    page.get_by_role("tab", name="Formulaire").click()
    return call


def index_of(call, clean_name):
    names = list(call.form_fields.order_by("sort_order").values_list("clean_name", flat=True))
    return names.index(clean_name)


def test_options_follow_the_field_type(demo_site, page_at, csp_violations):
    page = page_at(1280, height=900)
    call = open_form_tab(page, demo_site)
    text = index_of(call, "nom_du_commerce")
    photo = index_of(call, "photo_du_local")
    expect(page.locator(f"#id_form_fields-{text}-purpose")).to_be_visible()
    expect(page.locator(f"#id_form_fields-{text}-choices")).to_be_hidden()
    expect(page.locator(f"#id_form_fields-{text}-allowed_kinds_0")).to_be_hidden()
    expect(page.locator(f"#id_form_fields-{text}-max_size_mb")).to_be_hidden()
    expect(page.locator(f"#id_form_fields-{photo}-allowed_kinds_0")).to_be_visible()
    expect(page.locator(f"#id_form_fields-{photo}-max_size_mb")).to_be_visible()
    expect(page.locator(f"#id_form_fields-{photo}-choices")).to_be_hidden()
    page.locator(f"#id_form_fields-{photo}-field_type").scroll_into_view_if_needed()
    screenshot(page, "call-editor-field-options", full_page=False)

    # A type changed: its options follow.
    page.locator(f"#id_form_fields-{text}-field_type").select_option("radio")
    expect(page.locator(f"#id_form_fields-{text}-choices")).to_be_visible()
    expect(page.locator(f"#id_form_fields-{text}-purpose")).to_be_hidden()

    # A field added with the inline panel's button gets the same treatment.
    total = int(page.locator("#id_form_fields-TOTAL_FORMS").input_value())
    page.locator("#id_form_fields-ADD").click()
    new_type = page.locator(f"#id_form_fields-{total}-field_type")
    expect(new_type).to_be_visible()
    new_type.select_option("file")
    expect(page.locator(f"#id_form_fields-{total}-allowed_kinds_0")).to_be_visible()
    expect(page.locator(f"#id_form_fields-{total}-choices")).to_be_hidden()
    expect(page.locator(f"#id_form_fields-{total}-default_value")).to_be_hidden()
    new_type.select_option("amount")
    expect(page.locator(f"#id_form_fields-{total}-default_value")).to_be_visible()
    expect(page.locator(f"#id_form_fields-{total}-allowed_kinds_0")).to_be_hidden()
    new_type.scroll_into_view_if_needed()
    screenshot(page, "call-editor-new-field", full_page=False)
    assert not csp_violations


@pytest.mark.parametrize("width", [375, 1280])
def test_the_typed_fields_as_an_applicant_sees_them(demo_site, page_at, width):
    page = page_at(width)
    page.goto(demo_site.at("/appels/appel-a-candidatures-2026/"))
    period = page.get_by_role("group", name="Période des travaux")
    expect(period.get_by_label("Du")).to_have_attribute("type", "date")
    expect(period.get_by_label("Au")).to_have_attribute("type", "date")
    expect(page.get_by_role("group", name="Forme juridique").get_by_label("Association")).to_be_visible()
    expect(page.get_by_role("group", name="Avez-vous déjà un local ?").get_by_label("Oui")).to_be_visible()
    period.scroll_into_view_if_needed()
    screenshot(page, "call-typed-fields", full_page=False)
    check_axe(page, "appel-champs-types")


@pytest.mark.parametrize("width", [375, 1280])
def test_each_field_card_is_titled_by_its_label(demo_site, page_at, width):
    page = page_at(width, height=900)
    call = open_form_tab(page, demo_site)
    text = index_of(call, "nom_du_commerce")
    heading = page.locator(f"#inline_child_form_fields-{text}-panel-heading [data-panel-heading-text]")
    # The label the editor opened with: the live field's, or the one of a draft that Wagtail's
    # autosave (on in this module) kept from an earlier test; on PostgreSQL the live server commits it.
    label = page.locator(f"#id_form_fields-{text}-label")
    opened_with = label.input_value()
    assert opened_with in {"Nom du commerce", "Enseigne du commerce (375 px)"}
    expect(heading).to_have_text(opened_with, use_inner_text=True)
    label.fill(f"Enseigne du commerce ({width} px)")
    expect(heading).to_have_text(f"Enseigne du commerce ({width} px)", use_inner_text=True)
    # A new field: Wagtail's numbered title until a label is typed.
    total = int(page.locator("#id_form_fields-TOTAL_FORMS").input_value())
    page.locator("#id_form_fields-ADD").click()
    new_heading = page.locator(f"#inline_child_form_fields-{total}-panel-heading [data-panel-heading-text]")
    expect(new_heading).to_contain_text("Champ du formulaire")
    page.locator(f"#id_form_fields-{total}-label").fill("Nombre de salariés")
    expect(new_heading).to_have_text("Nombre de salariés", use_inner_text=True)
    page.locator(f"#id_form_fields-{text}-label").scroll_into_view_if_needed()
    screenshot(page, f"call-editor-field-titles-{width}", full_page=False)
    # Wagtail's own markup (the rich text editor's field, the minimap): as in test_moderation_pages.py.
    check_axe(
        page,
        f"appel-champs-titres-{width}",
        ignore={
            "aria-input-field-name": ".public-DraftEditor-content",
            "scrollable-region-focusable": ".w-minimap__list",
        },
    )
