"""Registering to the network's sessions in a real browser at 375 px.

- A resident registers to the demo's co-construction session open to everyone (name, address),
  confirms by the emailed link, then downloads the session's .ics (parsed by icalendar).
- A laureate signed in to the space registers in one click to a full-size-one session, another
  laureate goes on the waiting list; the first cancels in « Mes séances » and the waiting one is
  promoted, with an email carrying the .ics.
- A session the team cancelled (unpublished) reads « Séance annulée par l'équipe » in « Mes
  séances », at 375 and 1280 px.
- After the demo's past session, its example resident (no account) finds the minutes on their
  registration's page and downloads them through the same link, at 375 and 1280 px.
axe-core and the Nu HTML Checker on every page of registration.
"""

import re

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from .harness import check_axe, loaded_html, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.journey]

PUBLIC_SESSION = "/agenda/exemple-co-construction-habitants/"
SMALL_SESSION_SLUG = "exemple-une-seule-place"
CANCELLED_TITLE = "Exemple — Séance annulée par l'équipe"
CANCELLED_LINKS = {}
RESIDENT_LINKS = {}
LINK = re.compile(r"https?://[^/\s]+(/seances/inscription/[^/\s]+/)")
SESSION_KEYS = {}


def extra_demo_content(home):
    """A laureates' session with one seat, two member laureates signed in to the space (their
    sessions' keys, given to the browsers as cookies)."""
    import time

    from django.contrib.sessions.backends.db import SessionStore

    from applicants.auth import SESSION_EMAIL, SESSION_SEEN
    from network.models import AgendaIndexPage, Audience
    from tests.laureates.factories import make_laureate
    from tests.network.factories import make_session

    make_session(
        AgendaIndexPage.objects.get(),
        title="Exemple — Atelier à une seule place",
        slug=SMALL_SESSION_SLUG,
        capacity=1,
        audience=Audience.LAUREATS,
    )
    for email, business in (("awa@example.org", "Exemple — Café Awa"), ("tom@example.org", "Exemple — Épicerie Tom")):
        make_laureate(contact_email=email, business_name=business, contact_name=email.split("@")[0].title())
        session = SessionStore()
        session[SESSION_EMAIL] = email
        session[SESSION_SEEN] = int(time.time())
        session.save()
        SESSION_KEYS[email] = session.session_key
    # Awa (a laureate) and Léa (a resident, her address not confirmed yet) registered to a session
    # the team then cancelled (unpublished before it began).
    from django.urls import reverse

    from laureates.models import Laureate
    from network import registration, registration_links
    from network.models import Role, SessionPage

    cancelled = make_session(AgendaIndexPage.objects.get(), title=CANCELLED_TITLE, slug="exemple-annulee")
    awa = Laureate.objects.get(contact_email="awa@example.org")
    registration.register_laureate(cancelled, awa)
    _outcome, lea = registration.register_person(cancelled, name="Léa", email="lea@example.org", role=Role.HABITANT)
    CANCELLED_LINKS["lea"] = reverse("network_registration:manage", args=[registration_links.registration_token(lea)])
    SessionPage.objects.get(pk=cancelled.pk).unpublish()
    # The demo's resident registered to the past session: a key for her link, as the service
    # gives one to every resident.
    from network.demo import PAST_SESSION_SLUG
    from network.demo_attendance import RESIDENT
    from network.models import Registration

    resident = Registration.objects.get(session__slug=PAST_SESSION_SLUG, email=RESIDENT[1])
    resident.token_hash = registration_links.new_key()
    resident.save(update_fields=["token_hash"])
    RESIDENT_LINKS["past"] = reverse(
        "network_registration:manage", args=[registration_links.registration_token(resident)]
    )


def run_commit_callbacks():
    """On SQLite the live server shares the test's connection: what it queued for after the
    commit (the emails) waits there; run it as a commit would (nothing waits on PostgreSQL)."""
    from django.db import connection

    pending, connection.run_on_commit = list(connection.run_on_commit), []
    for _savepoints, callback, _robust in pending:
        callback()


