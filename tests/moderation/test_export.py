import csv
import io

import pytest
from openpyxl import load_workbook

from moderation.export import neutralise
from moderation.reviews import assign
from tests.moderation.factories import ApplicationFactory, add_attachment

pytestmark = pytest.mark.django_db

INDEX = "/admin/moderation/"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Café = bien", "Café = bien"),
        ("", ""),
        (None, ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


@pytest.fixture
def exported(call, other_call, moderator, reviewer):
    hostile = ApplicationFactory(
        page=call,
        applicant_name='=HYPERLINK("http://evil.example","clic")',
        business_name="@SUM(1+1)",
        description="-2+3",
        files=["plan.pdf"],
    )
    add_attachment(hostile, display_name="plan.pdf")
    assign(hostile, reviewer, moderator)
    ApplicationFactory(page=call, applicant_name="Awa Diallo")
    ApplicationFactory(page=other_call, applicant_name="Autre appel")
    ApplicationFactory(page=call, applicant_name="Indésirable", is_spam=True)
    return hostile


def test_csv_export_of_the_filtered_list(client, call, moderator, exported):
    client.force_login(moderator)
    response = client.get(INDEX, {"call": call.pk, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="candidatures-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    headings = rows[0]
    answers = headings[12 : headings.index("QPV")]  # then the QPV check's columns
    assert answers == [
        "Nom du commerce",
        "Nom et prénom",
        "Courriel",
        "Commune",
        "Quartier",
        "Région",
        "Type de commerce",
        "Description du projet",
        "Budget",
        "Business plan",
    ]
    body = {row[4]: row for row in rows[1:]}
    assert set(body) == {'\'=HYPERLINK("http://evil.example","clic")', "Awa Diallo"}  # filtered, no spam
    row = body['\'=HYPERLINK("http://evil.example","clic")']
    assert row[6] == "'@SUM(1+1)"
    assert row[headings.index("Description du projet")] == "'-2+3"
    assert row[headings.index("Business plan")] == "plan.pdf"
    assert row[headings.index("Évaluateurs")] == "Rémi Martin"


def test_xlsx_export_stores_formula_like_cells_as_text(client, moderator, exported):
    client.force_login(moderator)
    response = client.get(INDEX, {"export": "xlsx", "q": "evil"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=False))
    assert len(rows) == 2  # the heading and the one application found
    for cell in rows[1]:
        assert cell.data_type in ("s", "inlineStr")  # text, never "f" (formula)
        assert not str(cell.value or "").startswith(("=", "+", "-", "@"))
    values = [cell.value for cell in rows[1]]
    assert "'@SUM(1+1)" in values and "plan.pdf" in values


def test_export_is_refused_to_reviewers(client, reviewer, exported):
    client.force_login(reviewer)
    response = client.get(INDEX, {"export": "csv"})
    assert response.status_code in (302, 403)
    assert exported.reference.encode() not in response.content
