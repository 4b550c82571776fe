"""Registration's pages: the laureate's click, the resident's form and link, the partner's
invitation, « Mes séances », the calendar feeds; bad input refused in French, nothing changed."""

import datetime
import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from home.legal import processings
from home.log_redaction import redact
from network import calendar_feeds, registration, registration_links
from network.models import Audience, CalendarFeed, Mode, Registration, RegistrationStatus, Role
from tests.laureates.factories import make_laureate

from .factories import make_session

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def link_in(message):
    return re.search(r"http://testserver(/seances/inscription/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def _post(url, data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **extra)

    return _post


def test_a_laureate_registers_in_one_click_from_the_session_page(agenda, signed_in_client, post, mailoutbox):
    session = make_session(agenda, capacity=1)
    make_laureate(contact_email="awa@example.org")
    client = signed_in_client("awa@example.org")
    page = client.get(session.url)
    assert "M'inscrire en un clic" in page.content.decode()
    response = post(f"/seances/{session.pk}/inscrire/", {"depuis": "seance"})
    assert response.status_code == 303 and response["Location"] == session.url + "#inscription"
    assert Registration.objects.get().status == S.CONFIRMEE
    [message] = mailoutbox
    assert message.attachments[0][0].endswith(".ics")
    page = client.get(session.url).content.decode()
    assert "Vous êtes inscrit ou inscrite à cette séance." in page
    # Twice: refused in French, nothing changed.
    response = post(f"/seances/{session.pk}/inscrire/", {"depuis": "seance"}, follow=True)
    assert "déjà inscrit" in response.content.decode()
    assert Registration.objects.count() == 1 and len(mailoutbox) == 1


def test_forged_ids_and_members_only_sessions_are_a_french_404(agenda, signed_in_client, client, post):
    members = make_session(agenda, audience=Audience.LAUREATS)
    make_laureate(contact_email="awa@example.org")
    for url in (f"/seances/{members.pk}/inscription/", "/seances/999999/inscription/"):
        response = client.get(url)
        assert response.status_code == 404 and "Séance introuvable" in response.content.decode()
        assert post(url, {"name": "Léa", "email": "lea@example.org"}).status_code == 404
    signed_in_client("personne@example.org")  # signed in, not a laureate
    assert post(f"/seances/{members.pk}/inscrire/").status_code == 404
    signed_in_client("awa@example.org")
    assert post("/seances/999999/inscrire/").status_code == 404
    assert not Registration.objects.exists()


def test_signed_out_the_click_asks_for_the_sign_in(agenda, client):
    session = make_session(agenda)
    response = client.post(f"/seances/{session.pk}/inscrire/")
    assert response.status_code == 302 and response["Location"].startswith("/espace-candidat/")
    assert not Registration.objects.exists()


def test_a_resident_registers_confirms_and_cancels_by_the_link(agenda, client, post, mailoutbox):
    session = make_session(agenda, capacity=3)
    form = client.get(f"/seances/{session.pk}/inscription/")
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]
    response = post(f"/seances/{session.pk}/inscription/", {"name": "Léa Martin", "email": "Lea@Example.org"})
    assert response.status_code == 303 and response["Location"] == "/seances/merci/"
    [verification] = mailoutbox
    link = link_in(verification)
    assert "lea" not in link and redact(link) == "/seances/inscription/[masqué]/"

    page = client.get(link)  # a mail scanner's GET changes nothing
    assert "Confirmer mon inscription" in page.content.decode() and "no-store" in page["Cache-Control"]
    assert Registration.objects.get().status == S.EN_ATTENTE_CONFIRMATION
    confirmed = post(link, {"action": "confirmer"})
    assert "Inscription confirmée" in confirmed.content.decode()
    assert Registration.objects.get().status == S.CONFIRMEE
    ics = client.get(link + "seance.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["UID"]) == str(session.ical_uid)
    assert len(mailoutbox) == 2 and mailoutbox[1].attachments

    reused = post(link, {"action": "confirmer"})
    assert reused.status_code == 400 and "Ce lien a déjà servi" in reused.content.decode()
    assert len(mailoutbox) == 2
    cancelled = post(link, {"action": "annuler"})
    assert "Votre inscription est annulée" in cancelled.content.decode()
    assert Registration.objects.get().status == S.ANNULEE
    assert "déjà annulée" in post(link, {"action": "annuler"}).content.decode()

    forged = link.replace(link.split("/")[3][-4:], "abcd")
    assert client.get(forged).status_code == 400
    assert "ne fonctionne pas" in client.get("/seances/inscription/12-pas-un-jeton/").content.decode()


def test_an_expired_link_says_so_and_changes_nothing(agenda, client, post, settings, mailoutbox):
    settings.NETWORK_CONFIRMATION_HOURS = 1
    session = make_session(agenda)
    post(f"/seances/{session.pk}/inscription/", {"name": "Léa", "email": "lea@example.org"})
    Registration.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))
    response = post(link_in(mailoutbox[0]), {"action": "confirmer"})
    assert response.status_code == 400 and "Ce lien a expiré" in response.content.decode()
    assert Registration.objects.get().status == S.EXPIREE and len(mailoutbox) == 1


