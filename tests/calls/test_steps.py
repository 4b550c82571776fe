"""A call's form in steps (``CallPage.form_in_steps``): each section of the form builder is
a step, validated on its own and saved as a draft when the applicant moves on; « Envoyer »
validates every step on the server, from the draft for the steps not posted."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calls.models import Application, Attachment, CallPage, Draft
from tests.calls.factories import STANDARD_FIELDS, CallIndexPageFactory, jpeg_file, make_call

pytestmark = pytest.mark.django_db

STEPPED_FIELDS = [
    {"label": "Votre commerce", "field_type": "section", "help_text": "Le lieu que vous tenez."},
    {"label": "Nom du commerce", "field_type": "singleline", "purpose": "organization"},
    {"label": "Photo du local", "field_type": "file", "allowed_kinds": ["jpeg", "png"]},
    {"label": "Vous", "field_type": "section"},
    {"label": "Nom et prénom", "field_type": "singleline", "purpose": "name"},
    {"label": "Courriel", "field_type": "email", "purpose": "email"},
    {"label": "Téléphone", "field_type": "tel", "purpose": "tel", "required": False},
    {"label": "Votre projet", "field_type": "section"},
    {"label": "Projet", "field_type": "multiline"},
    {"label": "Budget", "field_type": "number", "required": False},
    {
        "label": "J'accepte le traitement de mes données",
        "field_type": "consent",
        "description": "Vos données servent à instruire votre candidature.",
    },
]

STEP_1 = {"nom_du_commerce": "Le Petit Zinc"}
STEP_2 = {"nom_et_prenom": "Awa Diallo", "courriel": "awa@example.org", "telephone": "06 12 34 56 78"}
STEP_3 = {"projet": "Un café avec des ordinateurs.", "budget": "15000", "jaccepte_le_traitement_de_mes_donnees": "on"}


@pytest.fixture
def call(home_page):
    return make_call(
        CallIndexPageFactory(parent=home_page), fields=STEPPED_FIELDS, slug="appel-etapes", form_in_steps=True
    )


def token(html):
    return re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)


def post_step(client, call, number, action, answers, url=None):
    html = client.get(url or (call.url + (f"?etape={number}" if number > 1 else ""))).content.decode()
    data = {"qc_jeton": token(html), "qc_etape": str(number), **answers}
    if action:
        data["qc_action"] = action
    return client.post(call.url, data)


def test_the_first_step_shows_its_fields_the_progress_and_the_closing_date(client, call):
    html = client.get(call.url).content.decode()
    assert "Étape 1 sur 3 : Votre commerce" in html
    assert '<progress class="qc-steps__bar" max="3" value="1"' in html
    assert 'aria-current="step"' in html and '<li class="qc-steps__item">Vous</li>' in html
    assert 'name="nom_du_commerce"' in html and 'name="nom_et_prenom"' not in html
    assert "Les documents à préparer" in html  # before the first step
    assert "Candidatures ouvertes jusqu'au" in html.split('id="qc-step"', 1)[1]
    assert 'value="suivant"' in html and 'value="precedent"' not in html
    assert "Envoyer ma candidature" not in html and "Enregistrer et reprendre plus tard" in html
    assert "<script>" not in html and " style=" not in html.split('id="qc-step"', 1)[1]


def test_next_validates_only_the_step_and_keeps_the_accepted_file(client, call):
    response = post_step(client, call, 1, "suivant", {"photo_du_local": jpeg_file("devanture.jpg")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Étape 1 sur 3" in html
    assert "Nom du commerce : Ce champ est obligatoire." in html
    assert "Nom et prénom" not in html  # the errors of later steps wait for their step
    assert "Il y a 1 erreur dans le formulaire" in html
    # The photo passed its checks: kept in the browser's draft, never asked again.
    assert "Déjà joint : devanture.jpg" in html
    draft = Draft.objects.get()
    assert [f.display_name for f in draft.files.all()] == ["devanture.jpg"] and draft.email == ""


def test_next_and_previous_save_the_draft_at_each_step(client, call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(client, call, 1, "suivant", {**STEP_1, "photo_du_local": jpeg_file("devanture.jpg")})
    assert response.status_code == 303 and response["Location"].endswith("?etape=2#candidater")
    draft = Draft.objects.get()
    assert draft.data["nom_du_commerce"] == "Le Petit Zinc" and draft.files.count() == 1

    html = client.get(call.url + "?etape=2").content.decode()
    assert "Étape 2 sur 3 : Vous" in html and 'value="precedent"' in html
    assert 'name="nom_du_commerce"' not in html and "Les documents à préparer" not in html
    assert "Candidatures ouvertes jusqu'au" in html.split('id="qc-step"', 1)[1]

    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(client, call, 2, "precedent", {"nom_et_prenom": "Awa Diallo"})
    assert response.status_code == 303 and response["Location"].endswith("?etape=1#candidater")
    draft.refresh_from_db()
    assert draft.data["nom_et_prenom"] == "Awa Diallo" and draft.data["nom_du_commerce"] == "Le Petit Zinc"
    # Going back keeps the answers and the file of step 1.
    html = client.get(response["Location"]).content.decode()
    assert "Étape 1 sur 3" in html and 'value="Le Petit Zinc"' in html and "Déjà joint : devanture.jpg" in html
    # Moving on never emails; without an address answered, the draft has no owner.
    assert mail.outbox == [] and Draft.objects.get().email == ""


def test_the_whole_journey_ends_with_a_reference_and_the_file_of_step_1(
    client, call, django_capture_on_commit_callbacks
):
    post_step(client, call, 1, "suivant", {**STEP_1, "photo_du_local": jpeg_file("devanture.jpg")})
    assert post_step(client, call, 2, "suivant", STEP_2).status_code == 303
    html = client.get(call.url + "?etape=3").content.decode()
    # The last step leads to the recap (calls/recap.py), where « Envoyer » is.
    assert "Étape 3 sur 3" in html and "Vérifier mes réponses" in html and 'value="suivant"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(client, call, 3, None, STEP_3)
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.form_data["nom_du_commerce"]["value"] == "Le Petit Zinc"
    assert application.form_data["nom_et_prenom"]["value"] == "Awa Diallo"
    assert application.applicant_email == "awa@example.org"
    assert [a.display_name for a in Attachment.objects.filter(application=application)] == ["devanture.jpg"]
    assert not Draft.objects.exists()
    assert re.search(r"QC-\d{4}-\d{4}", client.get(response["Location"]).content.decode())


def test_a_forged_final_post_cannot_skip_an_earlier_required_answer(client, call):
    post_step(client, call, 1, "suivant", {**STEP_1, "photo_du_local": jpeg_file("devanture.jpg")})
    # Straight to « Envoyer » on step 3, step 2 never answered; the POST also carries step 2's
    # name: another step's field is read from the draft, never from the POST.
    response = post_step(client, call, 3, None, {**STEP_3, "nom_et_prenom": "Forgé"}, url=call.url + "?etape=3")
    assert response.status_code == 200
    assert not Application.objects.exists()
    html = response.content.decode()
    assert "Étape 2 sur 3 : Vous" in html
    assert "Nom et prénom : Ce champ est obligatoire." in html and 'value="Forgé"' not in html
    # The answers of step 3 were kept for when the applicant comes back to it.
    assert Draft.objects.get().data["projet"] == "Un café avec des ordinateurs."


def test_a_forged_final_post_without_the_required_file_of_step_1(client, call):
    post_step(client, call, 1, "suivant", STEP_1)  # refused: the photo is required
    response = post_step(client, call, 3, None, {**STEP_1, **STEP_2, **STEP_3}, url=call.url + "?etape=3")
    assert response.status_code == 200 and not Application.objects.exists()
    html = response.content.decode()
    assert "Étape 1 sur 3" in html and "Photo du local" in html.split("qc-error-summary", 1)[1]


def test_a_double_click_on_the_last_step_stores_one_application(client, call, django_capture_on_commit_callbacks):
    post_step(client, call, 1, "suivant", {**STEP_1, "photo_du_local": jpeg_file()})
    post_step(client, call, 2, "suivant", STEP_2)
    html = client.get(call.url + "?etape=3").content.decode()
    data = {"qc_jeton": token(html), "qc_etape": "3", **STEP_3}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(call.url, data)
    second = client.post(call.url, data)
    assert first.status_code == 303 and Application.objects.count() == 1
    assert second.status_code in (200, 303) and Application.objects.count() == 1


def test_save_for_later_before_the_address_step_asks_for_it_right_there(
    client, call, django_capture_on_commit_callbacks
):
    # Step 1 half filled (its required name left empty): saving never validates the step.
    response = post_step(client, call, 1, "brouillon", {"photo_du_local": jpeg_file("devanture.jpg")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "erreur" not in html.split("<h1>", 1)[0] and "qc-error-summary" not in html
    assert "Étape 1 sur 3" in html
    box = html.split('id="qc-brouillon-adresse"', 1)[1].split("</div>", 1)[0]
    assert 'name="qc_brouillon_courriel"' in box and "autofocus" in box and 'form="qc-call-form"' in box
    assert html.index('id="qc-brouillon-adresse"') < html.index("<h1>")
    # Nothing lost meanwhile: the browser's draft keeps the answers and the file; nobody emailed.
    draft = Draft.objects.get()
    assert draft.email == "" and draft.files.count() == 1 and mail.outbox == []
    # An address that is not one: asked again, nothing sent.
    data = {"qc_jeton": token(html), "qc_etape": "1", "qc_action": "brouillon", "qc_brouillon_courriel": "awa@"}
    response = client.post(call.url, {**data, **STEP_1})
    assert response.status_code == 400 and "adresse électronique valide" in response.content.decode()
    assert mail.outbox == [] and Draft.objects.get().email == ""
    # The address given there: saved (step 1's answers with it), the link emailed, and the
    # address becomes the answer to step 2's question.
    data["qc_brouillon_courriel"] = " Awa@Example.org "
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(call.url, {**data, **STEP_1})
    assert response.status_code == 303 and response["Location"].endswith("?etape=1#qc-brouillon-enregistre")
    draft = Draft.objects.get()
    assert draft.email == "awa@example.org" and not draft.email_provisional
    assert draft.data["nom_du_commerce"] == "Le Petit Zinc" and draft.data["courriel"] == "awa@example.org"
    assert [m.to for m in mail.outbox] == [["awa@example.org"]]
    html = client.get(response["Location"]).content.decode()
    assert "Brouillon enregistré" in html and "Vous reprenez votre brouillon" not in html
    assert html.index('id="qc-brouillon-enregistre"') < html.index("<h1>")
    html = client.get(call.url + "?etape=2").content.decode()
    assert 'value="awa@example.org"' in html


def test_save_for_later_on_the_address_step_emails_the_link_and_comes_back_to_it(
    client, call, django_capture_on_commit_callbacks
):
    post_step(client, call, 1, "suivant", {**STEP_1, "photo_du_local": jpeg_file()})
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(client, call, 2, "brouillon", STEP_2)
    assert response.status_code == 303 and response["Location"].endswith("?etape=2#qc-brouillon-enregistre")
    assert Draft.objects.get().email == "awa@example.org" and len(mail.outbox) == 1
    html = client.get(response["Location"]).content.decode()
    assert "Étape 2 sur 3" in html and "Brouillon enregistré" in html
    assert "Vous reprenez votre brouillon" in client.get(response["Location"]).content.decode()


def test_moving_on_with_an_address_keeps_the_draft_for_that_address_without_locking_it(
    client, call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_step(client, call, 1, "suivant", {**STEP_1, "photo_du_local": jpeg_file("devanture.jpg")})
        assert post_step(client, call, 2, "suivant", {**STEP_2, "courriel": "awa@exemple.org"}).status_code == 303
    draft = Draft.objects.get()
    # The applicant can come back from the space (it lists the drafts of that address), but
    # nobody was emailed and the address is not fixed: a typo can still be corrected.
    assert draft.email == "awa@exemple.org" and draft.email_provisional and mail.outbox == []
    html = client.get(call.url + "?etape=2").content.decode()
    assert 'name="courriel"' in html and "disabled" not in html.split('name="courriel"', 1)[1].split(">", 1)[0]
    assert "Vous reprenez votre brouillon" not in html
    with django_capture_on_commit_callbacks(execute=True):
        assert post_step(client, call, 2, "suivant", STEP_2).status_code == 303
    draft.refresh_from_db()
    assert draft.email == "awa@example.org" and draft.email_provisional and mail.outbox == []
    # « Enregistrer et reprendre plus tard » fixes it and emails the link.
    with django_capture_on_commit_callbacks(execute=True):
        assert post_step(client, call, 3, "brouillon", {"projet": "Un café."}).status_code == 303
    draft.refresh_from_db()
    assert draft.email == "awa@example.org" and not draft.email_provisional and len(mail.outbox) == 1
    assert draft.data["projet"] == "Un café." and draft.files.count() == 1


def test_going_back_with_the_address_emptied_leaves_no_owner(client, call):
    post_step(client, call, 1, "suivant", STEP_1 | {"photo_du_local": jpeg_file()})
    post_step(client, call, 2, "suivant", STEP_2)
    assert Draft.objects.get().email == "awa@example.org"
    post_step(client, call, 2, "precedent", {**STEP_2, "courriel": ""})
    assert Draft.objects.get().email == "" and not Draft.objects.get().email_provisional


def test_a_resumed_draft_opens_on_its_first_incomplete_step(client, call):
    post_step(client, call, 1, "suivant", {**STEP_1, "photo_du_local": jpeg_file("devanture.jpg")})
    post_step(client, call, 2, "suivant", STEP_2)
    # The call's page without a step number: the first step still to complete, not step 1.
    html = client.get(call.url).content.decode()
    assert "Étape 3 sur 3 : Votre projet" in html and 'value="precedent"' in html
    assert "Nom et prénom : Ce champ est obligatoire." not in html and "qc-error-summary" not in html
    # The applicant can still go back; the photo already given is not called optional.
    html = client.get(call.url + "?etape=1").content.decode()
    assert "Étape 1 sur 3" in html and "Déjà joint : devanture.jpg" in html
    label = html.split('for="id_photo_du_local"', 1)[1].split("</label>", 1)[0]
    assert "Photo du local" in label and "facultatif" not in label
    # An answer missing on step 2 (a draft saved before the step was complete).
    draft = Draft.objects.get()
    draft.data = {**draft.data, "nom_et_prenom": ""}
    draft.save()
    assert "Étape 2 sur 3 : Vous" in client.get(call.url).content.decode()
    # The photo of step 1 removed: step 1 is the first incomplete one again.
    draft.files.all().delete()
    assert "Étape 1 sur 3 : Votre commerce" in client.get(call.url).content.decode()


def test_a_complete_draft_opens_on_the_last_step(client, call):
    post_step(client, call, 1, "suivant", {**STEP_1, "photo_du_local": jpeg_file()})
    post_step(client, call, 2, "suivant", STEP_2)
    post_step(client, call, 3, "precedent", STEP_3)
    html = client.get(call.url).content.decode()
    assert "Étape 3 sur 3" in html and "Vérifier mes réponses" in html


def test_the_step_heading_is_the_legend_of_its_fieldset(client, call):
    html = client.get(call.url + "?etape=2").content.decode()
    step = html.split('id="qc-step"', 1)[1]
    # One heading, which names the group of the step's fields; the section's title is not repeated.
    assert re.search(
        r'<fieldset class="qc-section qc-step"[^>]*>\s*<legend class="qc-step__legend"><h3 class="qc-steps__title" '
        r'id="qc-step-title" tabindex="-1">Étape 2 sur 3 : Vous</h3></legend>',
        step,
    )
    assert step.count("<legend") == 1 and step.count("<h3") == 1
    assert step.count("<fieldset") == 1
    # The documents to prepare come before the first step, outside its fieldset.
    first = client.get(call.url + "?etape=1").content.decode().split('id="qc-step"', 1)[1]
    assert first.index("Les documents à préparer") < first.index('<fieldset class="qc-section qc-step"')


def test_an_out_of_range_step_is_clamped(client, call):
    assert "Étape 3 sur 3" in client.get(call.url + "?etape=42").content.decode()
    assert "Étape 1 sur 3" in client.get(call.url + "?etape=abc").content.decode()


def test_a_new_call_is_in_steps_by_default():
    assert CallPage(title="Appel").form_in_steps is True


def test_a_form_with_one_section_or_not_in_steps_stays_one_page(client, home_page):
    index = CallIndexPageFactory(parent=home_page)
    one_section = make_call(index, fields=STANDARD_FIELDS, slug="une-section", form_in_steps=True)
    not_in_steps = make_call(index, fields=STEPPED_FIELDS, slug="sans-etapes", form_in_steps=False)
    for page in (one_section, not_in_steps):
        html = client.get(page.url).content.decode()
        assert "Étape" not in html and 'name="qc_etape"' not in html and 'value="suivant"' not in html
        assert "Envoyer ma candidature" in html and 'name="nom_et_prenom"' in html
    html = client.get(not_in_steps.url).content.decode()
    assert 'name="nom_du_commerce"' in html and 'name="projet"' in html  # every section on one page


def test_query_count_of_a_step_page_is_that_of_the_one_page_form(client, call, home_page):
    one_page = make_call(
        CallIndexPageFactory(parent=home_page, slug="autres"), fields=STEPPED_FIELDS, slug="un", form_in_steps=False
    )
    for page in (call, one_page):
        client.post(
            page.url,
            {
                "qc_jeton": token(client.get(page.url).content.decode()),
                **STEP_1,
                "qc_etape": "1",
                "qc_action": "suivant",
                "photo_du_local": jpeg_file(),
            },
        )
    client.get(one_page.url)  # the session is saved: the next GETs do not write it
    client.get(call.url + "?etape=2")
    # Compared in the same state of the site's caches (warm or cold depends on the tests
    # that ran before in the process), and bounded.
    with CaptureQueriesContext(connection) as one_page_queries:
        assert client.get(one_page.url).status_code == 200
    with CaptureQueriesContext(connection) as step_queries:
        assert client.get(call.url + "?etape=2").status_code == 200
    # A draft resumed on its first incomplete step: checked from what is already loaded.
    with CaptureQueriesContext(connection) as resume_queries:
        assert "Étape 2 sur 3" in client.get(call.url).content.decode()
    assert len(step_queries) == len(one_page_queries) == len(resume_queries) <= QUERIES


QUERIES = 16
