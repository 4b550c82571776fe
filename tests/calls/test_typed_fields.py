"""The typed fields of the form builder: legal form and its identifier (SIRET / RNA), amount
in euros, phone in E.164, IBAN, period, yes/no. Each: valid and invalid inputs with their
French messages, what is stored, how it is displayed; the legal form's rule on the server."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from calls.fields import (
    format_euros,
    format_iban,
    format_phone,
    identifier_for_legal_form,
    is_valid_rna,
    normalise_rna,
    phone_e164,
)
from calls.models import Application, CallFormField, option_applies
from calls.pdf import application_pdf
from tests.calls.factories import make_call, valid_answers
from tests.calls.test_fields import bind, build

# --- legal form ------------------------------------------------------------------------------


def test_legal_form_offers_five_fixed_choices_and_stores_the_code():
    form_class = build({"label": "Forme juridique", "field_type": "legal_form"})
    field = form_class().fields["forme_juridique"]
    assert [code for code, _label in field.choices] == [
        "entreprise_individuelle",
        "societe",
        "association",
        "cooperative",
        "autre",
    ]
    html = str(form_class()["forme_juridique"])
    assert 'type="radio"' in html and "Coopérative" in html
    form = bind(form_class, {"forme_juridique": "cooperative"})
    assert form.is_valid(), form.errors
    answers, _files = form.answers()
    assert answers["forme_juridique"]["value"] == "cooperative"
    assert answers["forme_juridique"]["display"] == "Coopérative (SCOP, SCIC…)"
    wrong = bind(form_class, {"forme_juridique": "sarl"})
    assert not wrong.is_valid()
    missing = bind(form_class, {})
    assert missing.errors["forme_juridique"] == ["Choisissez une réponse."]


@pytest.mark.parametrize(
    ("code", "identifier"),
    [
        ("entreprise_individuelle", "siret"),
        ("societe", "siret"),
        ("cooperative", "siret"),
        ("association", "rna"),
        ("autre", None),
        ("", None),
        ("inconnue", None),
    ],
)
def test_identifier_for_legal_form(code, identifier):
    assert identifier_for_legal_form(code) == identifier


# --- RNA ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("W751234567", "W751234567"),
        ("w75 123 4567", "W751234567"),
        ("W2A1001234", "W2A1001234"),  # Corse-du-Sud
        ("0751-0012345", "0751-0012345"),  # an old prefecture « numéro de dossier »
        ("2/12345", "2/12345"),
    ],
)
def test_rna_accepts_and_normalises(typed, stored):
    form = bind(build({"label": "Numéro RNA", "field_type": "rna"}), {"numero_rna": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["numero_rna"] == stored
    assert normalise_rna(typed) == stored


@pytest.mark.parametrize("typed", ["W75123456", "W7512345678", "X751234567", "WABC123456", "12-34", "75-12-34-56-78"])
def test_rna_refuses_with_a_french_message(typed):
    assert not is_valid_rna(normalise_rna(typed))
    form = bind(build({"label": "Numéro RNA", "field_type": "rna"}), {"numero_rna": typed})
    assert not form.is_valid()
    assert "W suivi de 9 chiffres" in form.errors["numero_rna"][0]


# --- the legal form decides the identifier (server side) ---------------------------------

IDENTIFIER_FIELDS = [
    {"label": "Courriel", "field_type": "email", "purpose": "email"},
    {"label": "Forme juridique", "field_type": "legal_form", "required": False},
    {"label": "SIRET", "field_type": "siret", "required": False},
    {"label": "Numéro RNA", "field_type": "rna", "required": True},
    {"label": "Consentement", "field_type": "consent", "description": "Données conservées deux ans."},
]


@pytest.fixture
def identifier_call(call_index):
    return make_call(call_index, fields=IDENTIFIER_FIELDS, slug="appel-identifiants")


def post_identifiers(client, call, get_token, **data):
    payload = {"courriel": "awa@example.org", "consentement": "on", "qc_jeton": get_token(call), **data}
    return client.post(call.url, payload)


@pytest.mark.django_db
def test_a_forged_post_with_both_identifiers_stores_only_the_matching_one(client, identifier_call, get_token):
    response = post_identifiers(
        client,
        identifier_call,
        get_token,
        forme_juridique="societe",
        siret="732 829 320 00074",
        numero_rna="pas un numéro",  # invalid, and not this legal form's: ignored
    )
    assert response.status_code == 303, response.content.decode()[:3000]
    data = Application.objects.get().form_data
    assert data["siret"]["value"] == "73282932000074"
    assert data["numero_rna"]["value"] == "" and data["numero_rna"]["display"] == ""


@pytest.mark.django_db
def test_an_association_keeps_its_rna_and_drops_the_siret(client, identifier_call, get_token):
    response = post_identifiers(
        client,
        identifier_call,
        get_token,
        forme_juridique="association",
        siret="73282932000074",
        numero_rna="w751234567",
    )
    assert response.status_code == 303
    data = Application.objects.get().form_data
    assert data["numero_rna"]["value"] == "W751234567"
    assert data["siret"]["value"] == ""


@pytest.mark.django_db
def test_the_matching_identifier_is_required(client, identifier_call, get_token):
    response = post_identifiers(client, identifier_call, get_token, forme_juridique="societe", numero_rna="W751234567")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce numéro est demandé pour la forme juridique « Société (SARL, SAS, EURL…) »." in html
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_autre_requires_no_identifier_and_without_a_legal_form_the_fields_own_settings_apply(
    client, identifier_call, get_token
):
    # No legal form answered: the RNA field is required as the editor set it.
    response = post_identifiers(client, identifier_call, get_token)
    assert response.status_code == 200 and Application.objects.count() == 0
    # « Autre »: neither is required, what is given is kept.
    response = post_identifiers(client, identifier_call, get_token, forme_juridique="autre", siret="73282932000074")
    assert response.status_code == 303
    data = Application.objects.get().form_data
    assert data["siret"]["value"] == "73282932000074" and data["forme_juridique"]["display"] == "Autre"


# --- SIRET stays normalised ---------------------------------------------------------------


def test_siret_is_stored_as_fourteen_digits():
    form = bind(build({"label": "SIRET", "field_type": "siret"}), {"siret": " 732.829.320-00074 "})
    assert form.is_valid(), form.errors
    answers, _files = form.answers()
    assert answers["siret"]["value"] == "73282932000074"


# --- amount in euros -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("12 000,50", "12000.50", "12\u00a0000,50\u00a0€"),
        ("12000.5", "12000.50", "12\u00a0000,50\u00a0€"),
        ("12 000 €", "12000.00", "12\u00a0000,00\u00a0€"),
        ("12\u00a0000\u00a0€", "12000.00", "12\u00a0000,00\u00a0€"),
        ("0", "0.00", "0,00\u00a0€"),
    ],
)
def test_amount_accepts_french_writing_and_stores_a_two_decimal_string(typed, stored, shown):
    form = bind(build({"label": "Montant", "field_type": "amount"}), {"montant": typed})
    assert form.is_valid(), form.errors
    answers, _files = form.answers()
    assert answers["montant"]["value"] == stored
    assert answers["montant"]["display"] == shown


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "Le montant ne peut pas être négatif."),
        ("12,345", "Indiquez au plus deux chiffres après la virgule (les centimes)."),
        ("douze", "Indiquez un montant en euros, par exemple 12 000 ou 1 500,50."),
    ],
)
def test_amount_refuses_with_a_french_message(typed, message):
    form = bind(build({"label": "Montant", "field_type": "amount"}), {"montant": typed})
    assert not form.is_valid()
    assert form.errors["montant"] == [message]


def test_format_euros_of_an_old_text_answer_leaves_it_as_is():
    assert format_euros("environ douze mille") == "environ douze mille"


# --- phone ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("06 12 34 56 78", "+33612345678", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "+33612345678", "06 12 34 56 78"),
        ("0033 (0)1 40 00 00 00", "+33140000000", "01 40 00 00 00"),
        ("0262 12 34 56", "+262262123456", "02 62 12 34 56"),  # La Réunion: its own country code
        ("06.96.12.34.56", "+596696123456", "06 96 12 34 56"),  # Martinique, mobile
        # Overseas numbers written internationally, with their own country code.
        ("+262 262 12 34 56", "+262262123456", "02 62 12 34 56"),  # La Réunion, fixed
        ("+262 692 12 34 56", "+262692123456", "06 92 12 34 56"),  # La Réunion, mobile
        ("+262 639 12 34 56", "+262639123456", "06 39 12 34 56"),  # Mayotte, mobile
        ("+590 690 12 34 56", "+590690123456", "06 90 12 34 56"),  # Guadeloupe, mobile
        ("00590 590 12 34 56", "+590590123456", "05 90 12 34 56"),  # Guadeloupe, fixed, 00
        ("+594 (0)694 12 34 56", "+594694123456", "06 94 12 34 56"),  # Guyane, « (0) » kept
        ("+596 696 12 34 56", "+596696123456", "06 96 12 34 56"),  # Martinique, mobile
    ],
)
def test_phone_is_stored_in_e164_and_shown_the_french_way(typed, stored, shown):
    form = bind(build({"label": "Téléphone", "field_type": "tel"}), {"telephone": typed})
    assert form.is_valid(), form.errors
    answers, _files = form.answers()
    assert answers["telephone"]["value"] == stored == phone_e164(typed)
    assert answers["telephone"]["display"] == shown == format_phone(stored)


@pytest.mark.parametrize(
    "typed",
    [
        "+262 612 34 56 78",  # a métropole mobile prefix under La Réunion's code
        "+590 692 12 34 56",  # La Réunion's mobile prefix under Guadeloupe's code
        "+262 692 12 34 5",  # eight digits
        "+263 692 12 34 56",  # not a French country code
    ],
)
def test_phone_overseas_code_must_match_the_number(typed):
    form = bind(build({"label": "Téléphone", "field_type": "tel"}), {"telephone": typed})
    assert not form.is_valid()
    assert "numéro de téléphone valide" in form.errors["telephone"][0]


def test_phone_display_of_an_old_answer_typed_before_e164():
    assert format_phone("06.12.34.56.78") == "06 12 34 56 78"
    assert format_phone("un numéro") == "un numéro"


# --- IBAN ----------------------------------------------------------------------------------------


def test_iban_is_checked_stored_without_spaces_and_shown_by_four():
    form_class = build({"label": "IBAN", "field_type": "iban"})
    form = bind(form_class, {"iban": "fr76 3000 6000 0112 3456 7890 189"})
    assert form.is_valid(), form.errors
    answers, _files = form.answers()
    assert answers["iban"]["value"] == "FR7630006000011234567890189"
    assert answers["iban"]["display"] == "FR76 3000 6000 0112 3456 7890 189"
    assert format_iban("DE89370400440532013000") == "DE89 3704 0044 0532 0130 00"
    for wrong in ("FR76 3000 6000 0112 3456 7890 188", "FR76 3000", "ZZ12 3456"):
        form = bind(form_class, {"iban": wrong})
        assert not form.is_valid()
        assert form.errors["iban"][0].startswith("Cet IBAN n'est pas valide")


# --- period -------------------------------------------------------------------------------------


def test_period_is_two_labelled_dates_in_a_fieldset():
    form_class = build({"label": "Période des travaux", "field_type": "date_range"})
    html = str(form_class()["periode_des_travaux"])
    assert '<label for="id_periode_des_travaux_0">Du</label>' in html
    assert '<label for="id_periode_des_travaux_1">Au</label>' in html
    assert html.count('type="date"') == 2
    assert form_class()["periode_des_travaux"].use_fieldset


def test_period_is_stored_as_start_and_end():
    form_class = build({"label": "Période", "field_type": "date_range"})
    form = bind(form_class, {"periode_0": "2027-03-01", "periode_1": "2027-03-01"})
    assert form.is_valid(), form.errors
    answers, _files = form.answers()
    assert answers["periode"]["value"] == {"start": "2027-03-01", "end": "2027-03-01"}
    assert answers["periode"]["display"] == "du 01/03/2027 au 01/03/2027"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"periode_0": "2027-03-15", "periode_1": "2027-03-01"}, "La date de fin doit être le même jour"),
        ({"periode_0": "2027-03-15"}, "Indiquez la date de début et la date de fin."),
        ({"periode_0": "15 mars", "periode_1": "2027-03-20"}, "Indiquez une date valide"),
        ({}, "Ce champ est obligatoire."),
    ],
)
def test_period_refuses_with_a_french_message(data, message):
    form = bind(build({"label": "Période", "field_type": "date_range"}), data)
    assert not form.is_valid()
    assert form.errors["periode"][0].startswith(message)


def test_an_optional_period_left_empty_stores_nothing():
    form = bind(build({"label": "Période", "field_type": "date_range", "required": False}), {})
    assert form.is_valid(), form.errors
    assert form.answers()[0]["periode"]["value"] == ""


# --- yes / no -----------------------------------------------------------------------------------


def test_yes_no_is_a_pair_of_radios_stored_as_a_boolean():
    form_class = build({"label": "Avez-vous un local ?", "field_type": "yes_no"})
    html = str(form_class()["avez_vous_un_local"])
    assert html.count('type="radio"') == 2 and "Oui" in html and "Non" in html
    no = bind(form_class, {"avez_vous_un_local": "non"})
    assert no.is_valid(), no.errors
    answers, _files = no.answers()
    assert answers["avez_vous_un_local"]["value"] is False and answers["avez_vous_un_local"]["display"] == "Non"
    yes = bind(form_class, {"avez_vous_un_local": "oui"})
    assert yes.is_valid() and yes.answers()[0]["avez_vous_un_local"]["value"] is True
    missing = bind(form_class, {})
    assert missing.errors["avez_vous_un_local"] == ["Choisissez une réponse."]
    assert not bind(form_class, {"avez_vous_un_local": "peut-être"}).is_valid()


# --- every type through a real submission: stored, then the PDF ------------------------------

ALL_TYPES = [
    {"label": "Courriel", "field_type": "email", "purpose": "email"},
    {"label": "Forme juridique", "field_type": "legal_form"},
    {"label": "SIRET", "field_type": "siret", "required": False},
    {"label": "Numéro RNA", "field_type": "rna", "required": False},
    {"label": "Aide demandée", "field_type": "amount"},
    {"label": "Téléphone", "field_type": "tel"},
    {"label": "IBAN", "field_type": "iban"},
    {"label": "Période", "field_type": "date_range"},
    {"label": "Local trouvé", "field_type": "yes_no"},
    {"label": "Consentement", "field_type": "consent", "description": "Données conservées deux ans."},
]

ALL_ANSWERS = {
    "courriel": "awa@example.org",
    "forme_juridique": "association",
    "numero_rna": "W751234567",
    "aide_demandee": "12 000,50 €",
    "telephone": "06 12 34 56 78",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "periode_0": "2027-03-01",
    "periode_1": "2027-06-30",
    "local_trouve": "oui",
    "consentement": "on",
}


@pytest.mark.django_db
def test_every_type_submitted_stored_and_written_in_the_pdf(client, call_index, get_token):
    import io

    from pypdf import PdfReader

    call = make_call(call_index, fields=ALL_TYPES, slug="appel-types")
    response = client.post(call.url, {**ALL_ANSWERS, "qc_jeton": get_token(call)})
    assert response.status_code == 303, response.content.decode()[:2000]
    application = Application.objects.get()
    data = application.form_data
    assert data["forme_juridique"]["value"] == "association"
    assert data["aide_demandee"]["value"] == "12000.50"
    assert data["telephone"]["value"] == "+33612345678"
    assert data["iban"]["value"] == "FR7630006000011234567890189"
    assert data["periode"]["value"] == {"start": "2027-03-01", "end": "2027-06-30"}
    assert data["local_trouve"]["value"] is True
    text = PdfReader(io.BytesIO(application_pdf(application))).pages[0].extract_text()
    for shown in ("Association", "W751234567", "12 000,50 EUR", "06 12 34 56 78", "FR76 3000 6000", "Oui"):
        assert shown in text.replace("\u00a0", " "), text


# --- options of the field editor -------------------------------------------------------------


def test_options_apply_only_to_their_types_and_clean_resets_the_others():
    assert option_applies("choices", "radio") and not option_applies("choices", "singleline")
    assert option_applies("allowed_kinds", "file") and not option_applies("max_size_mb", "amount")
    assert option_applies("label", "amount")  # not in the dict: every type
    field = CallFormField(
        label="Nom",
        field_type="singleline",
        choices="Un\nDeux",
        description="Texte oublié",
        allowed_kinds=["pdf"],
        max_size_mb=50,
        multiple_files=True,
        purpose="name",
    )
    field.clean()  # no « 50 Mo au maximum » error: the size is not this type's option
    assert (field.choices, field.description, field.allowed_kinds, field.max_size_mb, field.multiple_files) == (
        "",
        "",
        [],
        5,
        False,
    )
    assert field.purpose == "name"
    radio = CallFormField(label="Choix", field_type="radio", choices="")
    with pytest.raises(ValidationError) as error:
        radio.clean()
    assert "choices" in error.value.message_dict


def test_dates_parse_helper_ignores_anything_else():
    from calls.date_fields import parse_date_range

    assert parse_date_range({"start": "2027-01-02", "end": "2027-01-03"}) == (
        datetime.date(2027, 1, 2),
        datetime.date(2027, 1, 3),
    )
    assert parse_date_range("du 1er au 3") == (None, None)
    assert parse_date_range({"start": "x", "end": "y"}) == (None, None)


def test_valid_answers_of_the_standard_form_still_pass(call):
    form = call.get_form_class()(valid_answers())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["telephone"] == "+33612345678"
