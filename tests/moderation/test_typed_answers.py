"""Typed answers after submission: the exports (XLSX cell types read back, CSV), the inspect
view and the PDF; a call whose form changed after applications arrived (a removed field, a
field whose type changed) never breaks them; the call editor warns before such a change."""

import csv
import html
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from calls.models import Application, CallFormField
from calls.pdf import application_pdf
from moderation.export import table, typed_table, write_csv, write_xlsx
from tests.calls.factories import make_call
from tests.moderation.spreadsheets import assert_same_table

pytestmark = pytest.mark.django_db

FIELDS = [
    {"label": "Courriel", "field_type": "email", "purpose": "email"},
    {"label": "Forme juridique", "field_type": "legal_form"},
    {"label": "Numéro RNA", "field_type": "rna", "required": False},
    {"label": "Aide demandée", "field_type": "amount"},
    {"label": "Téléphone", "field_type": "tel"},
    {"label": "IBAN", "field_type": "iban"},
    {"label": "Période", "field_type": "date_range"},
    {"label": "Local trouvé", "field_type": "yes_no"},
    {"label": "Consentement", "field_type": "consent", "description": "Données conservées deux ans."},
]

ANSWERS = {
    "courriel": "awa@example.org",
    "forme_juridique": "association",
    "numero_rna": "W751234567",
    "aide_demandee": "12 000,50",
    "telephone": "06 12 34 56 78",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "periode_0": "2027-03-01",
    "periode_1": "2027-06-30",
    "local_trouve": "non",
    "consentement": "on",
}


def submit(call, reference, data):
    form = call.get_form_class()(data)
    assert form.is_valid(), form.errors
    answers, _files = form.answers()
    return Application.objects.create(page=call, reference=reference, form_data=answers)


@pytest.fixture
def typed_call(call_index):
    return make_call(call_index, fields=FIELDS, title="Appel typé", slug="appel-type")


@pytest.fixture
def applications(typed_call):
    new = submit(typed_call, "QC-2099-0101", ANSWERS)
    # Sent before the form changed: « Aide demandée » was a free text, « Période » too, and
    # « Ancienne question » has been removed since.
    old = Application.objects.create(
        page=typed_call,
        reference="QC-2099-0100",
        form_data={
            "courriel": {
                "label": "Courriel",
                "type": "email",
                "position": 0,
                "value": "b@example.org",
                "display": "b@example.org",
            },
            "aide_demandee": {
                "label": "Aide souhaitée",
                "type": "singleline",
                "position": 1,
                "value": "=environ 12 000",
                "display": "=environ 12 000",
            },
            "periode": {
                "label": "Période",
                "type": "singleline",
                "position": 2,
                "value": "été 2027",
                "display": "été 2027",
            },
            "ancienne_question": {
                "label": "Ancienne question",
                "type": "multiline",
                "position": 3,
                "value": "Une réponse d'avant",
                "display": "Une réponse d'avant",
            },
        },
    )
    return new, old


def test_xlsx_cells_are_typed_from_each_answer(applications):
    new, old = applications
    headings, rows = typed_table(Application.objects.order_by("reference"))
    sheet = load_workbook(io.BytesIO(write_xlsx(headings, rows))).active
    titles = [cell.value for cell in sheet[1]]
    by_ref = {}
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(titles, row, strict=True))
        by_ref[cells["Référence"].value] = cells
    cells = by_ref[new.reference]
    amount = cells["Aide demandée"]
    assert amount.data_type == "n" and amount.value == 12000.5 and "€" in amount.number_format
    start, end = cells["Période (début)"], cells["Période (fin)"]
    assert start.is_date and start.value.date().isoformat() == "2027-03-01"
    assert end.is_date and end.value.date().isoformat() == "2027-06-30"
    assert cells["Local trouvé"].value == "Non"
    assert cells["Forme juridique"].value == "Association"
    assert cells["Téléphone"].value == "06 12 34 56 78"
    assert cells["IBAN"].value == "FR76 3000 6000 0112 3456 7890 189"
    # The old answers stay text, as sent; the removed field keeps its column and label.
    old_cells = by_ref[old.reference]
    assert old_cells["Aide demandée"].data_type == "s" and old_cells["Aide demandée"].value == "'=environ 12 000"
    assert old_cells["Période (début)"].value == "été 2027" and old_cells["Période (fin)"].value is None
    assert old_cells["Ancienne question"].value == "Une réponse d'avant"


