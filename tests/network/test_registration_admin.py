"""The team's side of registration: the capacity rule in the session's editor, the page
« Inscriptions et invitation » and its new invitation link."""

import pytest
from django.contrib.auth.models import Permission

from network import registration, registration_links
from network.models import Audience, SessionPage
from tests.factories import UserFactory
from tests.laureates.factories import make_laureate

from .factories import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def edit_data(session, **changes):
    data = {
        "title": session.title,
        "slug": session.slug,
        "kind": session.kind_id,
        "starts_at": session.starts_at.strftime("%Y-%m-%d %H:%M"),
        "ends_at": session.ends_at.strftime("%Y-%m-%d %H:%M"),
        "mode": "en_ligne",
        "meeting_url": "https://visio.example.org/salle",
        "audience": session.audience,
        "capacity": session.capacity,
        "summary": session.summary,
        "body-count": "0",
        "action-publish": "action-publish",
    }
    return {**data, **changes}


def test_the_capacity_cannot_be_lowered_below_the_confirmed_count(agenda, admin_client):
    session = make_session(agenda, capacity=5)
    for n in range(3):
        registration.register_laureate(session, make_laureate(contact_email=f"l{n}@example.org"))
    response = admin_client.post(f"/admin/pages/{session.pk}/edit/", edit_data(session, capacity=2))
    assert response.status_code == 200
    assert "3 inscriptions sont déjà confirmées" in response.content.decode()
    assert SessionPage.objects.get(pk=session.pk).capacity == 5


def test_the_invitation_page_shows_the_link_and_a_new_one_ends_it(agenda, admin_client, client):
    session = make_session(agenda, audience=Audience.LAUREATS_PARTENAIRES)
    old = registration_links.invitation_url(session)
    page = admin_client.get(f"/admin/reseau/seances/{session.pk}/inscriptions/")
    assert page.status_code == 200 and old in page.content.decode()
    admin_client.post(f"/admin/reseau/seances/{session.pk}/inscriptions/")
    session.refresh_from_db()
    assert registration_links.invitation_url(session) != old
    assert client.get(old.removeprefix("http://testserver")).status_code == 404


def test_someone_who_may_not_edit_the_session_is_sent_back(agenda, client):
    session = make_session(agenda)
    reviewer = UserFactory(username="relecteur", is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reviewer)
    # Wagtail's admin answers a PermissionDenied with its home page and a message.
    url = f"/admin/reseau/seances/{session.pk}/inscriptions/"
    assert client.get(url)["Location"] == "/admin/"
    key = session.invitation_key
    client.post(url)
    session.refresh_from_db()
    assert session.invitation_key == key