def test_bad_form_input_closed_sessions_and_the_rate_limit(agenda, client, post, settings, mailoutbox):
    session = make_session(agenda)
    bad = post(f"/seances/{session.pk}/inscription/", {"name": " ", "email": "lea@gmial.com"})
    assert bad.status_code == 400
    assert "Indiquez votre nom." in bad.content.decode() and "gmail.com" in bad.content.decode()
    closed = make_session(agenda, registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    response = post(f"/seances/{closed.pk}/inscription/", {"name": "Léa", "email": "lea@example.org"})
    assert response.status_code == 400 and "sont closes depuis le" in response.content.decode()
    settings.NETWORK_REGISTRATION_LIMIT = 1
    post(f"/seances/{session.pk}/inscription/", {"name": "Léa", "email": "lea@example.org"}, REMOTE_ADDR="10.9.0.1")
    over = post(
        f"/seances/{session.pk}/inscription/", {"name": "Tom", "email": "tom@example.org"}, REMOTE_ADDR="10.9.0.1"
    )
    assert over.status_code == 429 and "Rien n'a été enregistré" in over.content.decode()
    assert list(Registration.objects.values_list("email", flat=True)) == ["lea@example.org"]
    assert len(mailoutbox) == 1


def test_partners_register_by_the_invitation_link_which_a_new_key_ends(agenda, client, post, mailoutbox):
    session = make_session(agenda, audience=Audience.LAUREATS_PARTENAIRES)
    assert client.get(f"/seances/{session.pk}/inscription/").status_code == 404
    url = registration_links.invitation_url(session).removeprefix("http://testserver")
    assert redact(url) == "/seances/invitation/[masqué]/"
    response = post(url, {"name": "Centre social (exemple)", "email": "partenaire@example.org"})
    assert response.status_code == 303
    assert Registration.objects.get().role == Role.PARTENAIRE
    session.invitation_key = "nouvelle-cle"
    session.save(update_fields=["invitation_key"])
    stale = post(url, {"name": "Autre", "email": "autre@example.org"})
    assert stale.status_code == 404 and "invitation ne fonctionne pas" in stale.content.decode()
    assert Registration.objects.count() == 1


def test_mes_seances_lists_registers_cancels_and_moves_the_waiting_list(
    agenda, signed_in_client, post, mailoutbox, django_assert_num_queries
):
    session = make_session(agenda, capacity=1, mode=Mode.EN_LIGNE, meeting_url="https://visio.example.org/salle")
    other = make_session(agenda)
    awa = make_laureate(contact_email="awa@example.org")
    waiting = registration.register_laureate(session, make_laureate(contact_email="tom@example.org"))
    assert waiting.status == S.CONFIRMEE
    client = signed_in_client("awa@example.org")
    post(f"/seances/{session.pk}/inscrire/")
    mine = Registration.objects.get(laureate=awa)
    assert mine.status == S.LISTE_ATTENTE
    page = client.get("/espace-candidat/mes-seances/")
    text = page.content.decode()
    assert "position 1 sur la liste d'attente" in text and other.title in text
    assert "visio.example.org" not in text  # not confirmed: no meeting link
    assert "no-store" in page["Cache-Control"]
    # The session, the laureates, their registrations, the waiting place, the open sessions, the
    # feed, the site and its menu, the session saved (its idle timer) in a savepoint.
    with django_assert_num_queries(11):
        client.get("/espace-candidat/mes-seances/")
    # Tom cancels (in his own space): Awa is promoted and told once.
    mailoutbox.clear()
    signed_in_client("tom@example.org")
    response = post(f"/espace-candidat/mes-seances/{waiting.pk}/annuler/", follow=True)
    assert "Votre inscription à" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == S.CONFIRMEE
    assert sorted(m.to[0] for m in mailoutbox) == ["awa@example.org", "tom@example.org"]
    # Another laureate's registration is a 404 (Tom's space, Awa's id).
    assert post(f"/espace-candidat/mes-seances/{mine.pk}/annuler/").status_code == 404
    signed_in_client("awa@example.org")
    assert "visio.example.org" in client.get("/espace-candidat/mes-seances/").content.decode()


def test_the_private_feed_is_revocable_and_the_public_feed_has_no_one(agenda, signed_in_client, post, client):
    online = make_session(agenda, mode=Mode.EN_LIGNE, meeting_url="https://visio.example.org/salle")
    members = make_session(agenda, audience=Audience.LAUREATS)
    awa = make_laureate(contact_email="awa@example.org")
    registration.register_laureate(online, awa)
    registration.register_laureate(members, awa)
    client = signed_in_client("awa@example.org")
    post("/espace-candidat/mes-seances/agenda/", {"action": "nouveau"})
    feed = CalendarFeed.objects.get(laureate=awa)
    url = registration_links.feed_url(feed).removeprefix("http://testserver")
    assert redact(url) == "/seances/agenda/[masqué]/"
    assert url in client.get("/espace-candidat/mes-seances/").content.decode()
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar") and "no-store" in response["Cache-Control"]
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {str(online.ical_uid), str(members.ical_uid)}
    assert b"visio.example.org" in response.content

    post("/espace-candidat/mes-seances/agenda/", {"action": "nouveau"})
    revoked = client.get(url)
    assert revoked.status_code == 410 and "remplacé ou arrêté" in revoked.content.decode()
    assert calendar_feeds.feed_from_token("1-" + "0" * 40)[0] == calendar_feeds.INVALID

    public = client.get("/flux/agenda.ics")
    uids = {str(e["UID"]) for e in Calendar.from_ical(public.content).walk("VEVENT")}
    assert uids == {str(online.ical_uid)}
    assert b"visio.example.org" not in public.content and b"awa" not in public.content


def test_the_privacy_page_lists_the_registrations_with_their_retention(settings):
    settings.NETWORK_REGISTRATION_RETENTION_MONTHS = 18
    [item] = [p for p in processings() if p["name"] == "Réseau et séances"]
    assert "18 mois" in item["retention"]


def test_a_resident_makes_a_feed_from_the_registrations_page(agenda, client, post, mailoutbox):
    session = make_session(agenda)
    post(f"/seances/{session.pk}/inscription/", {"name": "Léa", "email": "lea@example.org"})
    link = link_in(mailoutbox[0])
    post(link, {"action": "confirmer"})
    assert post(link + "agenda/", {"action": "nouveau"}).status_code == 303
    feed = CalendarFeed.objects.get(email="lea@example.org", laureate=None)
    url = registration_links.feed_url(feed).removeprefix("http://testserver")
    assert url in client.get(link).content.decode()
    [event] = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert str(event["UID"]) == str(session.ical_uid)
    post(link + "agenda/", {"action": "revoquer"})
    assert client.get(url).status_code == 410


def test_a_laureate_who_leaves_loses_mes_seances_and_the_feed_at_once(agenda, signed_in_client, post):
    session = make_session(agenda)
    awa = make_laureate(contact_email="awa@example.org")
    registration.register_laureate(session, awa)
    client = signed_in_client("awa@example.org")
    post("/espace-candidat/mes-seances/agenda/", {"action": "nouveau"})
    url = registration_links.feed_url(CalendarFeed.objects.get(laureate=awa)).removeprefix("http://testserver")
    assert client.get(url).status_code == 200
    awa.left_at = timezone.now()
    awa.save(update_fields=["left_at"])
    assert client.get("/espace-candidat/mes-seances/").status_code == 404
    assert client.get(url).status_code == 410
    assert post(f"/seances/{session.pk}/inscrire/").status_code == 404


def test_the_jobs_are_periodic(settings):
    from django.core.management import get_commands

    for name in ("expire_registrations", "remind_sessions", "purge_network_registrations"):
        assert settings.PERIODIC_JOBS[name]["command"] in get_commands()


@pytest.mark.parametrize("count", [1, 4])
def test_mes_seances_costs_the_same_queries_whatever_the_number_of_registrations(
    agenda, signed_in_client, count, django_assert_num_queries
):
    """The waiting places are read in one query (the waiting lists of those sessions), never one
    per registration: the same count for one registration and for several."""
    awa = make_laureate(contact_email="awa@example.org")
    for number in range(count):
        session = make_session(agenda, capacity=1)
        registration.register_laureate(session, make_laureate(contact_email=f"tom{number}@example.org"))
        registration.register_laureate(session, make_laureate(contact_email=f"zoe{number}@example.org"))
        registration.register_laureate(session, awa)  # third: position 2
        registration.register_laureate(make_session(agenda), awa)  # confirmed
    client = signed_in_client("awa@example.org")
    client.get("/espace-candidat/mes-seances/")
    # The session, the laureates, their registrations, the waiting places, the open sessions,
    # the feed, the site and its menu, the session saved (its idle timer) in a savepoint.
    with django_assert_num_queries(11):
        page = client.get("/espace-candidat/mes-seances/")
    assert page.content.decode().count("position 2 sur la liste d'attente") == count


def test_mes_seances_says_a_begun_session_is_running_and_offers_no_cancellation(
    agenda, signed_in_client, post, django_assert_num_queries
):
    """A session that has begun (the list keeps it until it ends) reads « En cours », without the
    « Annuler » that ``registration.cancel`` would refuse; one to come keeps its button."""
    running = make_session(agenda, starts_at=timezone.now() - datetime.timedelta(hours=1), hours=3)
    later = make_session(agenda)
    awa = make_laureate(contact_email="awa@example.org")
    begun, coming = (
        Registration.objects.create(session=session, laureate=awa, role=Role.LAUREAT, status=S.CONFIRMEE)
        for session in (running, later)
    )
    Registration.objects.create(
        session=make_session(agenda),
        laureate=awa,
        role=Role.LAUREAT,
        status=S.LISTE_ATTENTE,
        waitlisted_at=timezone.now(),
    )
    client = signed_in_client("awa@example.org")
    client.get("/espace-candidat/mes-seances/")
    # The same queries as the page without a begun session (see above: a waiting place read): eleven.
    with django_assert_num_queries(11):
        page = client.get("/espace-candidat/mes-seances/")
    html = page.content.decode()
    cards = {pk: html.split(f'id="inscription-{pk}"')[1].split("</section>")[0] for pk in (begun.pk, coming.pk)}
    assert "En cours" in cards[begun.pk] and "ne peut plus être annulée" in cards[begun.pk]
    assert f"/espace-candidat/mes-seances/{begun.pk}/annuler/" not in html
    assert "En cours" not in cards[coming.pk]
    assert f"/espace-candidat/mes-seances/{coming.pk}/annuler/" in cards[coming.pk]
    # A post all the same (an old tab) is still refused in French, nothing changed.
    response = post(f"/espace-candidat/mes-seances/{begun.pk}/annuler/", follow=True)
    assert "La séance a commencé" in response.content.decode()
    begun.refresh_from_db()
    assert begun.status == S.CONFIRMEE
