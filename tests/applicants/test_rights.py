"""The applicant's rights from the space: erasure (at once with no decision pending, else a
request the team carries out within a month) and the correction request."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone

from applicants.models import ApplicantAccount
from calls.models import Application, Draft, Status
from moderation import rgpd, rights
from moderation.models import ErasureRequest, HistoryEntry
from moderation.tasks import send_erasure_done_email
from moderation.workflow import stage_decision, transition
from tests.laureates.factories import make_laureate
from tests.moderation.factories import add_attachment

pytestmark = pytest.mark.django_db


def confirmed_draft(page, email="awa@example.org"):
    return Draft.objects.create(page=page, email=email, email_confirmed_at=timezone.now())


def settle(application, user, status=Status.NON_RETENUE):
    transition(application, Status.EN_INSTRUCTION, user)
    transition(application, status, user)


def test_with_no_decision_pending_the_space_erases_at_once(
    client, sign_in, awa_application, other_application, closed_call, admin_user, django_capture_on_commit_callbacks
):
    settle(awa_application, admin_user, Status.RETIREE)
    add_attachment(awa_application, display_name="plan.pdf")
    draft = confirmed_draft(closed_call)
    sign_in()
    page = client.get("/espace-candidat/effacer-mes-donnees/")
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert awa_application.reference in html and "Effacer définitivement mes données" in html
    assert Application.objects.get(pk=awa_application.pk).applicant_email  # a GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/espace-candidat/effacer-mes-donnees/")
    assert response.status_code == 303 and response["Location"] == "/espace-candidat/"
    erased = Application.objects.get(pk=awa_application.pk)
    assert erased.applicant_email == "" and erased.form_data == {} and not erased.attachments.exists()
    entry = HistoryEntry.objects.get(application=awa_application, kind=HistoryEntry.Kind.ERASURE)
    assert "espace" in entry.comment and entry.user is None
    assert not Draft.objects.filter(pk=draft.pk).exists()
    assert not ApplicantAccount.objects.filter(email="awa@example.org").exists()
    assert Application.objects.get(pk=other_application.pk).applicant_email == "bilal@example.org"
    assert not ErasureRequest.objects.exists()
    # Signed out: the space asks for a sign-in link again, and says it is done.
    follow = client.get("/espace-candidat/").content.decode()
    assert "Vos données sont effacées" in follow and 'name="email"' in follow
    # A second POST (a double click, signed out by the first) erases nothing twice.
    client.post("/espace-candidat/effacer-mes-donnees/")
    assert HistoryEntry.objects.filter(application=awa_application, kind=HistoryEntry.Kind.ERASURE).count() == 1


def test_erasing_twice_at_once_records_one_erasure(awa_application, admin_user):
    settle(awa_application, admin_user)
    assert rgpd.erase_applicant("awa@example.org")[0] == [awa_application.reference]
    assert rgpd.erase_applicant("awa@example.org") == ([], 0)
    assert HistoryEntry.objects.filter(application=awa_application, kind=HistoryEntry.Kind.ERASURE).count() == 1


@pytest.mark.parametrize("case", ["under_review", "staged", "laureate"])
def test_a_pending_decision_makes_a_request_for_the_team(
    case, client, sign_in, awa_application, admin_user, django_capture_on_commit_callbacks
):
    if case == "staged":
        transition(awa_application, Status.EN_INSTRUCTION, admin_user)
        transition(awa_application, Status.PRESELECTIONNEE, admin_user)
        stage_decision(awa_application, Status.LAUREATE, admin_user)
    elif case == "laureate":
        settle(awa_application, admin_user, Status.RETIREE)
        make_laureate(contact_email="awa@example.org")
    sign_in()
    html = client.get("/espace-candidat/effacer-mes-donnees/").content.decode()
    assert "Demander l'effacement de mes données" in html
    client.post("/espace-candidat/effacer-mes-donnees/")
    client.post("/espace-candidat/effacer-mes-donnees/")  # a double click: one request
    request = ErasureRequest.objects.get()
    assert request.email == "awa@example.org" and request.done_at is None
    assert Application.objects.get(pk=awa_application.pk).applicant_email  # nothing erased yet
    html = client.get("/espace-candidat/effacer-mes-donnees/").content.decode()
    deadline = rights.deadline(request)
    assert "est enregistrée" in html and deadline.strftime("%Y") in html
    assert deadline.month == (request.requested_at.month % 12) + 1


def test_an_open_request_is_unique_per_address(awa_application):
    first, created = rights.request_erasure("Awa@Example.org")
    second, created_again = rights.request_erasure("awa@example.org")
    assert created and not created_again and first.pk == second.pk


def test_the_team_carries_it_out_once_and_the_applicant_is_told_once(
    client, awa_application, closed_call, admin_user, django_capture_on_commit_callbacks
):
    transition(awa_application, Status.EN_INSTRUCTION, admin_user)
    confirmed_draft(closed_call)
    request, _created = rights.request_erasure("awa@example.org")
    client.force_login(admin_user)
    home = client.get("/admin/").content.decode()
    assert "Demandes d'effacement des candidats" in home and "awa@example.org" in home
    page = client.get(f"/admin/moderation/erasure-request/{request.pk}/").content.decode()
    assert awa_application.reference in page and "1 brouillon sera supprimé" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/moderation/erasure-request/{request.pk}/")
    assert response.status_code == 302
    application = Application.objects.get(pk=awa_application.pk)
    assert application.status == Status.RETIREE and application.applicant_email == ""
    assert HistoryEntry.objects.filter(application=application, kind=HistoryEntry.Kind.ERASURE).count() == 1
    assert not Draft.objects.exists()
    request.refresh_from_db()
    assert request.done_at and request.done_by == admin_user and request.references == awa_application.reference
    assert request.notified_at and request.email == ""  # told, then the address is forgotten
    told = [message for message in mail.outbox if message.subject == "Vos données sont effacées"]
    assert len(told) == 1 and told[0].to == ["awa@example.org"]
    # The second click and a retried task do nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/moderation/erasure-request/{request.pk}/")
    assert send_erasure_done_email.call(request.pk) == "already sent"
    assert len([m for m in mail.outbox if m.subject == "Vos données sont effacées"]) == 1
    assert "Demandes d'effacement des candidats" not in client.get("/admin/").content.decode()


def test_the_dashboard_shows_overdue_requests_first(client, admin_user):
    now = timezone.now()
    late = ErasureRequest.objects.create(email="late@example.org", requested_at=now - datetime.timedelta(days=40))
    ErasureRequest.objects.create(email="new@example.org", requested_at=now)
    assert rights.open_requests()[0].pk == late.pk
    assert rights.open_requests()[0].overdue and not rights.open_requests()[1].overdue
    client.force_login(admin_user)
    home = client.get("/admin/").content.decode()
    assert home.index("late@example.org") < home.index("new@example.org") and "En retard" in home


def test_a_moderator_without_the_erasure_right_cannot_carry_it_out(client, django_user_model):
    request, _created = rights.request_erasure("awa@example.org")
    user = django_user_model.objects.create_user("lecteur", "lecteur@example.org", "x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.post(f"/admin/moderation/erasure-request/{request.pk}/").status_code in (302, 403)
    request.refresh_from_db()
    assert request.done_at is None


def test_a_correction_request_is_recorded_once_and_sent_to_the_team(
    client, sign_in, awa_application, django_capture_on_commit_callbacks
):
    sign_in()
    url = f"/espace-candidat/candidatures/{awa_application.pk}/corriger/"
    assert (
        "Demander une correction" in client.get(f"/espace-candidat/candidatures/{awa_application.pk}/").content.decode()
    )
    empty = client.post(url, {"text": "   "})
    assert empty.status_code == 400
    assert "Écrivez ce qui est inexact et la correction que vous demandez." in empty.content.decode()
    assert not HistoryEntry.objects.filter(kind=HistoryEntry.Kind.CORRECTION_REQUEST).exists()
    mail.outbox.clear()
    for _click in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"text": "Le commerce s'appelle Café des Lilas, pas Café des Lys."})
        assert response.status_code == 303
    entry = HistoryEntry.objects.get(application=awa_application, kind=HistoryEntry.Kind.CORRECTION_REQUEST)
    assert "Café des Lilas" in entry.comment
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["equipe@quartierscafes.org"]
    assert "Café des Lilas" in mail.outbox[0].body and awa_application.reference in mail.outbox[0].subject
    assert "Café des Lilas" in client.get(url).content.decode()
    # The erasure clears it with the applicant's other texts.
    rgpd.erase(awa_application)
    assert HistoryEntry.objects.get(pk=entry.pk).comment == ""


def test_another_applicants_application_is_404(client, sign_in, awa_application, other_application):
    sign_in()
    url = f"/espace-candidat/candidatures/{other_application.pk}/corriger/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Changer le nom"}).status_code == 404
    assert not HistoryEntry.objects.filter(kind=HistoryEntry.Kind.CORRECTION_REQUEST).exists()


def test_signed_out_the_erasure_page_asks_to_sign_in(client, awa_application):
    response = client.post("/espace-candidat/effacer-mes-donnees/")
    assert response.status_code == 302 and response["Location"].startswith("/espace-candidat/")
    assert Application.objects.get(pk=awa_application.pk).applicant_email
