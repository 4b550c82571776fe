"""The team's money work in a real browser at 1280 px: a moderator opens a laureate's page,
records a tranche, is refused one that would exceed the award (French message, nothing
stored), then reads the dashboard's money panel."""

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import check_axe, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.journey]

PASSWORD = "motdepasse-solide-42"
NAME = "Le Comptoir des Izards"


def extra_demo_content(home):
    """A moderator, an envelope on the 2026 call and one of its laureates with its award."""
    from decimal import Decimal

    from calls.models import CallPage
    from tests.laureates.factories import make_laureate
    from tests.moderation.factories import user_in

    user_in("Modérateurs", username="mona", first_name="Mona", last_name="Dupont", password=PASSWORD)
    call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    CallPage.objects.filter(pk=call.pk).update(envelope=Decimal("625000"))
    make_laureate(call=call, business_name=NAME, town="Toulouse", region="occitanie", amount_awarded=Decimal("12500"))


def test_a_moderator_records_a_payment_and_reads_the_dashboard(demo_site, page_at):
    page = page_at(1280)
    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill("mona")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(demo_site.at("/admin/"))

    page.goto(demo_site.at("/admin/laureats/"))
    page.get_by_role("link", name=NAME).first.click()
    # The list's title links to the edit view; the laureate's page is its inspect view.
    page.goto(page.url.replace("/edit/", "/inspect/"))
    expect(page.get_by_role("heading", name="Versements")).to_be_visible()

    form = page.locator("form.laureates-payment-add")
    form.get_by_label("Tranche").fill("Premier versement")
    form.get_by_label("Date prévue").fill("2026-09-01")
    form.get_by_label("Montant (€)").fill("7 500,00")
    form.get_by_role("button", name="Ajouter le versement").click()
    expect(page.get_by_text("Versement enregistré.")).to_be_visible()
    expect(page.get_by_text("Reste à prévoir : 5\u00a0000,00\u00a0€.")).to_be_visible()

    form = page.locator("form.laureates-payment-add")
    form.get_by_label("Date prévue").fill("2026-12-01")
    form.get_by_label("Montant (€)").fill("6000")
    form.get_by_role("button", name="Ajouter le versement").click()
    expect(page.get_by_text("Ce versement dépasserait le montant accordé")).to_be_visible()
    expect(page.get_by_text("Reste à prévoir : 5\u00a0000,00\u00a0€.")).to_be_visible()
    # Wagtail's message fades in: its colours are checked once the animation has ended.
    page.evaluate("Promise.all(document.getAnimations().map((animation) => animation.finished))")
    check_axe(page, "fiche du lauréat (refus)")
    screenshot(page, "laureats-fiche-refus")
    # On a phone the tranches stack: nothing scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    payments = page.locator(".laureates-payments")
    expect(payments.locator("li")).to_have_count(1)
    assert payments.evaluate("e => e.scrollWidth <= e.clientWidth")
    check_axe(page, "fiche du lauréat (375 px)")
    screenshot(page, "laureats-fiche-375")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(demo_site.at("/admin/"))
    panel = page.locator("section.laureates-money")
    expect(panel.get_by_role("heading", name="Lauréats : enveloppes et versements")).to_be_visible()
    row = panel.get_by_role("row", name="Appel à candidatures 2026")
    expect(row).to_contain_text("625\u00a0000,00\u00a0€")
    expect(row).to_contain_text("12\u00a0500,00\u00a0€")
    expect(row).to_contain_text("612\u00a0500,00\u00a0€")
    check_axe(page, "tableau de bord (lauréats)")
    screenshot(page, "laureats-tableau-de-bord")