def test_csv_has_the_period_in_two_columns_and_stays_safe(applications):
    new, old = applications
    headings, rows = table(Application.objects.order_by("reference"))
    content = write_csv(headings, rows).decode("utf-8").lstrip("\ufeff")
    reader = list(csv.reader(io.StringIO(content), delimiter=";"))
    titles = reader[0]
    by_ref = {row[0]: dict(zip(titles, row, strict=True)) for row in reader[1:]}
    assert by_ref[new.reference]["Période (début)"] == "01/03/2027"
    assert by_ref[new.reference]["Période (fin)"] == "30/06/2027"
    assert by_ref[new.reference]["Aide demandée"] == "12\u00a0000,50\u00a0€"
    assert by_ref[new.reference]["Local trouvé"] == "Non"
    assert by_ref[old.reference]["Aide demandée"] == "'=environ 12 000"  # formula injection neutralised
    assert by_ref[old.reference]["Ancienne question"] == "Une réponse d'avant"


def test_inspect_and_pdf_show_old_answers_under_their_label(client, applications, moderator):
    new, old = applications
    client.force_login(moderator)
    page = client.get(reverse("moderation:application", args=[old.pk])).content.decode()
    assert "Aide souhaitée" in page and "=environ 12 000" in page
    assert "Ancienne question" in page and "Une réponse d&#x27;avant" in page
    page = client.get(reverse("moderation:application", args=[new.pk])).content.decode()
    assert "12\u00a0000,50\u00a0€" in page and "du 01/03/2027 au 30/06/2027" in page and "Association" in page
    for application, expected in ((old, "Ancienne question"), (new, "12 000,50 EUR")):
        text = PdfReader(io.BytesIO(application_pdf(application))).pages[0].extract_text().replace("\u00a0", " ")
        assert expected in text


# --- the call editor ---------------------------------------------------------------------------


def editor_post(call, fields):
    return nested_form_data(
        {
            "title": call.title,
            "slug": call.slug,
            "summary": call.summary,
            "opens_at": call.opens_at.strftime("%Y-%m-%d %H:%M"),
            "closes_at": call.closes_at.strftime("%Y-%m-%d %H:%M"),
            "body": streamfield([]),
            "thank_you_text": rich_text(""),
            "confirmation_subject": call.confirmation_subject,
            "confirmation_body": call.confirmation_body,
            "form_fields": inline_formset(fields, initial=len(fields)),
            "scoring_criteria": inline_formset([]),
            "region_targets": inline_formset([]),
            "decision_emails": inline_formset([]),
        }
    )


def field_rows(call, **changes):
    rows = []
    for field in CallFormField.objects.filter(page=call).order_by("sort_order"):
        row = {
            "id": field.pk,
            "label": field.label,
            "field_type": field.field_type,
            "required": "on" if field.required else "",
            "purpose": field.purpose,
            "help_text": "",
            "choices": field.choices,
            "default_value": "",
            "description": field.description,
            "max_size_mb": field.max_size_mb,
        }
        row.update(changes.get(field.clean_name, {}))
        rows.append(row)
    return rows


def test_the_editor_shows_how_many_answers_a_field_has(client, typed_call, applications, admin_user):
    client.force_login(admin_user)
    page = client.get(f"/admin/pages/{typed_call.pk}/edit/").content.decode()
    assert "Ce champ a déjà 2 réponses : changer son type ou ses choix" in page  # courriel, aide_demandee
    assert "Ce champ a déjà 1 réponse : changer son type" in page  # forme juridique, answered once
    assert "calls/field-options.js" in page and "data-qc-field-options" in page


def test_changing_the_type_of_a_field_with_answers_warns_after_saving(client, typed_call, applications, admin_user):
    client.force_login(admin_user)
    data = editor_post(typed_call, field_rows(typed_call, aide_demandee={"field_type": "singleline"}))
    response = client.post(f"/admin/pages/{typed_call.pk}/edit/", data, follow=True)
    assert response.status_code == 200
    messages = [html.unescape(str(message)) for message in response.context["messages"]]
    assert response.redirect_chain, response.content.decode()[:200]
    assert any("Le type du champ « Aide demandée » a changé alors qu'il a déjà 2 réponses" in m for m in messages), (
        messages
    )
    assert not any("Courriel" in m for m in messages), messages  # unchanged fields: no warning


def test_saving_without_changing_types_warns_nothing(client, typed_call, applications, admin_user):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/pages/{typed_call.pk}/edit/", editor_post(typed_call, field_rows(typed_call)), follow=True
    )
    messages = [html.unescape(str(message)) for message in response.context["messages"]]
    assert not any("a changé alors" in m for m in messages)


def test_the_csv_and_the_xlsx_have_the_same_cells_typed_or_as_text(applications):
    queryset = Application.objects.order_by("reference")
    content = write_csv(*table(queryset)).decode("utf-8").lstrip("\ufeff")
    csv_rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    xlsx_rows = list(load_workbook(io.BytesIO(write_xlsx(*typed_table(queryset)))).active.iter_rows(values_only=True))
    typed = assert_same_table(csv_rows, xlsx_rows)
    assert {"Aide demandée", "Période (début)", "Période (fin)", "Date d'envoi"} <= typed
