"""Conditional questions (calls/conditions.py): a field or a section asked only when
earlier answers meet its conditions. The server decides, from the cleaned answers: a
hidden question is neither required nor stored, whatever the POST carries."""

import io
import json
import re

import pytest
from pypdf import PdfReader

from calls.conditions import ConditionError, parse
from calls.models import Application, CallFormField, CallPage, Draft
from tests.calls.factories import CallIndexPageFactory, call_admin_post_data, make_call

pytestmark = pytest.mark.django_db

LEGAL_FORM = {
    "label": "Forme juridique",
    "field_type": "radio",
    "choices": "Association\nSociété\nEntreprise individuelle",
}
FIELDS = [
    {"label": "Nom du commerce", "field_type": "singleline", "purpose": "organization"},
    {"label": "Courriel", "field_type": "email", "purpose": "email"},
    LEGAL_FORM,
    {"label": "SIRET", "field_type": "siret", "conditions": "Forme juridique n'est pas Association"},
    {"label": "Numéro RNA", "field_type": "singleline", "conditions": "Forme juridique est Association"},
    {
        "label": "Activités",
        "field_type": "checkboxes",
        "choices": "Restauration\nÉpicerie\nAteliers",
        "required": False,
    },
    {"label": "Détail de la restauration", "field_type": "multiline", "conditions": "Activités contient Restauration"},
    {"label": "Vous avez des salariés", "field_type": "checkbox", "required": False},
    {
        "label": "Nombre de salariés",
        "field_type": "number",
        "conditions": "Vous avez des salariés est Oui\nForme juridique est Société",
        "condition_match": "all",
    },
    {
        "label": "Bureau de l'association",
        "field_type": "section",
        "conditions": "Forme juridique est Association\nNom du commerce contient café",
        "condition_match": "any",
    },
    {"label": "Président ou présidente", "field_type": "singleline"},
    {"label": "Fin", "field_type": "section"},
    {
        "label": "J'accepte le traitement de mes données",
        "field_type": "consent",
        "description": "Vos données servent à instruire votre candidature.",
    },
]
BASE = {
    "nom_du_commerce": "Le Petit Zinc",
    "courriel": "awa@example.org",
    "jaccepte_le_traitement_de_mes_donnees": "on",
}


@pytest.fixture
def call(home_page):
    # One page (steps are the default): the tests post every answer at once.
    return make_call(
        CallIndexPageFactory(parent=home_page), fields=FIELDS, slug="appel-conditions", form_in_steps=False
    )


def token(html):
    return re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)


def validate(call, data):
    form = call.get_form_class()(data)
    form.is_valid()
    return form


# --- The server's evaluation, operator by operator ------------------------------------------


def test_equals_on_a_radio_choice_shows_one_question_and_hides_the_other(call):
    form = validate(call, {**BASE, "forme_juridique": "Association", "numero_rna": "W751234567"})
    assert form.hidden_names >= {"siret", "nombre_de_salaries"}
    assert "numero_rna" not in form.hidden_names
    assert set(form.errors) == {"president_ou_presidente"}  # its section is shown: required


def test_differs_needs_an_answer_and_requires_the_visible_question(call):
    form = validate(call, {**BASE, "forme_juridique": "Société"})
    assert form.errors["siret"] == ["Ce champ est obligatoire."]
    assert "numero_rna" in form.hidden_names and "numero_rna" not in form.errors
    # Unanswered, the deciding question fulfils no condition (not even « n'est pas »).
    form = validate(call, BASE)
    assert {"siret", "numero_rna"} <= form.hidden_names
    assert set(form.errors) == {"forme_juridique"}


def test_contains_on_checkboxes_and_equals_on_a_yes_no(call):
    data = {**BASE, "forme_juridique": "Entreprise individuelle", "siret": "732 829 320 00074"}
    form = validate(call, {**data, "activites": ["Épicerie"]})
    assert form.is_valid(), form.errors
    assert "detail_de_la_restauration" in form.hidden_names
    form = validate(call, {**data, "activites": ["Épicerie", "Restauration"]})
    assert form.errors["detail_de_la_restauration"] == ["Ce champ est obligatoire."]


