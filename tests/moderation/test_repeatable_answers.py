"""Repeatable sections (« Partenaires », « Achats prévus ») once stored: the team's inspect
view and workspace show them as tables with their totals, the exports flatten them (CSV) or
give them their own sheet (XLSX), the PDF and the RGPD export include them, the queue's
search leaves them out."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from calls.models import Application
from calls.pdf import application_pdf
from moderation.reviews import assign
from moderation.rgpd import applicant_data
from moderation.search import search_text
from tests.calls.factories import CallIndexPageFactory, make_call
from tests.calls.test_repeatable import GROUP_FIELDS, post
from tests.moderation.spreadsheets import assert_same_table, read_both

pytestmark = pytest.mark.django_db

INDEX = "/admin/moderation/"


@pytest.fixture
def group_call(home_page):
    return make_call(
        CallIndexPageFactory(parent=home_page), fields=GROUP_FIELDS, slug="appel-groupes", form_in_steps=False
    )


@pytest.fixture
def applications(client, group_call):
    post(
        client,
        group_call,
        partners=[{"nom": "Asso Zéphyr", "role": "Prêt"}, {"nom": "=HYPERLINK(1)"}],
        purchases=[{"objet": "Percolateur", "montant": "1 200,50"}, {"objet": "Tables", "montant": "800"}],
    )
    post(client, group_call, partners=[], purchases=[{"objet": "Four", "montant": "300"}])
    return list(Application.objects.order_by("submit_time"))


def test_inspect_view_shows_each_group_as_a_table_with_its_total(client, moderator, applications):
    client.force_login(moderator)
    html = client.get(reverse("moderation:application", args=[applications[0].pk])).content.decode()
    assert "<caption>Achats prévus</caption>" in html
    assert '<th scope="col">Objet</th><th scope="col">Montant</th>' in html
    assert '<th scope="row">1</th><td><bdi>Percolateur</bdi></td><td><bdi>1\u00a0200,50</bdi></td>' in html
    assert '<tfoot><tr><th scope="row">Total</th><td></td><td>2\u00a0000,50</td></tr></tfoot>' in html
    assert "Asso Zéphyr" in html
    empty = client.get(reverse("moderation:application", args=[applications[1].pk])).content.decode()
    assert "Aucune entrée." in empty


def test_the_reviewers_workspace_shows_the_tables(client, moderator, reviewer, applications):
    assign(applications[0], reviewer, moderator)
    client.force_login(reviewer)
    html = client.get(reverse("moderation:review", args=[applications[0].pk])).content.decode()
    assert "<caption>Partenaires</caption>" in html and "Asso Zéphyr" in html and "2\u00a0000,50" in html


def test_csv_flattens_each_group_up_to_the_largest_count(client, moderator, applications, group_call):
    client.force_login(moderator)
    response = client.get(INDEX, {"call": group_call.pk, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    headings = rows[0]
    for heading in ("Partenaires 1 – Nom", "Partenaires 1 – Rôle", "Partenaires 2 – Nom", "Achats prévus 2 – Montant"):
        assert heading in headings
    assert "Partenaires 3 – Nom" not in headings and "Rôle" not in headings  # no column per inner field
    assert "Achats prévus – total « Montant »" in headings
    by_reference = {row[0]: dict(zip(headings, row, strict=True)) for row in rows[1:]}
    first = by_reference[applications[0].reference]
    assert first["Partenaires 1 – Nom"] == "Asso Zéphyr" and first["Partenaires 2 – Nom"] == "'=HYPERLINK(1)"
    assert first["Achats prévus 1 – Montant"] == "1\u00a0200,50"
    assert first["Achats prévus – total « Montant »"] == "2\u00a0000,50"
    second = by_reference[applications[1].reference]
    assert second["Partenaires 1 – Nom"] == "" and second["Achats prévus 1 – Objet"] == "Four"


def test_xlsx_has_one_sheet_per_group_one_row_per_entry(client, moderator, applications, group_call):
    client.force_login(moderator)
    response = client.get(INDEX, {"call": group_call.pk, "export": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Candidatures", "Partenaires", "Achats prévus"]
    main = list(workbook["Candidatures"].iter_rows(values_only=True))
    column = main[0].index("Achats prévus (nombre d'entrées)")
    counts = {row[0]: row[column] for row in main[1:]}
    assert counts == {applications[0].reference: 2, applications[1].reference: 1}
    purchases = list(workbook["Achats prévus"].iter_rows(values_only=True))
    assert purchases[0] == ("Référence", "N° d'entrée", "Objet", "Montant")
    assert sorted(purchases[1:]) == sorted(
        [
            (applications[0].reference, 1, "Percolateur", 1200.5),
            (applications[0].reference, 2, "Tables", 800),
            (applications[1].reference, 1, "Four", 300),
        ]
    )
    partners = list(workbook["Partenaires"].iter_rows(values_only=True))
    assert partners[1:] == [
        (applications[0].reference, 1, "Asso Zéphyr", "Prêt"),
        (applications[0].reference, 2, "'=HYPERLINK(1)", None),
    ]
    cell = workbook["Partenaires"]["C3"]
    assert cell.data_type == "s"  # text, never a formula


def test_the_csv_and_the_xlsx_have_the_same_columns_and_cells(client, moderator, applications, group_call):
    client.force_login(moderator)
    typed = assert_same_table(*read_both(client, call=group_call.pk))
    # The XLSX's entries and totals are numbers where the CSV shows « 1 200,50 ».
    numbers = {"Achats prévus (nombre d'entrées)", "Achats prévus 1 – Montant", "Achats prévus – total « Montant »"}
    assert numbers <= typed


def test_the_pdf_has_the_entries_and_the_total(applications):
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(application_pdf(applications[0]))).pages)
    assert "Asso Zéphyr" in text and "Percolateur" in text and "Tables" in text
    assert "Total" in text and "2 000,50" in text.replace("\u00a0", " ")
    assert text.find("Percolateur") < text.find("Tables") < text.find("J'accepte")


def test_the_rgpd_export_includes_the_entries(applications, moderator):
    data = applicant_data(applications[0], moderator)
    group = next(answer for answer in data["reponses"] if answer["question"] == "Achats prévus")
    assert group["entrees"] == [
        {"Objet": "Percolateur", "Montant": "1\u00a0200,50"},
        {"Objet": "Tables", "Montant": "800"},
    ]


def test_the_queue_search_leaves_the_entries_out(applications):
    text = search_text(applications[0])
    assert "zephyr" not in text and "percolateur" not in text
    assert "le petit zinc" in text


def test_totals_apply_to_every_numeric_type(applications):
    from calls import repeatable

    answer = applications[0].form_data["achats_prevus"]
    assert repeatable.totals(answer["fields"], answer["value"])[0]["value"] == str(Decimal("2000.50"))
    # « Montant en euros » is numeric (its entry in calls.field_types); a text is not.
    fields = [{"key": "prix", "label": "Prix", "type": "amount"}]
    assert repeatable.totals(fields, [{"prix": "3"}, {"prix": "4.5"}])[0]["value"] == "7.5"
    assert repeatable.totals([{"key": "nom", "label": "Nom", "type": "singleline"}], [{"nom": "3"}]) == []
