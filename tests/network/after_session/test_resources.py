"""Resources: the team adds a file (the applications' checks, private storage) or a link; a
session's minutes open only to its confirmed registrations and the team, a shared resource to
members and the team; never public (anonymous, non-registered member, left laureate: 404),
always ``private``; the members' page's queries pinned."""

import datetime

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model

from home.log_redaction import redact
from network import registration_links
from network.models import Attendance, Registration, RegistrationStatus, Resource, ResourceAudience
from tests.calls.samples import ordinary_pdf, pdf_with_javascript, upload
from tests.factories import UserFactory
from tests.laureates.factories import make_laureate
from tests.network.factories import make_session

from .data import past_session, register

pytestmark = pytest.mark.django_db
S = RegistrationStatus
LIST = "/espace-candidat/ressources/"


def add_resource(client, **fields):
    data = {"title": "Compte rendu", "description": "", "url": "", "session": "", "audience": "membres", **fields}
    return client.post(reverse("network_resources:add"), data)


@pytest.fixture
def minutes(client, agenda, moderator):
    """A past session, its minutes (a PDF for the registered) and a shared link."""
    session = past_session(agenda)
    client.force_login(moderator)
    response = add_resource(
        client,
        title="Compte rendu de la séance",
        upload=upload("compte-rendu.pdf", ordinary_pdf(), "application/pdf"),
        session=str(session.pk),
        audience="inscrits",
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert add_resource(client, title="Guide partagé", url="https://example.org/guide").status_code == 302
    client.logout()
    return session, Resource.objects.get(title="Compte rendu de la séance")


def test_the_file_is_checked_and_stored_in_the_private_storage(minutes, moderator):
    _session, resource = minutes
    assert resource.file.name.startswith("network/") and resource.original_name == "compte-rendu.pdf"
    assert resource.created_by == moderator and resource.content_type == "application/pdf"
    assert storages["private"].exists(resource.file.name)
    assert not storages["default"].exists(resource.file.name)


def test_bad_input_is_refused_in_french_and_stores_nothing(client, agenda, moderator):
    session = past_session(agenda)
    client.force_login(moderator)
    cases = [
        ({"upload": upload("piege.pdf", pdf_with_javascript(), "application/pdf")}, "piege.pdf"),
        ({"upload": upload("a.pdf", ordinary_pdf(), "application/pdf"), "url": "https://example.org/"}, "pas les deux"),
        ({}, "Choisissez un fichier ou donnez une adresse web."),
        ({"url": "https://example.org/", "audience": "inscrits"}, "doit être liée à une séance"),
        ({"url": "pas une adresse", "session": str(session.pk)}, "Saisissez une URL valide."),
    ]
    for fields, message in cases:
        response = add_resource(client, **fields)
        assert response.status_code == 200
        assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert not Resource.objects.exists()
    private = storages["private"]
    assert not private.exists("network") or private.listdir("network") == ([], [])


def test_the_upload_guard_runs_in_the_admin_form(client, moderator, settings):
    settings.CALLS_MAX_UPLOAD_SIZE = 10_000
    client.force_login(moderator)
    response = add_resource(client, upload=upload("gros.pdf", ordinary_pdf() + b"%" * 20_000, "application/pdf"))
    assert response.status_code == 200
    assert "n'a pas été reçu : il dépasse" in response.content.decode().replace("&#x27;", "'")
    assert not Resource.objects.exists()


def test_the_minutes_open_to_the_registered_and_the_team_only(client, signed_in_client, minutes, team_user, settings):
    session, resource = minutes
    file_url = reverse("network:resource_file", args=[resource.pk])
    registered = make_laureate(business_name="Inscrit", contact_email="inscrit@example.org")
    register(session, registered)
    make_laureate(business_name="Non inscrit", contact_email="membre@example.org")
    left = make_laureate(business_name="Parti", contact_email="parti@example.org")
    register(session, left)
    left.left_at = timezone.now() - datetime.timedelta(days=1)
    left.save()
    cancelled = make_laureate(business_name="Annulé", contact_email="annule@example.org")
    register(session, cancelled, status="annulee")

    assert client.get(file_url).status_code == 404  # an anonymous visitor
    for email in ("membre@example.org", "parti@example.org", "annule@example.org", "inconnu@example.org"):
        assert signed_in_client(email).get(file_url).status_code == 404, email
    response = signed_in_client("inscrit@example.org").get(file_url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="compte-rendu.pdf"' in response["Content-Disposition"]
    client.cookies.clear()
    client.force_login(team_user)
    assert client.get(file_url).status_code == 200
    # Never through Wagtail's public documents, nor under the public media folder.
    assert not get_document_model().objects.exists()
    assert not storages["private"].path(resource.file.name).startswith(settings.MEDIA_ROOT)


def test_a_resident_registered_by_address_opens_the_minutes(signed_in_client, minutes):
    session, resource = minutes
    register(session, name="Samia", email="samia@example.org")
    response = signed_in_client("samia@example.org").get(reverse("network:resource_file", args=[resource.pk]))
    assert response.status_code == 200


def test_the_members_page_lists_what_each_may_open(client, signed_in_client, minutes, django_assert_num_queries):
    session, _resource = minutes
    make_laureate(business_name="Membre", contact_email="membre@example.org")
    response = signed_in_client("membre@example.org").get(LIST)
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "Guide partagé" in html and "https://example.org/guide" in html
    assert "Compte rendu de la séance" not in html
    register(session, make_laureate(business_name="Inscrite", contact_email="inscrite@example.org"))
    visitor = signed_in_client("inscrite@example.org")
    visitor.get(LIST)  # the footer's legal pages, kept per generation once read
    with django_assert_num_queries(QUERIES):
        html = visitor.get(LIST).content.decode()
    assert "Compte rendu de la séance" in html and session.title in html
    for number in range(5):
        Resource.objects.create(title=f"Lien {number}", url="https://example.org/", audience=ResourceAudience.MEMBRES)
    with django_assert_num_queries(QUERIES):
        assert "Lien 4" in visitor.get(LIST).content.decode()


QUERIES = 7  # measured: the same with 2 or 7 resources


def test_the_members_page_is_closed_to_others(client, signed_in_client, minutes):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/espace-candidat/?suite=")
    assert signed_in_client("inconnu@example.org").get(LIST).status_code == 404
    left = make_laureate(business_name="Parti", contact_email="parti@example.org")
    left.left_at = timezone.now()
    left.save()
    assert signed_in_client("parti@example.org").get(LIST).status_code == 404


def test_the_teams_list_links_to_the_file_and_the_address(client, moderator, minutes):
    _session, resource = minutes
    client.force_login(moderator)
    html = client.get(reverse("network_resources:index")).content.decode()
    file_url = reverse("network_resources:file", args=[resource.pk])
    assert f'href="{file_url}"' in html and 'href="https://example.org/guide"' in html
    response = client.get(file_url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_a_reviewer_can_neither_add_nor_download(client, reviewer, minutes):
    _session, resource = minutes
    client.force_login(reviewer)
    assert client.get(reverse("network_resources:index")).status_code in (302, 403)
    assert client.get(reverse("network_resources:file", args=[resource.pk])).status_code == 403
    assert client.get(reverse("network:resource_file", args=[resource.pk])).status_code == 404


def test_deleting_a_resource_deletes_its_file(client, moderator, minutes, django_capture_on_commit_callbacks):
    _session, resource = minutes
    name = resource.file.name
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network_resources:delete", args=[resource.pk]))
    assert response.status_code == 302
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert not storages["private"].exists(name)


def test_a_staff_user_without_the_laureates_permission_is_not_the_team(client, minutes):
    _session, resource = minutes
    client.force_login(UserFactory(username="stagiaire", is_staff=True))
    assert client.get(reverse("network:resource_file", args=[resource.pk])).status_code == 404


# --- A resident's registration link (no account) ------------------------------------------


def link_of(registration):
    """The registration's own page, as its emails give it (a key set as the service does)."""
    registration.token_hash = registration_links.new_key()
    registration.save(update_fields=["token_hash"])
    return reverse("network_registration:manage", args=[registration_links.registration_token(registration)])


def test_a_confirmed_resident_reads_the_minutes_through_their_link(client, minutes):
    session, resource = minutes
    link = link_of(register(session, name="Samia", email="samia@example.org"))
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Comptes rendus et documents de la séance" in html and "Compte rendu de la séance" in html
    file_url = f"{link}documents/{resource.pk}/"
    assert f'href="{file_url}"' in html
    assert "Guide partagé" not in html  # the members' resources stay the members'
    assert "Annuler mon inscription" not in html  # the session has taken place: nothing to cancel
    response = client.get(file_url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert 'filename="compte-rendu.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert redact(file_url) == f"/seances/inscription/[masqué]/documents/{resource.pk}/"


def test_a_resident_marked_present_reads_them_and_a_link_resource_is_a_link(client, minutes):
    session, _resource = minutes
    Resource.objects.create(
        title="Photos de la séance", url="https://example.org/photos", session=session, audience="inscrits"
    )
    samia = register(session, name="Samia", email="samia@example.org")
    Registration.objects.filter(pk=samia.pk).update(attendance=Attendance.PRESENT)
    html = client.get(link_of(samia)).content.decode()
    assert 'href="https://example.org/photos" rel="noopener noreferrer">Photos de la séance</a>' in html
    assert "Compte rendu de la séance" in html


def test_the_link_opens_nothing_else(client, minutes):
    session, resource = minutes
    other = past_session(session.get_parent().specific, days=5)
    elsewhere = Resource.objects.create(
        title="Autre séance", url="https://example.org/a", session=other, audience="inscrits"
    )
    members = Resource.objects.create(
        title="Pour les membres",
        file=resource.file.name,
        original_name="membres.pdf",
        content_type="application/pdf",
        session=session,
        audience="membres",
    )
    confirmed = link_of(register(session, name="Samia", email="samia@example.org"))
    html = client.get(confirmed).content.decode()
    assert "Autre séance" not in html and "Pour les membres" not in html
    assert client.get(f"{confirmed}documents/{members.pk}/").status_code == 404
    assert client.get(f"{confirmed}documents/{elsewhere.pk}/").status_code == 404
    assert client.get(f"{confirmed}documents/999999/").status_code == 404
    for status in (S.LISTE_ATTENTE, S.ANNULEE, S.EN_ATTENTE_CONFIRMATION, S.SEANCE_ANNULEE, S.EXPIREE):
        link = link_of(register(session, name=status, email=f"{status}@example.org", status=status))
        page = client.get(link).content.decode()
        assert "Compte rendu de la séance" not in page and "documents/" not in page, status
        assert client.get(f"{link}documents/{resource.pk}/").status_code == 404, status
    forged = confirmed.replace(confirmed.split("/")[3][-4:], "abcd")
    assert client.get(forged).status_code == 400
    refused = client.get(f"{forged}documents/{resource.pk}/")
    assert refused.status_code == 400 and "ne fonctionne pas" in refused.content.decode()
    assert "no-store" in refused["Cache-Control"] and "%PDF" not in refused.content.decode()


def test_before_the_session_the_link_lists_no_documents(client, agenda):
    session = make_session(agenda)
    Resource.objects.create(title="Ordre du jour", url="https://example.org/o", session=session, audience="inscrits")
    link = link_of(register(session, name="Samia", email="samia@example.org"))
    html = client.get(link).content.decode()
    assert "Ordre du jour" not in html
    assert "Annuler mon inscription" in html  # still possible before the session
    resource = Resource.objects.get()
    assert client.get(f"{link}documents/{resource.pk}/").status_code == 404


def test_the_residents_page_costs_the_same_queries_with_documents(client, minutes, django_assert_num_queries):
    session, _resource = minutes
    link = link_of(register(session, name="Samia", email="samia@example.org"))
    for _warm in range(2):  # the menu and the footer's legal pages, kept per generation once read
        client.get(link)
    with django_assert_num_queries(RESIDENT_QUERIES):
        assert "Compte rendu de la séance" in client.get(link).content.decode()
    for number in range(4):
        Resource.objects.create(
            title=f"Lien {number}", url="https://example.org/", session=session, audience="inscrits"
        )
    with django_assert_num_queries(RESIDENT_QUERIES):
        assert "Lien 3" in client.get(link).content.decode()


# The registration with its session, the session, the feed, the resources (one query whatever
# their number), the site.
RESIDENT_QUERIES = 5
