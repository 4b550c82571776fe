"""A call's per-field size limit never exceeds the server's upload cap (CALLS_MAX_UPLOAD_SIZE):
the admin refuses a larger value and says what the cap is, and applicants are never promised
more than the cap, whatever an older field still holds."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from calls.models import CallFormField, CallPage
from tests.calls.factories import call_admin_post_data, make_call

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
NBSP = "\N{NO-BREAK SPACE}"


@pytest.fixture(autouse=True)
def _cap_of_10_mb(settings):
    settings.CALLS_MAX_UPLOAD_SIZE = 10 * MB


def file_field(call, **options):
    return CallFormField(page=call, label="Pièce", field_type="file", allowed_kinds=["pdf"], **options)


# --- The admin: clean() and what the editor reads ----------------------------------------------


def test_a_limit_above_the_cap_is_refused_with_the_cap_in_french(call):
    with pytest.raises(ValidationError) as excinfo:
        file_field(call, max_size_mb=20).full_clean()
    assert excinfo.value.message_dict["max_size_mb"] == [
        f"10{NBSP}Mo au maximum : c'est la limite du serveur pour un fichier."
    ]


def test_the_cap_itself_is_accepted(call):
    file_field(call, max_size_mb=10).full_clean()


def test_the_ceiling_is_the_setting_not_a_fixed_number(call, settings):
    settings.CALLS_MAX_UPLOAD_SIZE = 30 * MB
    file_field(call, max_size_mb=25).full_clean()
    settings.CALLS_MAX_UPLOAD_SIZE = 4 * MB
    with pytest.raises(ValidationError):
        file_field(call, max_size_mb=5).full_clean()


def test_fields_that_take_no_file_are_not_held_to_the_cap(call, settings):
    # Every field has the default size (5); a lowered cap must not block saving the others.
    settings.CALLS_MAX_UPLOAD_SIZE = 4 * MB
    CallFormField(page=call, label="Nom", field_type="singleline", max_size_mb=5).full_clean()


def admin_post_data(max_size_mb):
    field = {"label": "Business plan", "field_type": "file", "required": "on", "max_size_mb": max_size_mb}
    return call_admin_post_data(
        [{**field, "allowed_kinds": ["pdf"]}], title="Appel à candidatures 2032", slug="appel-2032"
    )


def test_the_admin_refuses_20_mb_beside_the_field_and_accepts_10(admin_client, call_index):
    url = f"/admin/pages/add/calls/callpage/{call_index.pk}/"
    response = admin_client.post(url, admin_post_data("20"))
    assert response.status_code == 200
    [field_form] = response.context["form"].formsets["form_fields"].forms
    assert field_form.errors["max_size_mb"] == [f"10{NBSP}Mo au maximum : c'est la limite du serveur pour un fichier."]
    assert not CallPage.objects.filter(slug="appel-2032").exists()

    response = admin_client.post(url, admin_post_data("10"))
    assert response.status_code == 302
    assert CallPage.objects.get(slug="appel-2032").form_fields.get().max_size_mb == 10


def test_the_admin_help_text_states_the_current_cap(admin_client, call, settings):
    url = f"/admin/pages/{call.pk}/edit/"
    assert f"10{NBSP}Mo au maximum (limite du serveur)." in admin_client.get(url).content.decode()
    settings.CALLS_MAX_UPLOAD_SIZE = 5 * MB
    html = admin_client.get(url).content.decode()
    assert f"5{NBSP}Mo au maximum (limite du serveur)." in html
    assert f"10{NBSP}Mo au maximum" not in html


# --- The public form: never more than the cap ---------------------------------------------------

OLD_FIELD = {"label": "Dossier", "field_type": "file", "allowed_kinds": ["pdf"], "max_size_mb": 20}


def test_the_public_form_never_shows_more_than_the_cap(client, call_index):
    # Saved without clean(), as a field set before the cap was lowered would be.
    call = make_call(call_index, fields=[OLD_FIELD], slug="ancien-appel")
    html = client.get(call.url).content.decode()
    assert f"Taille maximale : 10{NBSP}Mo par fichier." in html
    assert f"20{NBSP}Mo" not in html


def test_the_public_form_keeps_a_limit_below_the_cap(client, call_index):
    call = make_call(call_index, fields=[{**OLD_FIELD, "max_size_mb": 3}], slug="petit-appel")
    assert f"Taille maximale : 3{NBSP}Mo par fichier." in client.get(call.url).content.decode()


def test_the_form_checks_files_against_the_cap_too(call_index, settings):
    settings.CALLS_MAX_UPLOAD_SIZE = 1 * MB
    call = make_call(call_index, fields=[{**OLD_FIELD, "max_size_mb": 5}], slug="appel-plafonne")
    big = SimpleUploadedFile("dossier.pdf", b"%PDF-1.7\n" + b"x" * (3 * MB // 2), "application/pdf")
    form = call.get_form_class()({}, MultiValueDict({"dossier": [big]}))
    assert not form.is_valid()
    [message] = form.errors["dossier"]
    assert f"au-delà de la limite de 1{NBSP}Mo" in message
    assert message.endswith(f"Format accepté : PDF, 1{NBSP}Mo au maximum.")
