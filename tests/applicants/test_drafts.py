"""Drafts: « Enregistrer et reprendre plus tard » keeps the answers and every accepted file
in the private storage, emails a link; the resumed draft shows its files (name, size) with a
way to remove or replace each; files that passed their checks survive a validation error;
sending turns the draft into an application (files moved, draft gone)."""

import pytest
from django.core import mail
from django.utils import timezone

from calls.models import Application, Attachment, Draft, DraftFile
from tests.applicants.conftest import RESUME_RE
from tests.calls.factories import exe_renamed_pdf, jpeg_file, make_call, pdf_file, valid_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(home_page):
    from tests.calls.factories import CallIndexPageFactory

    return make_call(CallIndexPageFactory(parent=home_page), slug="appel-ouvert", title="Appel ouvert")


def token_of(client, call):
    import re

    html = client.get(call.url).content.decode()
    return re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)


def save_draft(client, call, capture, **answers):
    data = {"qc_jeton": token_of(client, call), "qc_action": "brouillon", **answers}
    with capture(execute=True):
        return client.post(call.url, data)


def test_save_keeps_answers_and_files_and_emails_a_link(client, call, django_capture_on_commit_callbacks):
    response = save_draft(
        client,
        call,
        django_capture_on_commit_callbacks,
        courriel="awa@example.org",
        nom_du_commerce="Le Petit Zinc",
        photo_du_local=jpeg_file("devanture.jpg"),
    )
    assert response.status_code == 303
    draft = Draft.objects.get()
    assert draft.email == "awa@example.org" and draft.data["nom_du_commerce"] == "Le Petit Zinc"
    assert [f.display_name for f in draft.files.all()] == ["devanture.jpg"]
    assert Application.objects.count() == 0  # a draft is not an application
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert RESUME_RE.search(body)
    assert "ferment le" in body and "awa" not in RESUME_RE.search(body).group(0)
    # The same browser sees its answers and its file, with the confirmation at the top, once.
    assert response["Location"].endswith("#qc-brouillon-enregistre")
    html = client.get(response["Location"]).content.decode()
    assert 'value="Le Petit Zinc"' in html
    assert "Déjà joint : devanture.jpg" in html and "Retirer « devanture.jpg »" in html
    assert html.index('id="qc-brouillon-enregistre"') < html.index("<h1>")
    assert "envoyé à awa@example.org" in html and "Vous reprenez votre brouillon" not in html
    html = client.get(call.url).content.decode()
    assert "Vous reprenez votre brouillon" in html and 'id="qc-brouillon-enregistre"' not in html


def test_save_without_an_address_says_why(client, call, django_capture_on_commit_callbacks):
    response = save_draft(client, call, django_capture_on_commit_callbacks, nom_du_commerce="Le Petit Zinc")
    assert response.status_code == 400
    assert "le lien pour reprendre le brouillon y sera envoyé" in response.content.decode()
    assert not Draft.objects.exclude(email="").exists() and mail.outbox == []


def test_resume_from_the_emailed_link_in_another_browser_then_send(
    client, call, django_capture_on_commit_callbacks, django_user_model
):
    save_draft(
        client,
        call,
        django_capture_on_commit_callbacks,
        courriel="awa@example.org",
        photo_du_local=jpeg_file("devanture.jpg"),
    )
    path = RESUME_RE.search(mail.outbox[-1].body).group(1)
    other = client.__class__()
    assert "Ouvrir mon brouillon" in other.get(path).content.decode()  # a GET (mail scanner) changes nothing
    assert Draft.objects.get().email_confirmed_at is None
    response = other.post(path)
    assert response.status_code == 303 and response["Location"].startswith(call.url)
    html = other.get(call.url).content.decode()
    assert "Déjà joint : devanture.jpg" in html
    assert 'value="awa@example.org"' in html and "disabled" in html  # the address cannot change
    kept = DraftFile.objects.get()
    data = {**valid_answers(courriel="mallory@example.org"), "qc_jeton": token_of(other, call)}
    with django_capture_on_commit_callbacks(execute=True):
        response = other.post(call.url, data)
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.applicant_email == "awa@example.org"
    attachment = Attachment.objects.get()
    assert (attachment.field_key, attachment.file.name) == ("photo_du_local", kept.file.name)
    assert attachment.file.storage.exists(attachment.file.name)
    assert not Draft.objects.exists() and not DraftFile.objects.exists()


