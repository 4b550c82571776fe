"""The form builder's extra field types, each valid and invalid (no HTTP: the form alone)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from calls.builder import CallFormBuilder
from calls.fields import is_valid_siret, normalise_siret
from calls.form_guard import safe_field_key
from calls.models import CallFormField
from tests.calls.factories import exe_renamed_pdf, jpeg_file, pdf_file


def build(*fields):
    """A form class from unsaved fields (as Wagtail's preview does)."""
    specs = []
    for order, spec in enumerate(fields):
        field = CallFormField(sort_order=order, **spec)
        field.clean_name = field.get_field_clean_name()
        specs.append(field)
    return CallFormBuilder(specs).get_form_class()


def bind(form_class, data=None, files=None):
    return form_class(data or {}, MultiValueDict(files or {}))


# --- SIRET -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("73282932000074", True),
        ("732 829 320 00074", True),
        ("732\u00a0829\u00a0320\u00a000074", True),
        ("35600000000010", True),  # La Poste: the digit sum is a multiple of 5
        ("73282932000075", False),  # Luhn fails
        ("7328293200007", False),  # 13 digits
        ("7328293200007A", False),
    ],
)
def test_siret_validation(value, valid):
    assert is_valid_siret(normalise_siret(value)) is valid


def test_siret_field_accepts_spaces_and_stores_digits():
    form = bind(build({"label": "SIRET", "field_type": "siret"}), {"siret": "732 829 320 00074"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["siret"] == "73282932000074"
    answers, _files = form.answers()
    assert answers["siret"]["display"] == "732 829 320 00074"


def test_siret_field_explains_what_is_wrong():
    form_class = build({"label": "SIRET", "field_type": "siret"})
    short = bind(form_class, {"siret": "1234"})
    assert not short.is_valid()
    assert "14 chiffres" in short.errors["siret"][0]
    wrong = bind(form_class, {"siret": "73282932000075"})
    assert not wrong.is_valid()
    assert "n'existe pas" in wrong.errors["siret"][0]


def test_siret_input_has_a_numeric_keyboard():
    form = build({"label": "SIRET", "field_type": "siret"})()
    html = str(form["siret"])
    assert 'inputmode="numeric"' in html


# --- region and kind of business ---------------------------------------------------------


def test_region_offers_the_18_regions():
    form_class = build({"label": "Région", "field_type": "region"})
    field = form_class().fields["region"]
    assert len(field.choices) == 19  # the blank prompt and 18 regions
    assert bind(form_class, {"region": "occitanie"}).is_valid()
    invalid = bind(form_class, {"region": "atlantide"})
    assert not invalid.is_valid()
    assert "region" in invalid.errors


def test_business_kind_is_a_radio_group_of_the_shared_kinds():
    form_class = build({"label": "Type de commerce", "field_type": "business_kind"})
    form = form_class()
    assert [value for value, _label in form.fields["type_de_commerce"].choices] == [
        "cafe",
        "restaurant",
        "tiers-lieu",
        "epicerie",
        "autre",
    ]
    assert form["type_de_commerce"].use_fieldset
    valid = bind(form_class, {"type_de_commerce": "epicerie"})
    assert valid.is_valid()
    assert valid.answers()[0]["type_de_commerce"]["display"] == "Épicerie"
    missing = bind(form_class, {})
    assert not missing.is_valid()
    assert missing.errors["type_de_commerce"] == ["Choisissez une réponse."]


# --- consent ---------------------------------------------------------------------------


def test_consent_is_required_even_if_marked_optional_and_shows_its_text():
    form_class = build(
        {
            "label": "J'accepte",
            "field_type": "consent",
            "required": False,
            "description": "Données conservées deux ans, puis supprimées.",
        }
    )
    refused = bind(form_class, {})
    assert not refused.is_valid()
    assert "Cochez cette case" in refused.errors["jaccepte"][0]
    given = bind(form_class, {"jaccepte": "on"})
    assert given.is_valid()
    answers, _files = given.answers()
    assert answers["jaccepte"]["value"] is True
    assert answers["jaccepte"]["text"] == "Données conservées deux ans, puis supprimées."
    assert "jaccepte_description" in given["jaccepte"].aria_describedby


def test_consent_field_model_is_saved_as_required(call):
    field = CallFormField.objects.create(page=call, label="Accord", field_type="consent", required=False)
    assert field.required is True


# --- image rights ------------------------------------------------------------------------


def test_image_rights_is_optional_even_if_marked_required_and_records_its_text():
    form_class = build(
        {"label": "J'accepte que les photos soient publiées", "field_type": "consent", "description": "RGPD."},
        {
            "label": "Photos",
            "field_type": "image_rights",
            "required": True,
            "description": "Vos photos dans le récit du lauréat, sans limite de durée.",
        },
    )
    refused = bind(form_class, {"jaccepte_que_les_photos_soient_publiees": "on"})
    assert refused.is_valid(), refused.errors
    answers, _files = refused.answers()
    assert answers["photos"]["type"] == "image_rights"
    assert (answers["photos"]["value"], answers["photos"]["display"]) == (False, "Non")
    assert answers["photos"]["text"] == "Vos photos dans le récit du lauréat, sans limite de durée."
    given = bind(form_class, {"jaccepte_que_les_photos_soient_publiees": "on", "photos": "on"})
    assert given.is_valid()
    answers, _files = given.answers()
    assert (answers["photos"]["value"], answers["photos"]["display"]) == (True, "Oui")
    assert "photos_description" in given["photos"].aria_describedby
    # Not the RGPD consent: that one stays required.
    assert not bind(form_class, {"photos": "on"}).is_valid()


def test_image_rights_field_model_is_saved_as_optional(call):
    field = CallFormField.objects.create(page=call, label="Photos", field_type="image_rights", required=True)
    assert field.required is False


def test_image_rights_does_not_count_as_the_rgpd_consent(call):
    call.form_fields.filter(field_type="consent").delete()
    CallFormField.objects.create(page=call, label="Photos", field_type="image_rights")
    page = type(call).objects.get(pk=call.pk)
    assert any("Consentement (RGPD)" in item for item in page.missing_for_opening())


# --- phone, long text -------------------------------------------------------------------


def test_phone_field():
    form_class = build({"label": "Téléphone", "field_type": "tel", "purpose": "tel"})
    assert bind(form_class, {"telephone": "+33 6 12 34 56 78"}).is_valid()
    invalid = bind(form_class, {"telephone": "appelez-moi"})
    assert not invalid.is_valid()
    assert "numéro de téléphone valide" in invalid.errors["telephone"][0]
    html = str(form_class()["telephone"])
    assert 'type="tel"' in html and 'inputmode="tel"' in html and 'autocomplete="tel"' in html


def test_multiline_has_a_maximum_of_5000_characters():
    form_class = build({"label": "Projet", "field_type": "multiline"})
    assert bind(form_class, {"projet": "x" * 5000}).is_valid()
    assert not bind(form_class, {"projet": "x" * 5001}).is_valid()
    assert 'maxlength="5000"' in str(form_class()["projet"])


def test_autocomplete_tokens_follow_the_purpose():
    form = build(
        {"label": "Nom", "field_type": "singleline", "purpose": "name"},
        {"label": "Courriel", "field_type": "email", "purpose": "email"},
        {"label": "Commune", "field_type": "singleline", "purpose": "address-level2"},
    )()
    assert 'autocomplete="name"' in str(form["nom"])
    assert 'autocomplete="email"' in str(form["courriel"])
    assert 'inputmode="email"' in str(form["courriel"])
    assert 'autocomplete="address-level2"' in str(form["commune"])


# --- sections --------------------------------------------------------------------------------


def test_sections_group_the_fields_that_follow_them():
    form = build(
        {"label": "Votre commerce", "field_type": "section", "help_text": "Le lieu."},
        {"label": "Nom du commerce", "field_type": "singleline"},
        {"label": "Vous", "field_type": "section"},
        {"label": "Nom", "field_type": "singleline"},
    )()
    sections = form.sections()
    assert [s["title"] for s in sections] == ["Votre commerce", "Vous"]
    assert [f.name for f in sections[0]["fields"]] == ["nom_du_commerce"]
    assert sections[0]["help_text"] == "Le lieu."
    assert "votre_commerce" not in form.fields  # a heading holds no answer


def test_sections_render_as_fieldsets_with_legends(client, call):
    html = client.get(call.url).content.decode()
    assert '<legend class="qc-section__title">Votre commerce</legend>' in html
    assert 'aria-describedby="section-1-help"' in html


# --- files ---------------------------------------------------------------------------------


def file_form(**options):
    spec = {"label": "Pièce", "field_type": "file", "allowed_kinds": ["pdf"], "max_size_mb": 1, **options}
    return build(spec)


def test_file_field_accepts_a_good_pdf():
    form = bind(file_form(), files={"piece": [pdf_file()]})
    assert form.is_valid(), form.errors
    (clean,) = form.cleaned_data["piece"]
    assert clean.kind == "pdf"
    assert clean.display_name == "business-plan.pdf"


def test_file_field_refuses_a_renamed_executable():
    form = bind(file_form(), files={"piece": [exe_renamed_pdf()]})
    assert not form.is_valid()
    assert "plan.pdf" in form.errors["piece"][0]


def test_file_field_refuses_a_kind_that_is_not_allowed():
    form = bind(file_form(), files={"piece": [jpeg_file()]})
    assert not form.is_valid()
    assert "PDF" in form.errors["piece"][0]


def test_file_field_refuses_an_oversized_file():
    big = SimpleUploadedFile("gros.pdf", pdf_file().read() + b"%" * (1024 * 1024 + 10), "application/pdf")
    form = bind(file_form(), files={"piece": [big]})
    assert not form.is_valid()
    assert "limite" in form.errors["piece"][0]


def test_file_field_required_and_optional():
    assert bind(file_form(), files={}).errors["piece"] == ["Choisissez un fichier."]
    optional = bind(file_form(required=False), files={})
    assert optional.is_valid()
    assert optional.cleaned_data["piece"] == []


def test_file_field_single_or_several():
    single = file_form()()
    assert "multiple" not in str(single["piece"])
    several_class = file_form(multiple_files=True)
    assert "multiple" in str(several_class()["piece"])
    several = bind(several_class, files={"piece": [pdf_file("a.pdf"), pdf_file("b.pdf")]})
    assert several.is_valid(), several.errors
    assert [c.display_name for c in several.cleaned_data["piece"]] == ["a.pdf", "b.pdf"]
    too_many = bind(several_class, files={"piece": [pdf_file(f"{n}.pdf") for n in range(6)]})
    assert not too_many.is_valid()
    assert "5 fichiers au maximum" in too_many.errors["piece"][0]


def test_file_field_shows_kinds_and_size_before_choosing():
    form = file_form(allowed_kinds=["pdf", "jpeg"], max_size_mb=10)()
    bound = form["piece"]
    assert "PDF ou JPEG" in bound.hint
    assert "10\u00a0Mo" in bound.hint
    html = str(bound)
    assert 'accept=".pdf,application/pdf,.jpg,.jpeg,image/jpeg"' in html
    assert "piece_hint" in html


# --- keys ------------------------------------------------------------------------------------


def test_field_keys_never_take_the_forms_own_names():
    assert safe_field_key("qc jeton") == "champ_qc_jeton"
    assert safe_field_key("Nom du commerce") == "nom_du_commerce"
    assert safe_field_key("€€€").startswith("champ_")


def test_file_field_model_requires_kinds(call):
    from django.core.exceptions import ValidationError

    field = CallFormField(page=call, label="Pièce", field_type="file", allowed_kinds=[])
    with pytest.raises(ValidationError) as excinfo:
        field.full_clean()
    assert "allowed_kinds" in excinfo.value.message_dict


# --- typed checks: French phone numbers, postal codes, amounts -----------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("06 12 34 56 78", True),
        ("06.12.34.56.78", True),
        ("+33 6 12 34 56 78", True),
        ("0033612345678", True),
        ("+33 (0)6 12 34 56 78", True),
        ("06 12 34 56", False),
        ("+44 20 7946 0958", False),
        ("12 34 56 78 90", False),
    ],
)
def test_phone_numbers_are_french(value, valid):
    form_class = build({"label": "Téléphone", "field_type": "tel", "purpose": "tel"})
    form = bind(form_class, {"telephone": value})
    assert form.is_valid() is valid
    if not valid:
        assert "dix chiffres, ou +33" in form.errors["telephone"][0]


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("93300", True),
        ("20 000", True),
        ("2A004", True),
        ("9330", False),
        ("ABCDE", False),
        ("99000", False),
    ],
)
def test_postal_codes(value, valid):
    form_class = build({"label": "Code postal", "field_type": "singleline", "purpose": "postal-code"})
    form = bind(form_class, {"code_postal": value})
    assert form.is_valid() is valid
    if not valid:
        assert "cinq chiffres" in form.errors["code_postal"][0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12 000", "12000"), ("1500,50", "1500.50"), ("0", "0"), ("-5", None), ("beaucoup", None)],
)
def test_amounts_are_numbers_never_negative(value, expected):
    form_class = build({"label": "Budget", "field_type": "number"})
    form = bind(form_class, {"budget": value})
    if expected is None:
        assert not form.is_valid()
        assert form.errors["budget"][0] in (
            "Indiquez un nombre positif ou nul.",
            "Indiquez un nombre, par exemple 12000 ou 1500,50.",
        )
    else:
        assert form.is_valid() and str(form.cleaned_data["budget"]) == expected
