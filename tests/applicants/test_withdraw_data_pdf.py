"""Withdraw before the decision, download my data (JSON), the PDF of what I sent — each only
for the signed-in applicant's own application."""

import io
import json
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from calls.models import Status
from moderation.models import HistoryEntry
from moderation.workflow import transition
from tests.moderation.factories import add_attachment

pytestmark = pytest.mark.django_db


def test_withdraw_before_the_decision_only(client, sign_in, awa_application, admin_user):
    sign_in()
    url = f"/espace-candidat/candidatures/{awa_application.pk}/retirer/"
    client.post(url)  # not confirmed: nothing happens
    awa_application.refresh_from_db()
    assert awa_application.status == Status.RECUE
    assert client.post(url, {"confirmer": "oui"}).status_code == 303
    awa_application.refresh_from_db()
    assert awa_application.status == Status.RETIREE
    entry = HistoryEntry.objects.get(application=awa_application, to_status=Status.RETIREE)
    assert entry.user is None and "candidat" in entry.comment


def test_a_decided_application_cannot_be_withdrawn(client, sign_in, awa_application, admin_user):
    for status in (Status.EN_INSTRUCTION, Status.NON_RETENUE):
        transition(awa_application, status, admin_user)
    sign_in()
    html = client.get(f"/espace-candidat/candidatures/{awa_application.pk}/").content.decode()
    assert "Retirer ma candidature" not in html
    client.post(f"/espace-candidat/candidatures/{awa_application.pk}/retirer/", {"confirmer": "oui"})
    awa_application.refresh_from_db()
    assert awa_application.status == Status.NON_RETENUE


def test_my_data_as_json(client, sign_in, awa_application):
    sign_in()
    response = client.post(f"/espace-candidat/candidatures/{awa_application.pk}/donnees/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["reference"] == awa_application.reference and data["courriel"] == "Awa@Example.org"
    assert HistoryEntry.objects.filter(application=awa_application, kind=HistoryEntry.Kind.DATA_EXPORT).exists()


def test_the_pdf_of_what_was_sent(client, sign_in, awa_application):
    add_attachment(awa_application, display_name="plan-2030.pdf")
    sign_in()
    response = client.get(f"/espace-candidat/candidatures/{awa_application.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert awa_application.reference in text and "plan-2030.pdf" in text
    labels = [answer["label"] for answer in awa_application.answers()]
    position = text.find("Envoy")
    for label in labels:  # each label after the previous one: the form's order
        found = text.find(label, position + 1)
        assert found > position, label
        position = found


def test_another_applicants_ids_are_404_on_every_action(client, sign_in, awa_application, other_application):
    sign_in()
    base = f"/espace-candidat/candidatures/{other_application.pk}/"
    assert client.get(base + "pdf/").status_code == 404
    assert client.post(base + "donnees/").status_code == 404
    assert client.post(base + "retirer/", {"confirmer": "oui"}).status_code == 404
    other_application.refresh_from_db()
    assert other_application.status == Status.RECUE
    assert not HistoryEntry.objects.filter(application=other_application).exists()


def test_signed_out_every_url_leads_to_sign_in(client, awa_application):
    base = f"/espace-candidat/candidatures/{awa_application.pk}/"
    for method, url in [
        ("get", base),
        ("get", base + "pdf/"),
        ("post", base + "donnees/"),
        ("post", base + "retirer/"),
    ]:
        response = getattr(client, method)(url)
        # A page (GET) comes back after the sign-in; a form (POST) leads to the space.
        expected = f"/espace-candidat/?suite={quote(url, safe='')}" if method == "get" else "/espace-candidat/"
        assert response.status_code == 302 and response["Location"] == expected


def test_csrf_is_enforced(awa_application, sign_in):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/espace-candidat/", {"email": "awa@example.org"})
    assert response.status_code == 403
