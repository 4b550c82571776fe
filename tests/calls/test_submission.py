"""Applying to a call: window, storing, thank-you page, files, spam and double submission."""

import datetime
import os
import re

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from calls.models import Application, Attachment
from tests.calls.factories import exe_renamed_pdf, jpeg_file, make_call, pdf_file, valid_answers

pytestmark = pytest.mark.django_db


def private_files(settings):
    root = settings.PRIVATE_MEDIA_ROOT
    found = []
    for folder, _dirs, files in os.walk(root):
        found += [os.path.join(folder, name) for name in files]
    return found


def post(client, call, token, **data):
    payload = {**valid_answers(), "qc_jeton": token, **data}
    return client.post(call.url, {key: value for key, value in payload.items() if value is not None})


# --- the window ------------------------------------------------------------------------


def test_open_call_shows_the_form_with_its_dates(client, call):
    response = client.get(call.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Candidatures ouvertes jusqu'au" in html
    assert 'enctype="multipart/form-data"' in html
    assert "Envoyer ma candidature" in html
    assert "no-cache" in response["Cache-Control"]


def test_upcoming_call_says_when_it_opens_and_refuses_a_post(client, call_index, get_token):
    opening = timezone.now() + datetime.timedelta(days=10)
    call = make_call(call_index, opens_at=opening, closes_at=opening + datetime.timedelta(days=30))
    response = client.get(call.url)
    html = response.content.decode()
    assert "Les candidatures ouvriront le" in html
    assert '<form method="post" action="/appels/' not in html
    response = client.post(call.url, {**valid_answers(), "qc_jeton": "0" * 32})
    assert response.status_code == 403
    assert "Les candidatures ouvriront le" in response.content.decode()
    assert Application.objects.count() == 0


def test_closed_call_says_it_is_closed_and_stores_nothing(client, call_index):
    call = make_call(
        call_index,
        opens_at=timezone.now() - datetime.timedelta(days=60),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    html = client.get(call.url).content.decode()
    assert "Cet appel est clos depuis le" in html
    assert "Envoyer ma candidature" not in html
    response = client.post(call.url, {**valid_answers(), "qc_jeton": "0" * 32, "plan": pdf_file()})
    assert response.status_code == 403
    assert "Cet appel est clos" in response.content.decode()
    assert Application.objects.count() == 0


def test_closing_is_exclusive(call):
    assert call.state(call.closes_at - datetime.timedelta(seconds=1)) == "open"
    assert call.state(call.closes_at) == "closed"
    assert call.state(call.opens_at - datetime.timedelta(seconds=1)) == "upcoming"


# --- a valid submission ---------------------------------------------------------------------


def test_valid_submission_stores_one_application_and_shows_the_reference(client, call, get_token, settings):
    token = get_token(call)
    response = post(client, call, token, photo_du_local=jpeg_file(), business_plan=pdf_file())
    assert response.status_code == 303
    assert response["Location"] == call.url + "merci/"
    # No personal data in the thank-you URL.
    assert "awa" not in response["Location"].lower()

    application = Application.objects.get()
    assert re.fullmatch(r"QC-\d{4}-0001", application.reference)
    assert application.page == call
    assert application.applicant_name == "Awa Diallo"
    assert application.applicant_email == "awa@example.org"
    assert application.business_name == "Le Petit Zinc"
    assert application.town == "Aubervilliers"
    assert application.region == "ile-de-france"
    assert application.business_kind == "cafe"
    assert application.status == "recue"
    assert application.is_spam is False
    assert application.form_data["siret"]["value"] == "73282932000074"
    assert application.form_data["region"]["display"] == "Île-de-France"
    consent = application.form_data["jaccepte_le_traitement_de_mes_donnees"]
    assert consent["value"] is True
    assert "conservées deux ans" in consent["text"]

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    html = thanks.content.decode()
    assert application.reference in html
    assert "Le jury se réunit après la clôture." in html
    assert "no-cache" in thanks["Cache-Control"]


def test_thank_you_page_without_a_submission_goes_back_to_the_call(client, call):
    response = client.get(call.url + "merci/")
    assert response.status_code == 302
    assert response["Location"] == call.url


def test_attachments_are_stored_privately_under_a_uuid_key(client, call, get_token, settings):
    token = get_token(call)
    post(client, call, token, photo_du_local=jpeg_file("ma photo.jpg"), business_plan=pdf_file("plan 2026.pdf"))
    application = Application.objects.get()
    attachments = {a.field_key: a for a in application.attachments.all()}
    assert set(attachments) == {"photo_du_local", "business_plan"}
    photo, plan = attachments["photo_du_local"], attachments["business_plan"]
    assert photo.display_name == "ma photo.jpg"
    assert photo.content_type == "image/jpeg"
    assert plan.content_type == "application/pdf"
    for attachment in (photo, plan):
        assert re.search(r"[0-9a-f]{32}\.(jpg|pdf)$", attachment.file.name)
        assert "photo" not in attachment.file.name and "plan" not in attachment.file.name
        assert storages["private"].exists(attachment.file.name)
    stored = private_files(settings)
    assert len(stored) == 2
    assert all(path.startswith(settings.PRIVATE_MEDIA_ROOT) for path in stored)
    assert not any(path.startswith(settings.MEDIA_ROOT) for path in stored)


def test_deleting_an_application_deletes_its_files_after_commit(
    client, call, get_token, settings, django_capture_on_commit_callbacks
):
    post(client, call, get_token(call), business_plan=pdf_file())
    application = Application.objects.get()
    name = application.attachments.get().file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application.delete()
    assert storages["private"].exists(name)  # not before the commit
    for callback in callbacks:
        callback()
    assert not storages["private"].exists(name)
    assert Attachment.objects.count() == 0


# --- refused input ------------------------------------------------------------------------------


def test_refused_file_keeps_the_answers_and_stores_nothing(client, call, get_token, settings):
    token = get_token(call)
    response = post(
        client, call, token, projet="Mon projet détaillé", photo_du_local=jpeg_file(), business_plan=exe_renamed_pdf()
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert Application.objects.count() == 0
    # Only the photo, which passed its checks, is kept (the browser's draft, calls/drafts.py).
    assert len(private_files(settings)) == 1
    assert "<title>Erreur :" in html
    assert 'id="qc-error-summary"' in html
    assert 'href="#id_business_plan"' in html
    assert 'id="id_business_plan_error"' in html
    assert "Mon projet détaillé" in html  # the other answers are kept
    assert 'value="Le Petit Zinc"' in html
    # Only the refused file must be chosen again; the valid photo is shown as kept.
    assert "Choisissez de nouveau : Business plan." in html
    assert 'id="id_photo_du_local_reselect"' not in html
    assert "Déjà joint : devanture.jpg" in html


def test_missing_required_answers_get_french_messages_linked_from_the_summary(client, call, get_token):
    response = post(client, call, get_token(call), nom_du_commerce="", type_de_commerce=None)
    html = response.content.decode()
    assert "Il y a 2 erreurs dans le formulaire" in html
    assert 'href="#id_nom_du_commerce"' in html
    assert 'href="#id_type_de_commerce_0"' in html  # a radio group: its first radio
    assert "Ce champ est obligatoire." in html
    assert "Choisissez une réponse." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_nom_du_commerce_error"' in html
    assert Application.objects.count() == 0


def test_long_text_has_a_maximum_length(client, call, get_token):
    response = post(client, call, get_token(call), projet="x" * 5001)
    assert "Assurez-vous que cette valeur comporte au plus 5000 caractères" in response.content.decode().replace(
        "\u202f", " "
    ).replace("\xa0", " ")
    assert Application.objects.count() == 0


def test_applicant_text_is_escaped(client, call, get_token):
    token = get_token(call)
    post(client, call, token, nom_du_commerce="<script>alert(1)</script>", projet="x" * 5001)
    response = post(client, call, token, nom_du_commerce="<script>alert(1)</script>", projet="x" * 5001)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- atomicity ------------------------------------------------------------------------------------


class FailingSecondSave:
    """Wraps the private storage: the first save works, the second raises (a full disk, S3 down)."""

    def __init__(self, storage):
        self.storage = storage
        self.saves = 0

    def save(self, name, content, max_length=None):
        self.saves += 1
        if self.saves == 2:
            raise OSError("No space left on device")
        return self.storage.save(name, content, max_length=max_length)

    def __getattr__(self, name):
        return getattr(self.storage, name)


def test_storage_failure_leaves_no_application_and_no_file(client, call, get_token, settings, monkeypatch):
    failing = FailingSecondSave(storages["private"])
    monkeypatch.setattr("calls.attachments.storage.private_storage", lambda: failing)
    token = get_token(call)
    response = post(client, call, token, photo_du_local=jpeg_file(), business_plan=pdf_file())
    assert failing.saves == 2
    assert response.status_code == 503
    html = response.content.decode()
    assert "Votre candidature n'a pas pu être enregistrée" in html
    assert "Fichiers à choisir de nouveau : Photo du local, Business plan." in html
    assert Application.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert private_files(settings) == []  # the first file, written, was deleted
    # Trying again with the same form works.
    monkeypatch.undo()
    response = post(client, call, token, photo_du_local=jpeg_file(), business_plan=pdf_file())
    assert response.status_code == 303
    assert Application.objects.count() == 1
    assert len(private_files(settings)) == 2


# --- spam and double submission -------------------------------------------------------------------


def test_honeypot_stores_the_application_as_spam_and_thanks_normally(client, call, get_token, mailoutbox):
    response = post(client, call, get_token(call), qc_site_internet="http://spam.example")
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.is_spam is True
    assert application.spam_reason == "honeypot"
    assert application not in call.get_submissions()
    assert application.reference in client.get(response["Location"]).content.decode()
    assert mailoutbox == []


def test_double_submission_creates_one_application(client, call, get_token):
    token = get_token(call)
    first = post(client, call, token)
    second = post(client, call, token)
    assert first.status_code == second.status_code == 303
    assert Application.objects.count() == 1
    assert Application.objects.get().reference in client.get(second["Location"]).content.decode()


def test_reload_from_another_session_still_creates_one_application(client, call, get_token):
    from django.test import Client

    token = get_token(call)
    post(client, call, token)
    other = Client()
    response = other.post(call.url, {**valid_answers(), "qc_jeton": token})
    assert response.status_code == 303
    assert Application.objects.count() == 1


# --- CSRF and oversized requests ------------------------------------------------------------------


def test_missing_csrf_token_gets_the_french_403(call):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(call.url, valid_answers())
    assert response.status_code == 403
    assert "Votre formulaire n'a pas pu être envoyé" in response.content.decode()
    assert Application.objects.count() == 0


def test_request_over_the_upload_limit_gets_a_french_413(client, call, get_token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client, call, get_token(call), projet="x" * 2000)
    assert response.status_code == 413
    assert "Votre envoi est trop volumineux" in response.content.decode()
    assert Application.objects.count() == 0


def test_too_many_files_gets_a_french_400(client, call, get_token, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    response = post(client, call, get_token(call), photo_du_local=jpeg_file(), business_plan=pdf_file())
    assert response.status_code == 400
    assert "Votre envoi contient trop de fichiers" in response.content.decode()
    assert Application.objects.count() == 0


# --- labels renamed after applications arrived -----------------------------------------------------


def test_renaming_a_label_keeps_the_answers(client, call, get_token):
    post(client, call, get_token(call))
    field = call.form_fields.get(label="Nom du commerce")
    field.label = "Nom de votre établissement"
    field.save()
    call = type(call).objects.get(pk=call.pk)

    application = Application.objects.get()
    assert application.get_data()["nom_du_commerce"] == "Le Petit Zinc"
    assert ("nom_du_commerce", "Nom de votre établissement") in call.get_data_fields()
    # The stored answer keeps the label it was given under.
    assert application.form_data["nom_du_commerce"]["label"] == "Nom du commerce"
    # The form still posts under the same key, now with the new label.
    html = client.get(call.url).content.decode()
    assert 'name="nom_du_commerce"' in html
    assert "Nom de votre établissement" in html


# --- query counts ------------------------------------------------------------------------------------


def test_call_page_query_count_is_pinned(client, call, django_assert_max_num_queries):
    client.get(call.url)  # warm the site root cache
    with django_assert_max_num_queries(14):
        response = client.get(call.url)
    assert response.status_code == 200


def test_call_page_query_count_does_not_grow_with_fields(client, call_index, django_assert_max_num_queries):
    from tests.calls.factories import STANDARD_FIELDS

    big = make_call(call_index, fields=STANDARD_FIELDS + [{"label": f"Question {n}"} for n in range(30)])
    client.get(big.url)
    with django_assert_max_num_queries(14):
        response = client.get(big.url)
    assert "Question 29" in response.content.decode()


def test_file_skipped_by_the_upload_guard_is_reported_beside_its_field(client, call, get_token, settings):
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.middleware.csrf.CsrfViewMiddleware"), "calls.uploads.UploadGuardMiddleware"
    )
    settings.MIDDLEWARE = middleware
    settings.CALLS_MAX_UPLOAD_SIZE = 2048
    big_pdf = pdf_file()
    big_pdf.file.write(b"%" + b"x" * 4096 + b"\n")
    big_pdf.file.seek(0)
    response = post(client, call, get_token(call), business_plan=big_pdf)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_business_plan_error"' in html
    assert 'href="#id_business_plan"' in html
    assert 'id="id_business_plan_reselect"' in html
    assert Application.objects.count() == 0
