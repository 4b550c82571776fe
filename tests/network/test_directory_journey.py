"""The members' directory in Chromium: at 375 px a demo laureate signs in by the emailed link,
finds « Annuaire » among the network's links of the space, filters the directory by région,
shows their phone and hides their email, and reads the change in the directory; at 1280 px a
moderator reads it in the admin. axe-core and the Nu HTML Checker on every new page.

Uses the browser harness of tests/e2e (its fixtures are imported here).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.applicants import test_browser_journey as applicant_journey
from tests.e2e import conftest as e2e
from tests.e2e import test_moderation_pages as moderation_pages
from tests.e2e.harness import check_axe, format_vnu_messages, run_vnu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.journey]

_allow_orm_beside_playwright = e2e._allow_orm_beside_playwright
_demo_site_for_module = e2e._demo_site_for_module
_media_in_tmp = e2e._media_in_tmp
browser = e2e.browser
csp_violations = e2e.csp_violations
demo_site = e2e.demo_site
e2e_media = e2e.e2e_media
page_at = e2e.page_at
validator = e2e.validator


def extra_demo_content(home):
    from network.models import AgendaIndexPage
    from tests.moderation.factories import user_in
    from tests.network.factories import make_agenda

    if not AgendaIndexPage.objects.exists():  # the agenda of the network's demo, when it has none yet
        make_agenda(home)
    user_in("Modérateurs", username="mona", first_name="Mona", last_name="Dupont", password=moderation_pages.PASSWORD)


def example_laureates():
    from laureates.models import Laureate
    from moderation.demo import EXAMPLE_CALL_SLUG

    return list(Laureate.objects.filter(call__slug=EXAMPLE_CALL_SLUG).order_by("application__reference"))


def test_a_laureate_filters_the_directory_and_changes_their_opt_ins(demo_site, page_at, validator):
    from network.models import DirectoryProfile

    laureate, *others = example_laureates()
    other = next(item for item in others if item.region != laureate.region)
    pages = {}
    page = page_at(375)
    page.goto(demo_site.at("/espace-candidat/"))
    page.fill("#id_email", laureate.contact_email)
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    page.goto(demo_site.at(applicant_journey.last_link()))
    page.get_by_role("button", name="Ouvrir mon espace").click()
    network = page.get_by_role("navigation", name="Le réseau des lauréats")
    expect(network.get_by_role("link", name="Agenda du réseau")).to_be_visible()
    expect(network.get_by_role("link", name="Annuaire")).to_be_visible()
    applicant_journey.checked(page, "annuaire-espace", pages)

    network.get_by_role("link", name="Annuaire").click()
    expect(page.get_by_role("heading", name="Annuaire du réseau")).to_be_visible()
    expect(page.locator(f"#membre-{other.pk}")).to_be_visible()
    applicant_journey.checked(page, "annuaire-liste", pages)

    # Filter by the other laureate's région (without JavaScript's help: a GET form).
    page.get_by_label("Région").select_option(other.region)
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator(f"#membre-{other.pk}")).to_be_visible()
    expect(page.locator(f"#membre-{laureate.pk}")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="avec ces filtres")).to_be_visible()
    applicant_journey.checked(page, "annuaire-filtre", pages)

    # Their own profile: show the phone, hide the email.
    page.get_by_role("link", name=re.compile("^Modifier ma fiche")).click()
    expect(page.get_by_role("heading", name="Ma fiche dans l'annuaire")).to_be_visible()
    page.get_by_label("Montrer mon courriel aux membres").uncheck()
    page.get_by_label("Montrer mon téléphone aux membres").check()
    page.get_by_role("button", name="Enregistrer ma fiche").click()
    expect(page.get_by_text("Votre fiche est enregistrée")).to_be_visible()
    preview = page.locator(".directory-profile-preview")
    expect(preview.get_by_role("link", name=laureate.contact_phone)).to_be_visible()
    expect(preview.get_by_text(laureate.contact_email)).to_have_count(0)
    applicant_journey.checked(page, "annuaire-ma-fiche", pages)
    profile = DirectoryProfile.objects.get(laureate=laureate)
    assert profile.show_phone and not profile.show_email

    # An error: the website's box without an address; nothing changes.
    page.get_by_label("Montrer mon site internet aux membres").check()
    page.locator("#id_website").fill("")
    page.get_by_role("button", name="Enregistrer ma fiche").click()
    expect(page.get_by_text("Votre fiche n'est pas enregistrée")).to_be_visible()
    applicant_journey.checked(page, "annuaire-ma-fiche-erreur", pages)
    assert DirectoryProfile.objects.get(laureate=laureate).website == profile.website

    # The other members read the change in the directory.
    page.goto(demo_site.at("/espace-candidat/annuaire/"))
    entry = page.locator(f"#membre-{laureate.pk}")
    expect(entry.get_by_role("link", name=laureate.contact_phone)).to_be_visible()
    expect(entry.get_by_text(laureate.contact_email)).to_have_count(0)
    validator(pages)


def test_the_team_reads_the_directory_in_the_admin(demo_site, page_at):
    laureate = example_laureates()[0]
    path = "/admin/annuaire/"
    page = page_at(1280)
    moderation_pages.log_in(page, demo_site, "mona")
    page.goto(demo_site.at(path))
    expect(page.get_by_role("heading", name="Annuaire du réseau")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(re.escape(laureate.business_name)))).to_be_visible()
    page.get_by_label("Région").select_option(laureate.region)
    page.get_by_role("button", name="Afficher", exact=True).click()
    expect(page.get_by_role("cell", name=re.compile(re.escape(laureate.business_name)))).to_be_visible()
    check_axe(page, "annuaire (équipe)", ignore=moderation_pages.WAGTAIL_AXE)
    screenshot(page, "annuaire-equipe")
    report = run_vnu({"annuaire (équipe)": page.request.get(page.url).text()})
    errors = [
        message
        for messages in report.values()
        for message in messages
        if message.get("type") == "error" and not moderation_pages.wagtail_markup(message)
    ]
    assert not errors, format_vnu_messages(errors)