def test_files_that_passed_are_kept_after_an_error(client, call, django_capture_on_commit_callbacks):
    data = {
        **valid_answers(nom_du_commerce=""),
        "qc_jeton": token_of(client, call),
        "photo_du_local": jpeg_file("devanture.jpg"),
        "business_plan": exe_renamed_pdf(),
    }
    response = client.post(call.url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Déjà joint : devanture.jpg" in html and "Choisissez de nouveau : Business plan." in html
    # Fixed without choosing the photo again.
    data = {**valid_answers(), "qc_jeton": token_of(client, call), "business_plan": pdf_file()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(call.url, data)
    assert response.status_code == 303
    names = sorted(Attachment.objects.values_list("display_name", flat=True))
    assert names == ["business-plan.pdf", "devanture.jpg"]


def test_remove_and_replace_a_kept_file(client, call, django_capture_on_commit_callbacks, settings):
    save_draft(
        client,
        call,
        django_capture_on_commit_callbacks,
        courriel="awa@example.org",
        photo_du_local=jpeg_file("devanture.jpg"),
        business_plan=pdf_file("plan.pdf"),
    )
    photo = DraftFile.objects.get(display_name="devanture.jpg")
    plan = DraftFile.objects.get(display_name="plan.pdf")
    settings.APPLICANTS_LINK_MIN_INTERVAL = 0
    save_draft(
        client,
        call,
        django_capture_on_commit_callbacks,
        photo_du_local=jpeg_file("facade.jpg"),
        qc_retirer=str(plan.pk),
    )
    assert sorted(DraftFile.objects.values_list("display_name", flat=True)) == ["facade.jpg"]
    assert not photo.file.storage.exists(photo.file.name) and not plan.file.storage.exists(plan.file.name)


def test_another_applicants_draft_is_404(client, call, sign_in):
    Draft.objects.create(page=call, email="awa@example.org", email_confirmed_at=timezone.now())
    other_draft = Draft.objects.create(page=call, email="bilal@example.org", email_confirmed_at=timezone.now())
    sign_in()
    assert client.get(f"/espace-candidat/brouillons/{other_draft.pk}/").status_code == 404
    assert client.post(f"/espace-candidat/brouillons/{other_draft.pk}/supprimer/").status_code == 404
    assert Draft.objects.filter(pk=other_draft.pk).exists()
    html = client.get("/espace-candidat/").content.decode()
    assert "Mes brouillons" in html and f"/brouillons/{other_draft.pk}/" not in html


def test_own_draft_is_listed_and_can_be_deleted(client, call, sign_in, django_capture_on_commit_callbacks):
    draft = Draft.objects.create(page=call, email="awa@example.org", email_confirmed_at=timezone.now())
    sign_in()
    html = client.get("/espace-candidat/").content.decode()
    assert "Appel ouvert" in html and "Reprendre ce brouillon" in html
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/espace-candidat/brouillons/{draft.pk}/supprimer/").status_code == 303
    assert not Draft.objects.exists()


def test_drafts_are_purged_with_the_retention_command(call, settings):
    import datetime

    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.utils import timezone

    from calls.attachments.storage import private_storage

    name = private_storage().save("applications/test/brouillon.jpg", ContentFile(b"x"))
    live = Draft.objects.create(page=call, email="awa@example.org")
    ended = Draft.objects.create(page=call, email="bilal@example.org")
    DraftFile.objects.create(
        draft=ended, field_key="photo_du_local", file=name, display_name="a.jpg", content_type="image/jpeg", size=1
    )
    type(call).objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(days=1))
    call_command("purge_applications", "--dry-run")
    assert Draft.objects.count() == 2
    with __import__("django.test", fromlist=["TestCase"]).TestCase.captureOnCommitCallbacks(execute=True):
        call_command("purge_applications")
    assert not Draft.objects.exists() and not private_storage().exists(name)
    assert live.pk and ended.pk


def test_remind_drafts_emails_each_owner_once(call, django_capture_on_commit_callbacks):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    type(call).objects.filter(pk=call.pk).update(closes_at=timezone.now() + datetime.timedelta(days=2))
    due = Draft.objects.create(page=call, email="awa@example.org", email_confirmed_at=timezone.now())
    Draft.objects.create(page=call, email="")  # no owner: nobody to remind
    Draft.objects.create(page=call, email="zoe@example.org")  # never confirmed: not written to
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_drafts", "--days", "1")
    assert mail.outbox == []  # closes in two days: not yet
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_drafts", "--days", "3")
        call_command("remind_drafts", "--days", "3")
    assert [m.to for m in mail.outbox] == [["awa@example.org"]]
    body = mail.outbox[0].body
    assert "ferment le" in body and RESUME_RE.search(body)
    from calls.drafts import draft_from_token

    assert draft_from_token(RESUME_RE.search(body).group(2)).pk == due.pk
    assert mail.outbox[0].subject.startswith("Rappel")


def test_the_call_page_lists_the_documents_to_prepare(client, call):
    html = client.get(call.url).content.decode()
    section = html.split("Les documents à préparer", 1)[1].split("</ul>", 1)[0]
    assert "Photo du local" in section and "Business plan" in section and "JPEG" in section
