"""The session page: kind, date in Paris with the day name, place with commune, région and QPV
in words (the call's check), or online with its link for the confirmed and the team only;
capacity, seats left, who may come; members' sessions a 404 for others; query count pinned."""

import datetime

import pytest
from django.utils import timezone

from home.page_cache import page_cache
from network import registration
from network.models import Audience, Mode, Registration, RegistrationStatus
from tests.laureates.factories import make_laureate

from .factories import kind, make_session

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def online(agenda, **fields):
    return make_session(
        agenda,
        mode=Mode.EN_LIGNE,
        meeting_url="https://visio.example.org/seance-secrete",
        street="",
        postal_code="",
        commune_code="",
        town="",
        region="",
        **fields,
    )


def test_a_session_on_site(client, agenda):
    session = make_session(
        agenda,
        title="Co-construire avec les habitants",
        kind=kind("co-construction"),
        # Summer time starts on Sunday 31 March 2030: Monday 1 April, 16:00 UTC is 18 h in Paris.
        starts_at=datetime.datetime(2030, 4, 1, 16, tzinfo=UTC),
        hours=2.5,
        qpv_method="point",
        qpv_code="QN09328M",
        qpv_name="Quartier d'exemple",
        qpv_distance_m=0,
        capacity=25,
    )
    Registration.objects.create(
        session=session, name="Lina", email="lina@example.org", role="habitant", status="confirmee"
    )
    Registration.objects.create(session=session, name="Noé", email="noe@example.org", role="habitant", status="annulee")
    response = client.get(session.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Session de co-construction avec les habitants" in html
    assert "lundi 1er avril 2030, de 18 h à 20 h 30" in html
    assert 'datetime="2030-04-01T18:00:00+02:00"' in html
    assert "93300 Aubervilliers, Île-de-France" in html
    assert "Dans le quartier prioritaire « Quartier d&#x27;exemple »." in html
    assert "Tout le monde : lauréats, partenaires et habitants." in html
    assert "25 places · 24 restantes" in html
    assert "Ouvertes jusqu'au lundi 1er avril 2030 à 18 h." in html


@pytest.mark.parametrize(
    ("utc_start", "shown"),
    [
        # The last Sunday of March 2030 is the 31st: 16:00 UTC is 17 h the day before, 18 h the day after.
        ((2030, 3, 30, 16), "samedi 30 mars 2030, de 17 h à 19 h"),
        ((2030, 4, 1, 16), "lundi 1er avril 2030, de 18 h à 20 h"),
        # The last Sunday of October 2030 is the 27th: 16:00 UTC is 18 h the day before, 17 h the day after.
        ((2030, 10, 26, 16), "samedi 26 octobre 2030, de 18 h à 20 h"),
        ((2030, 10, 28, 16), "lundi 28 octobre 2030, de 17 h à 19 h"),
    ],
)
def test_the_day_and_hours_on_each_side_of_the_daylight_saving_changes(client, agenda, utc_start, shown):
    session = make_session(agenda, starts_at=datetime.datetime(*utc_start, tzinfo=UTC))
    assert shown in client.get(session.url).content.decode()
    assert shown in client.get("/agenda/" if session.ends_at > timezone.now() else "/agenda/passees/").content.decode()


def test_a_full_session_and_the_registration_window(client, agenda):
    session = make_session(
        agenda,
        capacity=1,
        registration_opens_at=timezone.now() + datetime.timedelta(days=2),
    )
    Registration.objects.create(session=session, laureate=make_laureate(), role="laureat", status="confirmee")
    html = client.get(session.url).content.decode()
    assert "complet (liste d'attente)" in html and "Ouvertes à partir du" in html
    assert session.registration_state() == "a_venir"


def test_a_past_session_says_so(client, agenda):
    session = make_session(agenda, starts_at=timezone.now() - datetime.timedelta(days=3))
    html = client.get(session.url).content.decode()
    assert "Cette séance a eu lieu." in html and "restantes" not in html
    assert session.registration_state() == "passee"


def test_the_meeting_link_only_for_confirmed_registrations_and_the_team(client, agenda, signed_in_client, team_user):
    session = online(agenda, audience=Audience.LAUREATS)
    awa = make_laureate(contact_email="awa@example.org")
    bilal = make_laureate(contact_email="bilal@example.org")
    Registration.objects.create(session=session, laureate=awa, role="laureat", status=RegistrationStatus.CONFIRMEE)
    Registration.objects.create(
        session=session, laureate=bilal, role="laureat", status=RegistrationStatus.LISTE_ATTENTE
    )
    link = "https://visio.example.org/seance-secrete"

    html = signed_in_client("awa@example.org").get(session.url).content.decode()
    assert link in html and "En ligne, en visioconférence." in html

    client.cookies.clear()
    html = signed_in_client("bilal@example.org").get(session.url).content.decode()
    assert link not in html and "Le lien est donné aux personnes inscrites" in html

    client.cookies.clear()
    client.force_login(team_user)
    assert link in client.get(session.url).content.decode()


def test_a_resident_confirmed_by_email_sees_the_link_once_signed_in(agenda, signed_in_client):
    session = online(agenda)
    Registration.objects.create(
        session=session, name="Lina", email="lina@example.org", role="habitant", status=RegistrationStatus.CONFIRMEE
    )
    html = signed_in_client("Lina@example.org").get(session.url).content.decode()
    assert "https://visio.example.org/seance-secrete" in html


def test_a_public_online_session_never_shows_its_link_to_visitors(client, agenda):
    session = online(agenda)
    response = client.get(session.url)
    assert "seance-secrete" not in response.content.decode()


def test_a_members_session_is_a_404_for_others_and_private_for_members(client, agenda, signed_in_client):
    session = make_session(agenda, title="Entre lauréats", audience=Audience.LAUREATS_PARTENAIRES)
    assert client.get(session.url).status_code == 404
    assert signed_in_client("inconnu@example.org").get(session.url).status_code == 404
    client.cookies.clear()
    make_laureate(contact_email="awa@example.org", left_at=timezone.now())
    assert signed_in_client("awa@example.org").get(session.url).status_code == 404

    client.cookies.clear()
    make_laureate(contact_email="sami@example.org")
    response = signed_in_client("sami@example.org").get(session.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response.get("X-Page-Cache") is None


def test_a_public_session_is_cached_for_visitors_only(client, agenda, signed_in_client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    session = make_session(agenda)
    first = client.get(session.url)
    assert "public" in first["Cache-Control"] and first["X-Page-Cache"] == "miss"
    assert client.get(session.url)["X-Page-Cache"] == "hit"
    make_laureate(contact_email="awa@example.org")
    member = signed_in_client("awa@example.org").get(session.url)
    assert member.get("X-Page-Cache") is None and "private" in member["Cache-Control"]


def test_a_new_registration_updates_the_seats_a_visitor_sees(client, agenda, settings):
    settings.PAGE_CACHE_SECONDS = 300
    session = make_session(agenda, capacity=5)
    assert "5 restantes" in client.get(session.url).content.decode()
    assert client.get(session.url)["X-Page-Cache"] == "hit"
    Registration.objects.create(session=session, name="Lina", email="lina@example.org", role="habitant")
    assert "4 restantes" in client.get(session.url).content.decode()


def test_a_session_page_takes_a_fixed_number_of_queries(client, agenda, django_assert_num_queries):
    session = make_session(agenda)
    # The first request creates the site settings (a new generation), the second keeps the
    # chrome (menu, settings, ancestors) for the generation.
    client.get(session.url)
    client.get(session.url)
    # The site, the home page and the agenda (routing), the session with its kind, the seats taken.
    with django_assert_num_queries(5):
        response = client.get(session.url)
    assert response.status_code == 200


def test_what_shows_no_seat_leaves_the_page_cache_as_it_is(client, agenda, settings, team_user):
    """Attendance marked and the purge of cancelled rows change no seat: the cached agenda and
    session page stay; a registration that takes a seat starts a new generation."""
    from network import attendance, registration_retention

    settings.PAGE_CACHE_SECONDS = 300
    started = timezone.now() - datetime.timedelta(hours=1)
    held = make_session(agenda, starts_at=started, hours=3, capacity=5)
    later = make_session(agenda, capacity=5)
    row = Registration.objects.create(
        session=held, laureate=make_laureate(contact_email="awa@example.org"), role="laureat", status="confirmee"
    )
    past = make_session(agenda, starts_at=timezone.now() - datetime.timedelta(days=3))
    Registration.objects.create(session=past, name="Lina", email="lina@example.org", role="habitant", status="annulee")
    for url in (agenda.url, later.url):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    attendance.mark_attendance(held, team_user, {row.pk: ("inconnue", "present")})
    assert registration_retention.purge()[0] == 1
    for url in (agenda.url, later.url):
        assert client.get(url)["X-Page-Cache"] == "hit"
    Registration.objects.create(session=later, name="Léo", email="leo@example.org", role="habitant")
    response = client.get(later.url)
    assert response["X-Page-Cache"] == "miss" and "4 restantes" in response.content.decode()


def test_an_expiry_that_frees_a_seat_updates_the_seats_a_visitor_sees(
    client, agenda, settings, django_capture_on_commit_callbacks
):
    """The expiry is a queryset update (no post_save): the expiry itself starts a new page-cache
    generation once it commits, so the cached session page and agenda card show the freed seats."""
    settings.PAGE_CACHE_SECONDS = 300
    session = make_session(agenda, capacity=5)
    for name in ("lina", "noe"):  # awaiting their address's confirmation: each holds a seat
        Registration.objects.create(session=session, name=name, email=f"{name}@example.org", role="habitant")
    for url in (session.url, agenda.url):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert "3 restantes" in client.get(session.url).content.decode()
    assert "3 places restantes" in client.get(agenda.url).content.decode()
    generation = page_cache().generation()
    later = timezone.now() + datetime.timedelta(hours=settings.NETWORK_CONFIRMATION_HOURS, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert registration.expire_unconfirmed(later) == 2
    response = client.get(session.url)
    assert response["X-Page-Cache"] == "miss" and "5 restantes" in response.content.decode()
    assert "5 places restantes" in client.get(agenda.url).content.decode()
    assert page_cache().generation() > generation
