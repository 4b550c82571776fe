"""Repeatable sections of a call's form (calls/repeatable.py): « Partenaires » (0 to 3 entries)
and « Achats prévus » (1 to 4, with a total), added and removed with or without JavaScript,
bounds enforced on the server, stored as a list of entries."""

import re

import pytest
from wagtail.models import Page

from calls.models import Application, CallPage, Draft
from tests.calls.factories import CallIndexPageFactory, call_admin_post_data, make_call

pytestmark = pytest.mark.django_db

GROUP_FIELDS = [
    {"label": "Vous", "field_type": "section"},
    {"label": "Nom du commerce", "field_type": "singleline", "purpose": "organization"},
    {"label": "Courriel", "field_type": "email", "purpose": "email"},
    {
        "label": "Partenaires",
        "field_type": "section",
        "repeatable": True,
        "min_entries": 0,
        "max_entries": 3,
        "entry_label": "Partenaire",
    },
    {"label": "Nom", "field_type": "singleline"},
    {"label": "Rôle", "field_type": "singleline", "required": False},
    {
        "label": "Achats prévus",
        "field_type": "section",
        "repeatable": True,
        "min_entries": 1,
        "max_entries": 4,
        "entry_label": "Achat",
    },
    {"label": "Objet", "field_type": "singleline"},
    {"label": "Montant", "field_type": "number"},
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
    return make_call(
        CallIndexPageFactory(parent=home_page), fields=GROUP_FIELDS, slug="appel-groupes", form_in_steps=False
    )


def token(html):
    return re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)


def entries(key, rows):
    data = {f"{key}-nombre": str(len(rows))}
    for number, row in enumerate(rows, start=1):
        for field, value in row.items():
            data[f"{key}-{number}-{field}"] = value
    return data


def post(client, call, partners=(), purchases=({"objet": "Percolateur", "montant": "1200"},), **extra):
    html = client.get(call.url).content.decode()
    data = {"qc_jeton": token(html), **BASE, **entries("partenaires", partners), **entries("achats_prevus", purchases)}
    data.update(extra)
    return client.post(call.url, data)


def form_html(response):
    html = response.content.decode()
    start = html.find("data-call-form")
    return html[start : html.find("</form>", start)]


# --- The form as the applicant sees it -------------------------------------------------------


def test_each_entry_is_a_fieldset_with_numbered_legend_and_unique_names(client, call):
    html = form_html(client.get(call.url))
    assert '<legend class="qc-entry__title">Partenaire 1</legend>' in html
    assert '<legend class="qc-entry__title">Achat 1</legend>' in html
    for name in ("partenaires-1-nom", "partenaires-1-role", "achats_prevus-1-objet", "achats_prevus-1-montant"):
        assert f'name="{name}"' in html and f'for="id_{name}"' in html and f'id="id_{name}"' in html
    assert 'name="partenaires-nombre" value="1"' in html
    assert ">Ajouter un partenaire</button>" in html and ">Ajouter un achat</button>" in html
    # « Retirer » only where an entry can be removed (purchases: 1 at least).
    assert 'value="retirer:partenaires:1"' in html
    assert re.search(r'data-repeat-remove-holder hidden><button[^>]+value="retirer:achats_prevus:1"', html)
    # The <template> JavaScript copies: the same fields, numbered __n__.
    assert 'name="partenaires-__n__-nom"' in html and "Partenaire __n__" in html
    assert "<script" not in html  # no inline script: a static file under the CSP


def test_entries_are_stored_in_order_with_labels_and_totals(client, call):
    partners = [{"nom": "Asso A", "role": "Prêt"}, {"nom": "Asso B"}, {"nom": "Mairie"}]
    purchases = [{"objet": "Percolateur", "montant": "1 200,50"}, {"objet": "Tables", "montant": "800"}]
    response = post(client, call, partners=partners, purchases=purchases)
    assert response.status_code == 303
    answer = Application.objects.get().form_data
    assert [entry["nom"] for entry in answer["partenaires"]["value"]] == ["Asso A", "Asso B", "Mairie"]
    assert answer["partenaires"]["value"][1] == {"nom": "Asso B", "role": ""}
    assert answer["partenaires"]["fields"] == [
        {"key": "nom", "label": "Nom", "type": "singleline"},
        {"key": "role", "label": "Rôle", "type": "singleline"},
    ]
    assert answer["achats_prevus"]["value"] == [
        {"objet": "Percolateur", "montant": "1200.50"},
        {"objet": "Tables", "montant": "800"},
    ]
    assert answer["achats_prevus"]["totals"][0]["value"] == "2000.50"
    assert answer["achats_prevus"]["position"] < answer["jaccepte_le_traitement_de_mes_donnees"]["position"]


