import csv
import io

import pytest
from openpyxl import load_workbook

from moderation.export import neutralise
from moderation.reviews import assign
from tests.moderation.factories import ApplicationFactory, add_attachment
from tests.moderation.spreadsheets import assert_same_table, read_both

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
    # The queue's columns, the average and each criterion's mean, then the answers, then the QPV check's.
    first = max(index for index, heading in enumerate(headings) if heading.startswith("Note ")) + 1
    answers = headings[first : headings.index("QPV")]
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
        assert cell.data_type in ("s", "inlineStr", "n", "d")  # text, number or date, never "f" (formula)
        if cell.data_type in ("s", "inlineStr"):
            assert not str(cell.value or "").startswith(("=", "+", "-", "@"))
    values = [cell.value for cell in rows[1]]
    assert "'@SUM(1+1)" in values and "plan.pdf" in values
    # « -2+3 » is a text answer: it stays text, neutralised, never a number.
    assert "'-2+3" in values


def test_xlsx_cells_are_typed_with_a_frozen_header_and_filters(
    client, call, moderator, reviewer, other_reviewer, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from calls.models import Status
    from moderation.reviews import save_review

    application = ApplicationFactory(page=call, budget="12000", status=Status.EN_INSTRUCTION)
    utility, soundness = call.scoring_criteria.order_by("sort_order")
    for who, scores in ((reviewer, (4, 1)), (other_reviewer, (5, 3))):
        assign(application, who, moderator)
        save_review(
            application,
            who,
            conflict_of_interest=False,
            scores={utility.pk: scores[0], soundness.pk: scores[1]},
            recommendation="oui",
        )
    client.force_login(moderator)
    response = client.get(INDEX, {"export": "xlsx", "call": call.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    headings = [cell.value for cell in sheet[1]]
    row = {heading: cell for heading, cell in zip(headings, sheet[2], strict=True)}
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(headings)).column_letter}2"
    sent = row["Date d'envoi"]
    assert sent.is_date
    assert sent.value == timezone.localtime(application.submit_time).replace(tzinfo=None, microsecond=0)
    # (2×4 + 1×1)/3 = 3.00 and (2×5 + 1×3)/3 = 4.33: mean 3.665 → stored 3.67 (two decimals)
    assert row["Note moyenne"].data_type == "n"
    assert row["Note moyenne"].value == pytest.approx(3.67, abs=0.006)
    assert row["Note « Utilité pour le quartier »"].value == pytest.approx(4.5)
    assert row["Note « Solidité du projet »"].value == 2
    assert row["Budget"].data_type == "n" and row["Budget"].value == 12000
    assert row["Référence"].data_type == "s" and row["Référence"].value == application.reference


def test_the_csv_and_the_xlsx_have_the_same_columns_and_cells(client, call, moderator, reviewer, exported):
    from moderation.reviews import save_review

    application = ApplicationFactory(page=call, budget="12000")
    assign(application, reviewer, moderator)
    scores = {criterion.pk: 4 for criterion in call.scoring_criteria.all()}
    save_review(application, reviewer, conflict_of_interest=False, scores=scores, recommendation="oui")
    client.force_login(moderator)
    typed = assert_same_table(*read_both(client, call=call.pk))
    # Each criterion's mean is in both files (it once was in the XLSX only).
    criteria = {f"Note « {criterion.label} »" for criterion in call.scoring_criteria.all()}
    assert criteria and criteria <= typed and {"Date d'envoi", "Note moyenne", "Budget"} <= typed


def test_csv_is_unchanged_text(client, call, moderator):
    ApplicationFactory(page=call, budget="12000")
    client.force_login(moderator)
    response = client.get(INDEX, {"call": call.pk, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][11] == "Note moyenne" and rows[0][12] == "Nom du commerce"
    assert rows[1][rows[0].index("Budget")] == "12000"


def test_export_is_refused_to_reviewers(client, reviewer, exported):
    client.force_login(reviewer)
    response = client.get(INDEX, {"export": "csv"})
    assert response.status_code in (302, 403)
    assert exported.reference.encode() not in response.content


def test_xlsx_number_answers_are_numbers_that_add_up(client, call, moderator):
    """A « Nombre » answer is stored as sent (« 15000 ») and shown with a no-break space as the
    thousands separator (« 15 000 »): the XLSX cell is the number, never that text."""
    from decimal import Decimal

    from calls.answers import serialise_answer
    from calls.models import Application

    field = call.form_fields.get(label="Budget")
    amounts = (Decimal("15000"), Decimal("2500.50"), Decimal("1234567"))
    for amount in amounts:
        application = ApplicationFactory(page=call)
        value, display = serialise_answer(field, amount)
        assert "\u00a0" in display or "\u202f" in display or amount < 1000
        application.form_data[field.clean_name].update(value=value, display=display)
        Application.objects.filter(pk=application.pk).update(form_data=application.form_data)
    client.force_login(moderator)
    response = client.get(INDEX, {"export": "xlsx", "call": call.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    column = [cell.value for cell in sheet[1]].index("Budget")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "n" for cell in cells)
    assert all(isinstance(cell.value, (int, float)) for cell in cells)
    assert sorted(cell.value for cell in cells) == [2500.5, 15000, 1234567]
    assert sum(cell.value for cell in cells) == pytest.approx(float(sum(amounts)))
