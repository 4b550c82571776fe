"""The registry of form-field types (calls/field_types.py): every type has what the form, the
exports and the PDF ask of it. A type added without a sample answer below, or without one of
these capabilities, fails here."""

import datetime
import json
from decimal import Decimal

import pytest
from django import forms

from calls import field_types
from calls.answers import answer_part, answer_text, pdf_text, serialise_answer, typed_cell
from calls.builder import CallFormBuilder
from calls.fields import identifier_for_legal_form
from calls.models import FIELD_OPTIONS, CallFormField
from tests.calls.samples import pdf_bytes, upload

pytestmark = pytest.mark.django_db

# One valid answer per type, as a browser posts it to a field labelled « Question ».
SAMPLES = {
    "singleline": {"question": "Le Petit Zinc"},
    "multiline": {"question": "Un café ouvert à tous."},
    "email": {"question": "awa@example.org"},
    "number": {"question": "15 000"},
    "url": {"question": "https://example.org"},
    "checkbox": {"question": "on"},
    "checkboxes": {"question": ["Café"]},
    "dropdown": {"question": "Café"},
    "multiselect": {"question": ["Café", "Épicerie"]},
    "radio": {"question": "Épicerie"},
    "date": {"question": "2027-03-01"},
    "datetime": {"question": "2027-03-01T10:30"},
    "hidden": {"question": "source"},
    "tel": {"question": "06 12 34 56 78"},
    "file": {},  # a PDF, in FILES
    "region": {"question": "ile-de-france"},
    "address": {"question_0": "12 rue Myrha", "question_1": "93300", "question_2": ""},
    "business_kind": {"question": "cafe"},
    "siret": {"question": "732 829 320 00074"},
    "consent": {"question": "on"},
    "image_rights": {"question": "on"},
    "legal_form": {"question": "association"},
    "rna": {"question": "W751234567"},
    "amount": {"question": "12 000,50"},
    "iban": {"question": "FR76 3000 6000 0112 3456 7890 189"},
    "date_range": {"question_0": "2027-03-01", "question_1": "2027-06-30"},
    "yes_no": {"question": "non"},
}

ANSWERING = [kind for kind in field_types.TYPES if not kind.layout]


def field_of(kind):
    return CallFormField(
        label="Question",
        field_type=kind.name,
        required=kind.required is not False,
        choices="Café\nÉpicerie",
        allowed_kinds=["pdf"],
        description="Vos données sont conservées deux ans.",
    )


def stored_answer(kind):
    """The answer the form stores for the type's sample."""
    assert kind.name in SAMPLES, f"« {kind.name} » has no sample answer in this test"
    files = {"question": upload("plan.pdf", pdf_bytes(), "application/pdf")} if kind.files else {}
    form = CallFormBuilder([field_of(kind)]).get_form_class()(SAMPLES[kind.name], files)
    assert form.is_valid(), (kind.name, form.errors)
    answers, _files = form.answers()
    return answers["question"]


def test_the_model_offers_every_type_once_under_its_stored_name():
    names = [name for name, _label in CallFormField._meta.get_field("field_type").choices]
    assert names == [kind.name for kind in field_types.TYPES]
    assert len(set(names)) == len(names)
    # The names answers already stored carry: renaming one would orphan them.
    assert {"amount", "date_range", "yes_no", "legal_form", "siret", "rna", "section", "file"} <= set(names)
    assert all(str(kind.label) for kind in field_types.TYPES)


@pytest.mark.parametrize("kind", ANSWERING, ids=lambda kind: kind.name)
def test_every_answering_type_builds_its_form_field(kind):
    formfield = CallFormBuilder([field_of(kind)]).formfields["question"]
    assert isinstance(formfield, forms.Field)
    assert kind.required_message is None or str(kind.required_message)


@pytest.mark.parametrize("kind", ANSWERING, ids=lambda kind: kind.name)
def test_every_answer_is_stored_and_read_by_the_exports_and_the_pdf(kind):
    answer = stored_answer(kind)
    assert answer["type"] == kind.name
    json.dumps(answer["value"])  # stored as JSON
    text = answer_text(answer, ("plan.pdf",) if kind.files else ())
    assert text and isinstance(text, str)
    assert pdf_text(answer) and isinstance(pdf_text(answer), str)
    cell = typed_cell(answer, text)
    assert isinstance(cell, (str, Decimal, datetime.date)), (kind.name, cell)
    if kind.numeric:
        assert isinstance(cell, Decimal)
    if kind.parts is not None:
        assert isinstance(answer_part(answer, "start"), datetime.date)
        assert answer_part(answer, "end") >= answer_part(answer, "start")
    if kind.keeps_text:
        assert answer["text"] == "Vos données sont conservées deux ans."


def test_an_empty_answer_is_stored_empty_and_printed_as_such():
    for kind in ANSWERING:
        assert serialise_answer(field_of(kind), "") == ("", "")
        assert pdf_text({"type": kind.name, "value": "", "display": ""}) == str(kind.empty_text)


def test_an_answer_of_a_type_removed_since_reads_as_its_stored_text():
    answer = {"type": "ancien_type", "value": "x", "display": "Ancienne réponse"}
    assert answer_text(answer) == typed_cell(answer, "Ancienne réponse") == "Ancienne réponse"


def test_the_flags_agree_with_each_other():
    for kind in field_types.TYPES:
        assert set(kind.options) <= set(field_types.EDITOR_OPTIONS), kind.name
        if kind.layout:
            assert kind.form_field is None and not kind.decides and not kind.repeatable
        if kind.editor_choices or kind.taxonomy is not None:
            assert kind.choice and kind.required_message == field_types.CHOOSE, kind.name
        if kind.section:
            assert kind.layout and "repeatable" in kind.options
    # The identifier a legal form asks for is always a type that says it is one.
    asked = {identifier_for_legal_form(code) for code, _label in field_types.get("legal_form").taxonomy.choices}
    assert asked - {None} == set(field_types.names(identifier=True))
    # The editor's options per type, as field-options.js receives them.
    assert FIELD_OPTIONS == {
        option: [kind.name for kind in field_types.TYPES if option in kind.options]
        for option in field_types.EDITOR_OPTIONS
    }
    assert FIELD_OPTIONS["choices"] == ["checkboxes", "dropdown", "multiselect", "radio"]