def test_all_conditions_must_hold_when_all_are_asked(call):
    data = {**BASE, "siret": "732 829 320 00074", "vous_avez_des_salaries": "on"}
    assert "nombre_de_salaries" in validate(call, {**data, "forme_juridique": "Entreprise individuelle"}).hidden_names
    form = validate(call, {**data, "forme_juridique": "Société"})
    assert form.errors["nombre_de_salaries"] == ["Ce champ est obligatoire."]
    assert (
        "nombre_de_salaries"
        in validate(call, {**data, "forme_juridique": "Société", "vous_avez_des_salaries": ""}).hidden_names
    )


def test_a_section_condition_with_any_applies_to_each_of_its_fields(call):
    data = {**BASE, "forme_juridique": "Société", "siret": "732 829 320 00074"}
    assert "president_ou_presidente" in validate(call, data).hidden_names
    # « au moins une » : the business name contains « café » (case and accents as typed).
    form = validate(call, {**data, "nom_du_commerce": "Le Café du Coin"})
    assert form.errors["president_ou_presidente"] == ["Ce champ est obligatoire."]


def test_equals_and_differs_on_text_ignore_case_and_spaces(call):
    [field] = [f for f in call.get_form_fields() if f.label == "Nom du commerce"]
    rule = parse("Nom du commerce est  le petit zinc ", "all", [field])
    models = {"nom_du_commerce": field}
    assert rule.holds(models, {"nom_du_commerce": "Le Petit  Zinc"})
    assert not rule.holds(models, {"nom_du_commerce": "Le Grand Zinc"})
    differs = parse("Nom du commerce n’est pas Le Petit Zinc", "all", [field])
    assert differs.holds(models, {"nom_du_commerce": "Le Grand Zinc"})
    assert not differs.holds(models, {"nom_du_commerce": "le petit zinc"})
    assert not differs.holds(models, {"nom_du_commerce": ""})


# --- Through the page: a crafted POST stores nothing hidden ----------------------------------


def test_a_forged_post_with_answers_to_hidden_questions_stores_none_of_them(client, call):
    html = client.get(call.url).content.decode()
    data = {
        **BASE,
        "qc_jeton": token(html),
        "forme_juridique": "Association",
        "numero_rna": "W751234567",
        "president_ou_presidente": "Awa Diallo",
        # Hidden by the answers above: sent anyway.
        "siret": "732 829 320 00074",
        "nombre_de_salaries": "12",
        "detail_de_la_restauration": "Des repas.",
    }
    response = client.post(call.url, data)
    assert response.status_code == 303, response.content.decode()[:2000]
    application = Application.objects.get(page=call)
    assert application.form_data["numero_rna"]["value"] == "W751234567"
    assert not {"siret", "nombre_de_salaries", "detail_de_la_restauration"} & set(application.form_data)
    assert "732" not in json.dumps(application.form_data)
    # The export, the PDF and Wagtail's submissions list: a hidden question has no answer, no error.
    from calls.pdf import application_pdf
    from moderation.export import table

    headings, [row] = table(Application.objects.filter(pk=application.pk))
    answers = dict(zip(headings, row, strict=True))
    assert answers["SIRET"] == "" and answers["Numéro RNA"] == "W751234567"
    assert application.get_data().get("siret", "") == ""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(application_pdf(application))).pages)
    assert "Numéro RNA" in text
    # Asked and left empty (optional): « sans réponse »; hidden: not there at all.
    assert "Activités\n(sans réponse)" in text
    for label in ("SIRET", "Nombre de salariés", "Détail de la restauration"):
        assert label not in text