def test_zero_entries_when_the_minimum_is_zero_and_empty_trailing_entries_ignored(client, call):
    response = post(client, call, partners=[{"nom": "", "role": ""}])
    assert response.status_code == 303
    assert Application.objects.get().form_data["partenaires"]["value"] == []
    Application.objects.all().delete()
    response = post(
        client,
        call,
        purchases=[{"objet": "Four", "montant": "300"}, {"objet": "", "montant": ""}, {"objet": "", "montant": ""}],
    )
    assert response.status_code == 303
    assert Application.objects.get().form_data["achats_prevus"]["value"] == [{"objet": "Four", "montant": "300"}]


def test_at_the_maximum_and_a_forged_post_past_it(client, call):
    three = [{"nom": f"Asso {n}"} for n in range(1, 4)]
    assert post(client, call, partners=three).status_code == 303
    assert len(Application.objects.get().form_data["partenaires"]["value"]) == 3
    response = post(client, call, partners=[*three, {"nom": "Asso 4"}])
    assert response.status_code == 200 and Application.objects.count() == 1
    html = response.content.decode()
    assert "Vous pouvez indiquer 3 entrées « Partenaire » au maximum." in html
    assert 'href="#partenaires-entrees"' in html  # the summary leads to the section
    # A count far past the maximum builds no more fields than the cap.
    response = post(client, call, partners=[], **{"partenaires-nombre": "100000", "partenaires-90-nom": "x"})
    assert response.status_code == 200 and Application.objects.count() == 1


def test_under_the_minimum_is_refused(client, call):
    response = post(client, call, purchases=[])
    assert response.status_code == 200 and not Application.objects.exists()
    assert "Indiquez au moins 1 entrée(s) « Achat »." in response.content.decode()
    # The entry shown but left empty: its required fields are said.
    response = post(client, call, purchases=[{"objet": "", "montant": ""}])
    html = response.content.decode()
    assert response.status_code == 200 and not Application.objects.exists()
    assert 'id="id_achats_prevus-1-objet_error"' in html and 'href="#id_achats_prevus-1-objet"' in html


def test_required_fields_within_each_entry_present(client, call):
    response = post(client, call, partners=[{"nom": "Asso A"}, {"nom": "", "role": "Conseil"}])
    html = response.content.decode()
    assert response.status_code == 200 and not Application.objects.exists()
    assert "Partenaire 2 – Nom : Ce champ est obligatoire." in html
    assert 'aria-describedby="id_partenaires-2-nom_error"' in html
    # Answers are kept, in place.
    assert 'value="Asso A"' in html and 'value="Conseil"' in html


def test_add_without_javascript_renders_the_form_again_and_stores_nothing(client, call):
    response = post(client, call, partners=[{"nom": "Asso A"}], qc_action="ajouter:partenaires")
    assert response.status_code == 200 and not Application.objects.exists() and not Draft.objects.exists()
    html = form_html(response)
    assert 'name="partenaires-nombre" value="2"' in html and 'value="Asso A"' in html
    assert "Partenaire 2</legend>" in html
    assert re.search(r'name="partenaires-2-nom"[^>]*autofocus', html)
    assert "qc-error-summary" not in response.content.decode()  # an empty new entry is no error


def test_add_at_the_maximum_says_so(client, call):
    three = [{"nom": f"Asso {n}"} for n in range(1, 4)]
    response = post(client, call, partners=three, qc_action="ajouter:partenaires")
    html = response.content.decode()
    assert response.status_code == 200 and not Application.objects.exists()
    assert 'name="partenaires-nombre" value="3"' in html
    assert "Vous pouvez indiquer 3 entrées « Partenaire » au maximum." in html


