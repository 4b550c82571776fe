import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from calls.attachments.storage import private_storage
from calls.models import Attachment, Status
from moderation import rgpd
from moderation.models import Decision, HistoryEntry, Review
from moderation.reviews import assign, save_review
from tests.moderation.factories import ApplicationFactory, add_attachment, make_call

pytestmark = pytest.mark.django_db


def test_months_before():
    moment = datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)
    assert rgpd.months_before(moment, 1) == datetime.datetime(2026, 2, 28, 12, tzinfo=datetime.UTC)
    assert rgpd.months_before(moment, 24) == datetime.datetime(2024, 3, 31, 12, tzinfo=datetime.UTC)
    assert rgpd.months_before(moment, 3).month == 12 and rgpd.months_before(moment, 3).year == 2025


def test_erase_keeps_anonymous_statistics_only(call, moderator, reviewer, django_capture_on_commit_callbacks):
    application = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION, region="occitanie")
    attachment = add_attachment(application)
    stored = attachment.file.name
    assign(application, reviewer, moderator)
    save_review(
        application,
        reviewer,
        conflict_of_interest=False,
        scores={},
        recommendation="oui",
        comment="Awa connaît le quartier.",
    )
    HistoryEntry.objects.create(
        application=application, kind=HistoryEntry.Kind.APPLICANT_ANSWER, comment="Awa : voici le bail signé."
    )
    HistoryEntry.objects.create(
        application=application, kind=HistoryEntry.Kind.EMAIL_SENT, comment="Courriel envoyé à awa@example.org."
    )
    Decision.objects.create(application=application, outcome=Status.LAUREATE, email_to="awa@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        files = rgpd.erase(application, moderator, reason="Demande écrite du 3 mai")
    assert files == 1
    # The history keeps its entries, not what the applicant wrote nor their address.
    kept = application.history.filter(kind__in=(HistoryEntry.Kind.APPLICANT_ANSWER, HistoryEntry.Kind.EMAIL_SENT))
    assert list(kept.values_list("comment", flat=True)) == ["", ""]
    assert Decision.objects.get().email_to == ""
    application.refresh_from_db()
    assert (application.applicant_name, application.applicant_email, application.business_name, application.town) == (
        "",
    ) * 4
    assert application.form_data == {}
    assert (application.page_id, application.region, application.business_kind, application.status) == (
        call.pk,
        "occitanie",
        "cafe",
        Status.EN_INSTRUCTION,
    )
    assert not Attachment.objects.exists() and not private_storage().exists(stored)
    assert Review.objects.get().comment == ""
    entry = application.history.get(kind=HistoryEntry.Kind.ERASURE)
    assert entry.user == moderator and entry.comment == "Demande écrite du 3 mai"
    everything = json.dumps(list(HistoryEntry.objects.values()), default=str) + application.search_entry.text
    assert "Awa" not in everything and "awa@example.org" not in everything and "Petit Zinc" not in everything
    assert rgpd.is_erased(application)


def test_purge_respects_the_retention_periods(call_index, settings, capsys):
    settings.CALLS_RETENTION_MONTHS = 24
    settings.CALLS_RETENTION_MONTHS_NOT_SELECTED = 6
    now = timezone.now()
    old = make_call(
        call_index, closes_at=now - datetime.timedelta(days=800), opens_at=now - datetime.timedelta(days=900)
    )
    recent = make_call(
        call_index, closes_at=now - datetime.timedelta(days=300), opens_at=now - datetime.timedelta(days=400)
    )
    fresh = make_call(
        call_index, closes_at=now - datetime.timedelta(days=30), opens_at=now - datetime.timedelta(days=90)
    )
    old_laureate = ApplicationFactory(page=old, status=Status.LAUREATE, region="grand-est")
    recent_laureate = ApplicationFactory(page=recent, status=Status.LAUREATE)
    recent_rejected = ApplicationFactory(page=recent, status=Status.NON_RETENUE)
    recent_spam = ApplicationFactory(page=recent, is_spam=True)
    fresh_rejected = ApplicationFactory(page=fresh, status=Status.NON_RETENUE)
    add_attachment(recent_rejected)

    call_command("purge_applications", "--dry-run")
    out = capsys.readouterr().out
    for application in (old_laureate, recent_rejected, recent_spam):
        assert application.reference in out
    for application in (recent_laureate, fresh_rejected):
        assert application.reference not in out
    assert "3 candidature(s) à effacer" in out
    assert not HistoryEntry.objects.filter(kind=HistoryEntry.Kind.ERASURE).exists()
    assert type(old_laureate).objects.get(pk=old_laureate.pk).applicant_name == "Awa Diallo"

    call_command("purge_applications")
    assert "3 candidature(s) effacée(s), 1 fichier(s)" in capsys.readouterr().out
    erased = set(HistoryEntry.objects.filter(kind=HistoryEntry.Kind.ERASURE).values_list("application_id", flat=True))
    assert erased == {old_laureate.pk, recent_rejected.pk, recent_spam.pk}
    old_laureate.refresh_from_db()
    assert (
        old_laureate.applicant_name == "" and old_laureate.region == "grand-est" and old_laureate.status == "laureate"
    )
    stats = rgpd.anonymous_statistics()
    assert sum(row["count"] for row in stats) == 5
    # A second run finds nothing more.
    call_command("purge_applications")
    assert "0 candidature(s) effacée(s)" in capsys.readouterr().out


def test_applicant_data_export_and_erasure_from_the_admin(client, call, moderator):
    application = ApplicationFactory(page=call, files=["plan.pdf"])
    add_attachment(application, display_name="plan.pdf")
    client.force_login(moderator)
    response = client.post(reverse("moderation:applicant_data", args=[application.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="candidature-{application.reference}.json"'
    data = response.json()
    assert data["courriel"] == "awa@example.org"
    assert {"question": "Quartier", "reponse": "Villette - Quatre-Chemins"} in data["reponses"]
    assert data["pieces_jointes"][0]["nom"] == "plan.pdf"
    assert application.history.filter(kind=HistoryEntry.Kind.DATA_EXPORT).exists()

    url = reverse("moderation:erase", args=[application.pk])
    assert "Effacer définitivement" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Demande du candidat"}, follow=True)
    html = response.content.decode()
    assert "Données personnelles de la candidature" in html
    assert "Awa Diallo" not in html and "Villette" not in html
    assert "Effacement des données personnelles" in html  # in the history