def test_a_required_visible_conditional_question_left_empty_is_an_error(client, call):
    html = client.get(call.url).content.decode()
    data = {**BASE, "qc_jeton": token(html), "forme_juridique": "Société", "numero_rna": "W751234567"}
    response = client.post(call.url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "SIRET : Ce champ est obligatoire." in page
    assert not Application.objects.exists()


def test_the_one_page_form_shows_every_question_with_a_note_saying_when_to_answer(client, call):
    html = client.get(call.url).content.decode()
    assert "À remplir si vous avez répondu « Association » à « Forme juridique »." in html
    assert "À remplir si votre réponse à « Forme juridique » n&#x27;est pas « Association »." in html
    assert "À remplir si votre réponse à « Activités » contient « Restauration »." in html
    assert (
        "Section à remplir si vous avez répondu « Association » à « Forme juridique » ou votre réponse à "
        "« Nom du commerce » contient « café »." in html
    )
    assert 'aria-describedby="id_numero_rna_condition"' in html
    rules = [json.loads(raw.replace("&quot;", '"')) for raw in re.findall(r'data-qc-when="([^"]+)"', html)]
    assert {
        "match": "all",
        "conditions": [{"name": "forme_juridique", "op": "equals", "values": ["association"]}],
    } in rules
    assert "calls/call-conditions" in html and "<script>" not in html


def test_drafts_do_not_keep_answers_of_hidden_questions(client, call):
    html = client.get(call.url).content.decode()
    data = {
        **BASE,
        "qc_jeton": token(html),
        "forme_juridique": "Association",
        "numero_rna": "W751234567",
        "siret": "732 829 320 00074",
        "qc_action": "brouillon",
    }
    response = client.post(call.url, data)
    assert response.status_code == 303
    draft = Draft.objects.get(page=call)
    assert draft.data["numero_rna"] == "W751234567"
    assert "siret" not in draft.data


# --- A form in steps: a conditioned section's step is skipped ---------------------------------

STEPPED = [
    {"label": "Vous", "field_type": "section"},
    {"label": "Courriel", "field_type": "email", "purpose": "email"},
    LEGAL_FORM,
    {"label": "L'association", "field_type": "section", "conditions": "Forme juridique est Association"},
    {"label": "Numéro RNA", "field_type": "singleline"},
    {"label": "L'entreprise", "field_type": "section"},
    {"label": "SIRET", "field_type": "siret", "conditions": "Forme juridique n'est pas Association"},
    {"label": "Nombre de salariés", "field_type": "number", "required": False},
    {"label": "Fin", "field_type": "section"},
    {"label": "J'accepte", "field_type": "consent", "description": "Vos données servent à instruire."},
]


@pytest.fixture
def stepped(home_page):
    return make_call(CallIndexPageFactory(parent=home_page), fields=STEPPED, slug="appel-etapes", form_in_steps=True)


def post_step(client, call, number, action, answers):
    html = client.get(call.url + (f"?etape={number}" if number > 1 else "")).content.decode()
    data = {"qc_jeton": token(html), "qc_etape": str(number), **answers}
    if action:
        data["qc_action"] = action
    return client.post(call.url, data)


def test_steps_skip_the_section_of_an_association_for_a_company(client, stepped):
    response = post_step(client, stepped, 1, "suivant", {"courriel": "a@example.org", "forme_juridique": "Société"})
    assert response.status_code == 303 and response["Location"].endswith("?etape=3#candidater")
    html = client.get(stepped.url + "?etape=3").content.decode()
    assert "Étape 2 sur 3 : L&#x27;entreprise" in html
    assert "Numéro RNA" not in html and 'name="siret"' in html
    # Decided by an earlier step: no note, the question is simply asked.
    assert "À remplir si" not in html
    # « Précédent » goes back over the skipped step; a URL to it shows the next one.
    response = post_step(client, stepped, 3, "precedent", {"siret": "732 829 320 00074"})
    # (step redirects always name their step: ?etape=1 is the first one)
    assert response["Location"].endswith("?etape=1#candidater")
    assert "Étape 2 sur 3 : L&#x27;entreprise" in client.get(stepped.url + "?etape=2").content.decode()
    response = post_step(client, stepped, 3, "suivant", {"siret": "732 829 320 00074"})
    assert response["Location"].endswith("?etape=4#candidater")
    response = post_step(client, stepped, 4, None, {"jaccepte": "on"})
    assert response.status_code == 303, response.content.decode()[:3000]
    application = Application.objects.get(page=stepped)
    assert "numero_rna" not in application.form_data and application.form_data["siret"]["value"]


def test_steps_for_an_association_hide_the_siret_of_the_later_step(client, stepped):
    post_step(client, stepped, 1, "suivant", {"courriel": "a@example.org", "forme_juridique": "Association"})
    html = client.get(stepped.url + "?etape=2").content.decode()
    assert "Étape 2 sur 4 : L&#x27;association" in html
    post_step(client, stepped, 2, "suivant", {"numero_rna": "W751234567"})
    html = client.get(stepped.url + "?etape=3").content.decode()
    assert 'name="siret"' not in html and 'name="nombre_de_salaries"' in html
    # A crafted POST of that step cannot answer the hidden SIRET.
    post_step(client, stepped, 3, "suivant", {"siret": "732 829 320 00074", "nombre_de_salaries": "3"})
    assert "siret" not in Draft.objects.get(page=stepped).data
    response = post_step(client, stepped, 4, None, {"jaccepte": "on"})
    assert response.status_code == 303
    data = Application.objects.get(page=stepped).form_data
    assert data["numero_rna"]["value"] == "W751234567" and "siret" not in data


# --- The editor's side: conditions checked on save -------------------------------------------


def admin_data(fields):
    fields = [{"max_size_mb": "5", **field} for field in fields]
    return call_admin_post_data(fields, title="Appel conditionnel", slug="appel-conditionnel")


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        (
            "Statut est Association",
            "« Statut est Association » : commencez la ligne par le libellé exact d'une question placée plus haut "
            "dans le formulaire.",
        ),
        (
            "Forme juridique vaut Association",
            "« Forme juridique vaut Association » : après « Forme juridique », écrivez « est », « n'est pas » ou "
            "« contient », puis la réponse.",
        ),
        (
            "Forme juridique est Coopérative",
            "« Forme juridique est Coopérative » : « Coopérative » n'est pas une réponse possible à « Forme "
            "juridique » (« Association », « Société », « Entreprise individuelle »).",
        ),
        ("Forme juridique est", "« Forme juridique est » : indiquez la réponse attendue."),
        (
            "Numéro RNA contient W75",  # placed after: no cycle can be written
            "« Numéro RNA contient W75 » : commencez la ligne par le libellé exact d'une question placée plus haut "
            "dans le formulaire.",
        ),
    ],
)
def test_the_editor_gets_a_french_message_beside_a_wrong_condition(admin_client, home_page, conditions, message):
    index = CallIndexPageFactory(parent=home_page)
    fields = [
        {**LEGAL_FORM, "required": "on"},
        {"label": "SIRET", "field_type": "siret", "conditions": conditions},
        {"label": "Numéro RNA", "field_type": "singleline"},
    ]
    response = admin_client.post(f"/admin/pages/add/calls/callpage/{index.pk}/", admin_data(fields))
    assert response.status_code == 200
    field_forms = response.context["form"].formsets["form_fields"].forms
    assert field_forms[1].errors == {"conditions": [message]}
    assert not field_forms[0].errors and not field_forms[2].errors
    assert not CallPage.objects.filter(slug="appel-conditionnel").exists()