def test_remove_in_the_middle_keeps_the_order_of_the_others(client, call):
    partners = [{"nom": "Asso A", "role": "1"}, {"nom": "Asso B", "role": "2"}, {"nom": "Asso C", "role": "3"}]
    response = post(client, call, partners=partners, qc_action="retirer:partenaires:2")
    assert response.status_code == 200 and not Application.objects.exists()
    html = form_html(response)
    assert 'name="partenaires-nombre" value="2"' in html and "Asso B" not in html
    assert re.search(r'name="partenaires-1-nom" value="Asso A"', html)
    assert re.search(r'name="partenaires-2-nom" value="Asso C"', html)
    assert re.search(r'name="partenaires-2-role" value="3"', html)
    assert 'name="partenaires-3-nom"' not in html
    # Sending that page stores A then C.
    data = {"qc_jeton": token(response.content.decode()), **BASE, **entries("partenaires", partners[::2])}
    data.update(entries("achats_prevus", [{"objet": "Four", "montant": "10"}]))
    assert client.post(call.url, data).status_code == 303
    assert [e["nom"] for e in Application.objects.get().form_data["partenaires"]["value"]] == ["Asso A", "Asso C"]


def test_the_minimum_cannot_be_removed(client, call):
    response = post(client, call, qc_action="retirer:achats_prevus:1")
    assert response.status_code == 200 and 'name="achats_prevus-nombre" value="1"' in response.content.decode()


def test_the_total_is_shown_on_render_again(client, call):
    purchases = [{"objet": "Percolateur", "montant": "1200"}, {"objet": "Tables", "montant": "800,50"}]
    response = post(client, call, purchases=purchases, qc_action="ajouter:achats_prevus")
    html = form_html(response)
    assert re.search(r'<output data-repeat-total="montant"[^>]*>2\s000,50</output>', html), html[-3000:]


def test_a_draft_keeps_the_entries(client, call):
    partners = [{"nom": "Asso A", "role": "Prêt"}, {"nom": "Asso B"}]
    response = post(client, call, partners=partners, qc_action="brouillon")
    assert response.status_code == 303
    draft = Draft.objects.get()
    assert [entry["nom"] for entry in draft.data["partenaires"]] == ["Asso A", "Asso B"]
    html = form_html(client.get(call.url))
    assert 'name="partenaires-nombre" value="2"' in html
    assert re.search(r'name="partenaires-2-nom" value="Asso B"', html)
    assert re.search(r'name="partenaires-1-role" value="Prêt"', html)


def test_confirmation_email_lists_the_entries(client, call, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, call, partners=[{"nom": "Asso A"}])
    body = mailoutbox[0].body
    assert "Partenaire 1 — Nom : Asso A" in body


def test_the_public_search_never_holds_entries(client, call):
    assert post(client, call, partners=[{"nom": "Zorglubienne"}]).status_code == 303
    assert not list(Page.objects.live().search("Zorglubienne"))
    assert list(Page.objects.live().search("Appel"))  # the index answers


# --- A form in steps: the repeatable section is a step ------------------------------------------


@pytest.fixture
def stepped_call(home_page):
    return make_call(
        CallIndexPageFactory(parent=home_page), fields=GROUP_FIELDS, slug="appel-groupes-etapes", form_in_steps=True
    )


def test_in_steps_a_repeatable_section_is_a_step(client, stepped_call):
    call = stepped_call
    html = client.get(call.url).content.decode()
    assert "Étape 1 sur 4" in html
    response = client.post(call.url, {"qc_jeton": token(html), "qc_etape": "1", "qc_action": "suivant", **BASE})
    assert response.status_code == 303
    html = client.get(response["Location"]).content.decode()
    assert "Étape 2 sur 4 : Partenaires" in html and 'name="partenaires-1-nom"' in html
    # Add without JavaScript within the step, then move on: the draft keeps the entries.
    data = {"qc_jeton": token(html), "qc_etape": "2", **entries("partenaires", [{"nom": "Asso A"}])}
    response = client.post(call.url, {**data, "qc_action": "ajouter:partenaires"})
    assert response.status_code == 200 and "Étape 2 sur 4" in response.content.decode()
    assert 'name="partenaires-nombre" value="2"' in response.content.decode()
    data.update(entries("partenaires", [{"nom": "Asso A"}, {"nom": "Asso B"}]))
    response = client.post(call.url, {**data, "qc_action": "suivant"})
    assert response.status_code == 303
    assert [e["nom"] for e in Draft.objects.get().data["partenaires"]] == ["Asso A", "Asso B"]
    html = client.get(response["Location"]).content.decode()
    assert "Étape 3 sur 4 : Achats prévus" in html
    data = {"qc_jeton": token(html), "qc_etape": "3", **entries("achats_prevus", [{"objet": "Four", "montant": "5"}])}
    response = client.post(call.url, {**data, "qc_action": "suivant"})
    html = client.get(response["Location"]).content.decode()
    data = {"qc_jeton": token(html), "qc_etape": "4", "jaccepte_le_traitement_de_mes_donnees": "on"}
    response = client.post(call.url, data)
    assert response.status_code == 303, response.content.decode()[:2000]
    stored = Application.objects.get().form_data
    assert [e["nom"] for e in stored["partenaires"]["value"]] == ["Asso A", "Asso B"]
    assert stored["achats_prevus"]["value"] == [{"objet": "Four", "montant": "5"}]


