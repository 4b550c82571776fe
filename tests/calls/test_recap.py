"""The recap before « Envoyer » on a form in steps: « Vérifier mes réponses » on the last step
shows every answer and file name as they will be sent, with « Modifier » per step; its
« Envoyer » sends exactly that (from the draft); an incomplete draft opens its step to do."""

import pytest

from calls.models import Application, Draft
from tests.calls.factories import CallIndexPageFactory, jpeg_file, make_call
from tests.calls.test_steps import STEP_1, STEP_2, STEP_3, STEPPED_FIELDS, post_step, token

pytestmark = pytest.mark.django_db

RECAP = "?etape=recapitulatif#candidater"


@pytest.fixture
def call(home_page):
    return make_call(
        CallIndexPageFactory(parent=home_page), fields=STEPPED_FIELDS, slug="appel-etapes", form_in_steps=True
    )


def fill(client, call):
    assert (
        post_step(client, call, 1, "suivant", {**STEP_1, "photo_du_local": jpeg_file("devanture.jpg")}).status_code
        == 303
    )
    assert post_step(client, call, 2, "suivant", STEP_2).status_code == 303


def test_the_last_step_leads_to_the_recap_which_sends(client, call, django_capture_on_commit_callbacks):
    fill(client, call)
    html = client.get(call.url + "?etape=3").content.decode()
    assert 'value="recapitulatif"' in html and "Vérifier mes réponses" in html
    assert "Envoyer ma candidature" not in html
    response = post_step(client, call, 3, "recapitulatif", STEP_3)
    assert response.status_code == 303 and response["Location"].endswith(RECAP)
    assert not Application.objects.exists()

    html = client.get(response["Location"]).content.decode()
    assert "Vérifiez vos réponses avant d" in html
    for text in ("Le Petit Zinc", "devanture.jpg", "Awa Diallo", "awa@example.org", "Un café avec des ordinateurs."):
        assert text in html, text
    for number, title in ((1, "Votre commerce"), (2, "Vous"), (3, "Votre projet")):
        assert f'href="{call.url}?etape={number}#candidater">Modifier<span class="visually-hidden"> : {title}' in html
    # The recap posts no answer: only its token and its step.
    form = html.split('<form method="post"', 1)[1].split("</form>", 1)[0]
    assert 'name="qc_etape" value="recapitulatif"' in form and 'name="nom_du_commerce"' not in form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(call.url, {"qc_jeton": token(html), "qc_etape": "recapitulatif"})
    assert response.status_code == 303 and response["Location"].endswith("merci/")
    application = Application.objects.get()
    assert application.form_data["nom_du_commerce"]["value"] == "Le Petit Zinc"
    assert [a.display_name for a in application.attachments.all()] == ["devanture.jpg"]
    assert not Draft.objects.exists()


def test_modifier_opens_the_step_with_its_answers(client, call):
    fill(client, call)
    post_step(client, call, 3, "recapitulatif", STEP_3)
    html = client.get(call.url + "?etape=2").content.decode()
    assert "Étape 2 sur 3 : Vous" in html and 'value="Awa Diallo"' in html


def test_an_error_on_the_last_step_stays_there(client, call):
    fill(client, call)
    response = post_step(client, call, 3, "recapitulatif", {**STEP_3, "projet": ""})
    assert response.status_code == 200 and "Étape 3 sur 3" in response.content.decode()
    assert "Vérifiez vos réponses" not in response.content.decode()


def test_an_incomplete_draft_opens_its_step_to_do_instead_of_the_recap(client, call):
    post_step(client, call, 1, "suivant", {**STEP_1, "photo_du_local": jpeg_file()})
    html = client.get(call.url + RECAP).content.decode()
    assert "Vérifiez vos réponses" not in html and "Étape 2 sur 3 : Vous" in html


def test_without_a_draft_the_recap_is_the_first_step(client, call):
    html = client.get(call.url + RECAP).content.decode()
    assert "Vérifiez vos réponses" not in html and "Étape 1 sur 3" in html
    response = client.post(call.url, {"qc_jeton": token(html), "qc_etape": "recapitulatif"})
    assert response.status_code == 200 and not Application.objects.exists()
