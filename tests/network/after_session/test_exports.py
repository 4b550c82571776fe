"""Exports of registrations and attendance, per session and for all: the CSV and the XLSX
from one row builder (same columns, typed cells); residents' names and addresses only with
the right; never cached."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from network.attendance import mark_attendance
from tests.moderation.factories import user_in

from .data import past_session, register, registered_people

pytestmark = pytest.mark.django_db


def read_both(client, csv_url, xlsx_url):
    response = client.get(csv_url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    csv_rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    workbook = load_workbook(io.BytesIO(client.get(xlsx_url).content))
    return csv_rows, list(workbook["Inscriptions"].iter_rows(values_only=True))


@pytest.fixture
def marked(agenda, moderator):
    session = past_session(agenda, title="Rencontre de printemps")
    rows = registered_people(session, count=2)
    mark_attendance(session, moderator, {rows[0].pk: ("inconnue", "present"), rows[2].pk: ("inconnue", "excuse")})
    other = past_session(agenda, days=10, title="Atelier d'hiver")
    registered_people(other, count=1)
    return session


def test_one_session_csv_and_xlsx_have_the_same_typed_cells(client, moderator, marked):
    client.force_login(moderator)
    csv_rows, xlsx_rows = read_both(
        client,
        reverse("network_attendance:export_csv", args=[marked.pk]),
        reverse("network_attendance:export_xlsx", args=[marked.pk]),
    )
    assert list(xlsx_rows[0]) == csv_rows[0]
    assert csv_rows[0][:3] == ["Séance", "Type de séance", "Début"]
    assert len(csv_rows) == len(xlsx_rows) == 1 + 4  # three confirmed, one cancelled
    assert {row[0] for row in csv_rows[1:]} == {"Rencontre de printemps"}
    by_name = {row[8]: row for row in csv_rows[1:]}
    assert by_name["Samia Habitante"][13] == "Excusé" and by_name["Samia Habitante"][9] == "samia@example.org"
    assert by_name["Parti Avant"][10] == "Annulée"
    cafe = next(row for row in csv_rows[1:] if row[7] == "Café 1")
    assert cafe[13] == "Présent" and cafe[15] == "Mona Dupont"
    typed = xlsx_rows[1]
    assert isinstance(typed[2], datetime.datetime) and isinstance(typed[3], datetime.datetime)
    for xlsx_row, csv_row in zip(xlsx_rows[1:], csv_rows[1:], strict=True):
        for value, text in zip(xlsx_row, csv_row, strict=True):
            if isinstance(value, datetime.datetime):
                assert value.strftime("%Y-%m-%d %H:%M") == text
            else:
                assert (value or "") == text


def test_every_session_in_one_file(client, moderator, marked):
    client.force_login(moderator)
    csv_rows, xlsx_rows = read_both(
        client, reverse("network_attendance:export_all_csv"), reverse("network_attendance:export_all_xlsx")
    )
    assert {row[0] for row in csv_rows[1:]} == {"Rencontre de printemps", "Atelier d'hiver"}
    assert len(xlsx_rows) == len(csv_rows) == 1 + 4 + 3


def test_residents_personal_data_only_with_the_right(client, marked):
    reader = user_in("Modérateurs", username="lectrice", first_name="Lea", last_name="Lit")
    reader.groups.first().permissions.remove(Permission.objects.get(codename="export_registrations"))
    client.force_login(reader)
    text = client.get(reverse("network_attendance:export_csv", args=[marked.pk])).content.decode("utf-8-sig")
    assert "samia@example.org" not in text and "Samia Habitante" not in text and "(masqué)" in text
    assert "Café 1" in text  # the laureates stay, as « Lauréats » shows them
    reader.groups.first().permissions.add(Permission.objects.get(codename="export_registrations"))


def test_formula_like_names_are_neutralised(client, moderator, agenda):

    session = past_session(agenda)
    register(session, name="=HYPERLINK(1)", email="f@example.org")
    client.force_login(moderator)
    text = client.get(reverse("network_attendance:export_csv", args=[session.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