def test_the_editor_saves_conditions_on_fields_and_sections(admin_client, home_page):
    index = CallIndexPageFactory(parent=home_page)
    fields = [
        {**LEGAL_FORM, "required": "on"},
        {"label": "Association", "field_type": "section", "conditions": "forme juridique = association"},
        {"label": "Numéro RNA", "field_type": "singleline", "required": "on"},
        {
            "label": "SIRET",
            "field_type": "siret",
            "conditions": "Forme juridique est Société\nForme juridique est Entreprise individuelle",
            "condition_match": "any",
        },
    ]
    response = admin_client.post(f"/admin/pages/add/calls/callpage/{index.pk}/", admin_data(fields))
    assert response.status_code == 302, response.context["form"].formsets["form_fields"].errors
    siret = CallFormField.objects.get(page__slug="appel-conditionnel", label="SIRET")
    assert siret.condition_match == "any"
    form = CallPage.objects.get(slug="appel-conditionnel").get_form_class()({"forme_juridique": "Association"})
    form.is_valid()
    assert form.hidden_names == {"siret"} and "numero_rna" in form.errors


def test_a_question_that_cannot_decide_is_refused():
    file_field = CallFormField(label="Devanture", field_type="file", clean_name="devanture")
    with pytest.raises(ConditionError, match="ne peut pas décider"):
        parse("Devanture contient jpg", "all", [file_field])


@pytest.mark.parametrize("typed", ["Forme juridqiue est Association", "forme juridiqe n'est pas Société"])
def test_a_near_miss_label_gets_a_suggestion(typed):
    legal_form = CallFormField(label="Forme juridique", field_type="legal_form", clean_name="forme_juridique")
    with pytest.raises(ConditionError) as refused:
        parse(typed, "all", [legal_form])
    assert str(refused.value).endswith("Vouliez-vous dire « Forme juridique » ?")


def test_a_label_far_from_any_question_gets_no_suggestion():
    legal_form = CallFormField(label="Forme juridique", field_type="legal_form", clean_name="forme_juridique")
    with pytest.raises(ConditionError) as refused:
        parse("Statut est Association", "all", [legal_form])
    assert "Vouliez-vous dire" not in str(refused.value)