def test_in_steps_the_last_step_cannot_forge_another_steps_entries(client, stepped_call):
    call = stepped_call
    html = client.get(call.url).content.decode()
    client.post(call.url, {"qc_jeton": token(html), "qc_etape": "1", "qc_action": "suivant", **BASE})
    html = client.get(call.url + "?etape=4").content.decode()
    forged = entries("achats_prevus", [{"objet": "Four", "montant": "5"}])
    data = {"qc_jeton": token(html), "qc_etape": "4", "jaccepte_le_traitement_de_mes_donnees": "on", **forged}
    response = client.post(call.url, data)
    # The purchases step was never answered: the form goes back to it, nothing stored.
    assert response.status_code == 200 and not Application.objects.exists()
    assert "Étape 3 sur 4 : Achats prévus" in response.content.decode()


# --- The editor ------------------------------------------------------------------------------------


def group_admin_fields(**section):
    spec = {
        "label": "Partenaires",
        "field_type": "section",
        "repeatable": "on",
        "min_entries": "0",
        "max_entries": "5",
        "entry_label": "Partenaire",
        "max_size_mb": "5",
    }
    spec.update(section)
    return [
        {"label": "Nom du commerce", "field_type": "singleline", "required": "on", "max_size_mb": "5"},
        {key: value for key, value in spec.items() if value is not None},
        {"label": "Nom", "field_type": "singleline", "required": "on", "max_size_mb": "5"},
    ]


@pytest.fixture
def add_url(home_page):
    return f"/admin/pages/add/calls/callpage/{CallIndexPageFactory(parent=home_page).pk}/"


def test_the_editor_saves_a_repeatable_section(admin_client, add_url):
    response = admin_client.post(add_url, call_admin_post_data(group_admin_fields()))
    assert response.status_code == 302, response.content.decode()[:500]
    section = CallPage.objects.get(slug="appel-2031").form_fields.get(field_type="section")
    assert section.repeatable and (section.min_entries, section.max_entries) == (0, 5)
    assert section.entry_label == "Partenaire"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"min_entries": "6", "max_entries": "5"}, "Le minimum ne peut pas dépasser le maximum (5)."),
        ({"max_entries": "21"}, "20 entrées au maximum."),
        ({"entry_label": ""}, "Indiquez le nom d&#x27;une entrée"),
    ],
)
def test_the_editor_is_told_what_is_wrong_with_the_bounds(admin_client, add_url, section, message):
    response = admin_client.post(add_url, call_admin_post_data(group_admin_fields(**section)))
    assert response.status_code == 200 and message in response.content.decode()
    assert not CallPage.objects.filter(slug="appel-2031").exists()


def test_a_file_field_cannot_be_in_a_repeatable_section(admin_client, add_url):
    fields = group_admin_fields() + [
        {"label": "Devis", "field_type": "file", "allowed_kinds": ["pdf"], "max_size_mb": "5"},
    ]
    response = admin_client.post(add_url, call_admin_post_data(fields))
    html = response.content.decode()
    assert response.status_code == 200 and not CallPage.objects.filter(slug="appel-2031").exists()
    assert "Le champ « Devis » (Fichier(s) à joindre) ne peut pas faire partie de la section répétable" in html.replace(
        "&#x27;", "'"
    ).replace("&quot;", '"')
    # After a plain section, the same file field is accepted.
    fields.insert(3, {"label": "Pièces", "field_type": "section", "max_size_mb": "5"})
    response = admin_client.post(add_url, call_admin_post_data(fields))
    assert response.status_code == 302


def test_an_email_inside_a_repeatable_section_is_not_the_applicants(home_page):
    fields = [spec for spec in GROUP_FIELDS if spec["label"] != "Courriel"]
    fields.insert(4, {"label": "Courriel du partenaire", "field_type": "email"})
    call = make_call(CallIndexPageFactory(parent=home_page), fields=fields, slug="appel-sans-courriel")
    assert call.get_form_class().groups["partenaires"].member_keys == ["nom", "courriel_du_partenaire", "role"]
    assert "un champ « Courriel » pour écrire au candidat" in call.missing_for_opening()
