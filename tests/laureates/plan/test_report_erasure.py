"""Erasing a laureate's contact data (the retention purge and the erasure by hand) erases the
personal data of its reports too: every answer but the figures the form marks to keep, the
report files (rows and stored files), the file names in the history. The report rows stay with
their date, so the sponsor's report still counts them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from calls.attachments.storage import private_storage
from laureates.models import LaureateHistoryEntry, Report, ReportFile, ReportFormField
from laureates.report import sponsor_report
from laureates.retention import erase_contact
from tests.calls.samples import image_bytes, upload
from tests.laureates.plan.fixtures import REPORT_FIELDS, make_report_form

pytestmark = pytest.mark.django_db

KEPT = {"Chiffre d'affaires du semestre", "Emplois créés", "Embauche prévue"}


@pytest.fixture
def marked_form(plan_call):
    fields = [{**spec, "kept_after_erasure": spec["label"] in KEPT} for spec in REPORT_FIELDS]
    return make_report_form(plan_call, fields=fields)


def send(client, sign_in, laureate, report_form):
    sign_in(laureate.contact_email)
    response = client.post(
        f"/espace-candidat/laureat/{laureate.pk}/bilans/{report_form.pk}/",
        {
            "chiffre_daffaires_du_semestre": "12 000",
            "emplois_crees": "2",
            "embauche_prevue": "oui",
            "poste_envisage": "Serveuse, ma cousine Awa Diallo",
            "photos_du_commerce": [upload("awa-devant-le-cafe.png", image_bytes("PNG"))],
        },
    )
    assert response.status_code == 303
    return Report.objects.get(laureate=laureate, report_form=report_form)


def assert_report_erased(report, stored_name):
    sent_at = report.sent_at
    report.refresh_from_db()
    assert report.sent_at == sent_at  # the fact and the date stay
    assert set(report.answers) == {"chiffre_daffaires_du_semestre", "emplois_crees", "embauche_prevue"}
    assert report.answers["chiffre_daffaires_du_semestre"]["value"] == "12000.00"
    assert "Awa" not in str(report.answers) and "awa-devant" not in str(report.answers)
    assert not ReportFile.objects.exists() and not private_storage().exists(stored_name)
    sent_entry = LaureateHistoryEntry.objects.get(laureate=report.laureate, action__startswith="Bilan envoyé")
    assert sent_entry.detail == ""  # the name the laureate gave their file is gone
    erased = LaureateHistoryEntry.objects.filter(laureate=report.laureate, action="Coordonnées effacées").get()
    assert "Bilans : 1 gardé(s)" in erased.detail and "1 fichier(s) supprimé(s)" in erased.detail
    assert "awa" not in erased.detail.lower()
    assert sponsor_report(report.report_form.call).reports_sent == 1


def test_the_purge_erases_the_reports_personal_data(
    settings, client, sign_in, awa_laureate, marked_form, django_capture_on_commit_callbacks
):
    report = send(client, sign_in, awa_laureate, marked_form)
    stored_name = ReportFile.objects.get().file.name
    assert private_storage().exists(stored_name)
    settings.LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING = 12
    awa_laureate.left_at = timezone.now() - datetime.timedelta(days=31 * 13)
    awa_laureate.save(update_fields=["left_at"])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_laureate_contacts")
    assert_report_erased(report, stored_name)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_laureate_contacts")  # again: nothing more
    assert LaureateHistoryEntry.objects.filter(action="Coordonnées effacées").count() == 1


def test_the_erasure_by_hand_erases_the_reports_personal_data(
    client, sign_in, awa_laureate, marked_form, moderator, django_capture_on_commit_callbacks
):
    report = send(client, sign_in, awa_laureate, marked_form)
    stored_name = ReportFile.objects.get().file.name
    client.force_login(moderator)
    confirm = client.get(f"/admin/laureats/{awa_laureate.pk}/effacer-coordonnees/").content.decode()
    assert "fichiers joints aux bilans sont effacés" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/admin/laureats/{awa_laureate.pk}/effacer-coordonnees/").status_code == 302
    assert_report_erased(report, stored_name)
    page = client.get(f"/admin/laureats/inspect/{awa_laureate.pk}/").content.decode()
    assert "ont été effacés avec les coordonnées" in page and "awa-devant" not in page


def test_a_form_without_marks_keeps_only_the_fact_and_the_date(
    client, sign_in, awa_laureate, report_form, django_capture_on_commit_callbacks
):
    send(client, sign_in, awa_laureate, report_form)
    with django_capture_on_commit_callbacks(execute=True):
        assert erase_contact(awa_laureate)
    report = Report.objects.get()
    assert report.answers == {} and report.sent_at and not ReportFile.objects.exists()


@pytest.mark.parametrize("field_type", ["singleline", "multiline", "email", "tel", "address", "iban", "siret"])
def test_only_figures_may_be_kept(report_form, field_type):
    field = ReportFormField(
        report_form=report_form, label="Votre nom", field_type=field_type, kept_after_erasure=True, sort_order=9
    )
    with pytest.raises(ValidationError) as refused:
        field.full_clean(exclude=["report_form"])
    assert "peut contenir des données personnelles" in str(refused.value.message_dict["kept_after_erasure"])
    for allowed in ("number", "amount", "yes_no"):
        ReportFormField(
            report_form=report_form, label="Chiffre", field_type=allowed, kept_after_erasure=True, sort_order=9
        ).full_clean(exclude=["report_form"])
