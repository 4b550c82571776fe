"""The team marks attendance after a session on a phone (375 px), without JavaScript: a
moderator opens « Présences aux séances », the demo's past session, changes two people's
attendance with large radio buttons and saves; the list says who marked and when. axe on the
index and the list (375 and 1280 px), the Nu checker on them, on « Ressources du réseau » and
on the members' resources page (a member laureate signed in to the space)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import check_axe, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.journey]

PASSWORD = "motdepasse-solide-42"
PAST_SESSION = "Exemple — Rencontre du réseau : accueillir les habitants"
MEMBER_EMAIL = "membre.reseau@example.org"


def extra_demo_content(home):
    """A moderator, a member laureate registered to the past session, and their space's
    session (committed: the live server sees them)."""
    import time

    from django.contrib.sessions.backends.db import SessionStore

    from applicants.auth import SESSION_EMAIL, SESSION_SEEN
    from network.models import Registration, RegistrationStatus, SessionPage
    from tests.laureates.factories import make_laureate
    from tests.moderation.factories import user_in

    user_in("Modérateurs", username="mona", first_name="Mona", last_name="Dupont", password=PASSWORD)
    laureate = make_laureate(business_name="Exemple — Le Café du Réseau", contact_email=MEMBER_EMAIL)
    session = SessionPage.objects.get(title=PAST_SESSION)
    Registration.objects.create(
        session=session,
        laureate=laureate,
        role="laureat",
        status=RegistrationStatus.CONFIRMEE,
        confirmed_at=session.starts_at,
    )
    store = SessionStore()
    store[SESSION_EMAIL] = MEMBER_EMAIL
    store[SESSION_SEEN] = int(time.time())
    store.set_expiry(3600)
    store.save()
    home.member_session_key = store.session_key


def log_in(page, demo_site):
    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill("mona")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(demo_site.at("/admin/"))


def test_the_team_marks_attendance_on_a_phone_without_javascript(demo_site, page_at):
    page = page_at(375, javascript=False)
    log_in(page, demo_site)
    page.goto(demo_site.at("/admin/"))
    check_axe(page, "tableau de bord 375")  # with the attendance panel
    page.goto(demo_site.at("/admin/reseau/presences/"))
    check_axe(page, "presences index 375")
    screenshot(page, "reseau-presences-index")
    page.get_by_role("link", name=PAST_SESSION).first.click()
    expect(page.get_by_role("button", name="Enregistrer les présences")).to_be_visible()
    person = page.locator("li.network-attendance__person", has_text="Exemple — Le Café du Réseau")
    expect(person).to_contain_text("Pas encore noté.")
    # The whole choice is the tap target: a label at least 44 px high around its radio button.
    choice = person.locator("label", has_text="Présent")
    box = choice.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 80
    choice.click()
    resident = page.locator("li.network-attendance__person", has_text="Samia")
    resident.locator("label", has_text="Absent").click()
    check_axe(page, "presences liste 375")
    screenshot(page, "reseau-presences-liste")
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Présences enregistrées pour 2 personnes.")).to_be_visible()
    person = page.locator("li.network-attendance__person", has_text="Exemple — Le Café du Réseau")
    expect(person.get_by_label("Présent")).to_be_checked()
    expect(person).to_contain_text("par Mona Dupont")
    screenshot(page, "reseau-presences-enregistrees")

    from network.models import Registration

    marked = Registration.objects.get(laureate__business_name="Exemple — Le Café du Réseau")
    assert marked.attendance == "present" and marked.attendance_marked_by.username == "mona"


@pytest.mark.parametrize("width", [1280])
def test_the_pages_pass_axe_at_1280(demo_site, page_at, width):
    page = page_at(width)
    log_in(page, demo_site)
    for name, path in [
        ("tableau de bord", "/admin/"),
        ("presences index", "/admin/reseau/presences/"),
        ("ressources du reseau", "/admin/reseau/ressources/"),
        ("nouvelle ressource", "/admin/reseau/ressources/new/"),
    ]:
        assert page.goto(demo_site.at(path)).status == 200
        check_axe(page, name)
        screenshot(page, f"reseau-{name}")
    page.get_by_role("link", name="Présences aux séances").first.click()
    page.get_by_role("link", name=PAST_SESSION).first.click()
    check_axe(page, "presences liste 1280")


def test_the_members_resources_page_at_375(demo_site, page_at):
    page = page_at(375)
    page.context.add_cookies([{"name": "sessionid", "value": demo_site.home.member_session_key, "url": demo_site.url}])
    response = page.goto(demo_site.at("/espace-candidat/ressources/"))
    assert response.status == 200 and "no-store" in response.headers["cache-control"]
    expect(page.get_by_role("heading", name="Ressources du réseau", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Exemple — Guide : préparer une rencontre avec les habitants")).to_be_visible()
    expect(page.get_by_role("link", name="Compte rendu (exemple)")).to_be_visible()
    check_axe(page, "ressources membres 375")
    screenshot(page, "reseau-ressources-membre")


def test_the_pages_are_valid_html(demo_site, page_at, validator):
    from network.models import SessionPage
    from tests.e2e.harness import format_vnu_messages, run_vnu
    from tests.e2e.test_moderation_pages import wagtail_markup

    session = SessionPage.objects.get(title=PAST_SESSION)
    page = page_at(1280)
    log_in(page, demo_site)
    documents = {}
    for name, path in [
        ("presences index", "/admin/reseau/presences/"),
        ("presences liste", f"/admin/reseau/presences/{session.pk}/"),
        ("ressources du reseau", "/admin/reseau/ressources/"),
        ("nouvelle ressource", "/admin/reseau/ressources/new/"),
        ("tableau de bord", "/admin/"),
    ]:
        response = page.request.get(demo_site.at(path))
        assert response.status == 200, path
        documents[name] = response.text()
    member = page_at(375)
    member.context.add_cookies(
        [{"name": "sessionid", "value": demo_site.home.member_session_key, "url": demo_site.url}]
    )
    documents["ressources membres"] = member.request.get(demo_site.at("/espace-candidat/ressources/")).text()
    report = run_vnu(documents)
    errors = [
        message
        for name, messages in report.items()
        for message in messages
        if message.get("type") == "error" and not (name != "ressources membres" and wagtail_markup(message))
    ]
    assert not errors, format_vnu_messages(errors)