def checked(page, name, pages):
    pages[name] = loaded_html(page)
    check_axe(page, name)
    screenshot(page, name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def signed_in(page_at, demo_site, email):
    page = page_at(375)
    page.context.add_cookies([{"name": "sessionid", "value": SESSION_KEYS[email], "url": demo_site.url}])
    return page


def test_a_resident_registers_confirms_by_the_link_and_gets_the_ics(demo_site, page_at, validator, tmp_path):
    pages = {}
    page = page_at(375)
    page.goto(demo_site.at(PUBLIC_SESSION))
    page.get_by_role("link", name="M'inscrire (nom et adresse électronique)").click()
    page.get_by_label("Votre adresse électronique").fill("lea@gmial.com")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_text("Indiquez votre nom.")).to_be_visible()
    checked(page, "seance-inscription-erreur", pages)

    page.get_by_label("Votre nom").fill("Léa Martin (exemple)")
    page.get_by_label("Votre adresse électronique").fill("lea@example.org")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("heading", name="Vérifiez votre boîte de réception")).to_be_visible()
    checked(page, "seance-inscription-merci", pages)

    run_commit_callbacks()
    link = LINK.search(mail.outbox[-1].body).group(1)
    page.goto(demo_site.at(link))
    checked(page, "seance-inscription-lien", pages)
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_text("Inscription confirmée.")).to_be_visible()
    checked(page, "seance-inscription-confirmee", pages)

    with page.expect_download() as download:
        page.get_by_role("link", name="Ajouter à mon agenda (fichier .ics)").click()
    path = tmp_path / "seance.ics"
    download.value.save_as(path)
    [event] = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert "Co-construire" in str(event["SUMMARY"])
    run_commit_callbacks()
    assert mail.outbox[-1].to == ["lea@example.org"] and mail.outbox[-1].attachments

    page.goto(demo_site.at(link))  # used again: confirmed already, no button, nothing changed
    expect(page.get_by_role("button", name="Confirmer mon inscription")).to_have_count(0)
    expect(page.get_by_role("button", name="Annuler mon inscription")).to_be_visible()
    validator(pages)


def test_a_laureate_registers_cancels_and_the_waiting_list_moves(demo_site, page_at, validator):
    pages = {}
    session_url = f"/agenda/{SMALL_SESSION_SLUG}/"
    awa = signed_in(page_at, demo_site, "awa@example.org")
    awa.goto(demo_site.at(session_url))
    awa.get_by_role("button", name="M'inscrire en un clic").click()
    expect(awa.locator("#inscription")).to_contain_text("Vous êtes inscrit ou inscrite à cette séance.")
    checked(awa, "seance-laureat-inscrit", pages)

    tom = signed_in(page_at, demo_site, "tom@example.org")
    tom.goto(demo_site.at(session_url))
    tom.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    expect(tom.locator("#inscription")).to_contain_text("Vous êtes sur la liste d'attente, en position 1.")

    awa.goto(demo_site.at("/espace-candidat/mes-seances/"))
    checked(awa, "mes-seances", pages)
    card = awa.get_by_role("region", name="Exemple — Atelier à une seule place")
    card.get_by_role("button", name="Annuler mon inscription").click()
    expect(awa.get_by_text("Votre place revient à la première personne de la liste d'attente")).to_be_visible()
    checked(awa, "mes-seances-annulee", pages)

    run_commit_callbacks()
    [promotion] = [m for m in mail.outbox if m.to == ["tom@example.org"] and "Une place pour vous" in m.subject]
    [event] = Calendar.from_ical(promotion.attachments[0][1]).walk("VEVENT")
    assert "Atelier à une seule place" in str(event["SUMMARY"])
    tom.goto(demo_site.at("/espace-candidat/mes-seances/"))
    expect(tom.get_by_text("Confirmée").first).to_be_visible()
    validator(pages)


@pytest.mark.parametrize("width", [375, 1280])
def test_a_session_cancelled_by_the_team_reads_so_in_mes_seances(demo_site, page_at, validator, width):
    page = page_at(width)
    page.context.add_cookies([{"name": "sessionid", "value": SESSION_KEYS["awa@example.org"], "url": demo_site.url}])
    page.goto(demo_site.at("/espace-candidat/mes-seances/"))
    card = page.get_by_role("region", name=CANCELLED_TITLE)
    expect(card).to_contain_text("Séance annulée par l'équipe")
    expect(card.get_by_role("button")).to_have_count(0)
    check_axe(page, f"mes-seances-seance-annulee-{width}")
    screenshot(page, "mes-seances-seance-annulee")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    pages = {"mes-seances-seance-annulee": loaded_html(page)}
    # The resident's link: the same words, no button, no link to the page gone.
    page.context.clear_cookies()
    page.goto(demo_site.at(CANCELLED_LINKS["lea"]))
    expect(page.get_by_text("L'équipe a annulé cette séance")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("inscription"))).to_have_count(0)
    check_axe(page, f"inscription-seance-annulee-{width}")
    screenshot(page, "inscription-seance-annulee")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    pages["inscription-seance-annulee"] = loaded_html(page)
    if width == 375:
        validator(pages)


@pytest.mark.parametrize("width", [375, 1280])
def test_a_resident_downloads_the_minutes_from_their_registration_link(demo_site, page_at, validator, width):
    from network.demo_attendance import MINUTES_TITLE

    page = page_at(width)
    page.goto(demo_site.at(RESIDENT_LINKS["past"]))
    expect(page.get_by_role("heading", name="Comptes rendus et documents de la séance")).to_be_visible()
    link = page.get_by_role("link", name=MINUTES_TITLE)
    expect(link).to_have_attribute("href", re.compile(r"^/seances/inscription/[^/]+/documents/\d+/$"))
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "compte-rendu-exemple.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    check_axe(page, f"inscription-documents-{width}")
    screenshot(page, "inscription-documents")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 375:
        validator({"inscription-documents": loaded_html(page)})
