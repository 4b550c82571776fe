"""The demo's example applications and laureates: every state, reviews and scores, three
announced laureates followed up, loaded by the real services and only once."""

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from calls.models import Application, CallPage, Status
from laureates.models import Laureate, LaureateHistoryEntry, Milestone, MilestoneStatus, Payment, PaymentStatus
from moderation.models import Decision, HistoryEntry, Review

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Counter(Application.objects.values_list("status", flat=True)),
        Review.objects.count(),
        Decision.objects.count(),
        HistoryEntry.objects.count(),
        Laureate.objects.count(),
        Payment.objects.count(),
        Milestone.objects.filter(status=MilestoneStatus.FAIT).count(),
        LaureateHistoryEntry.objects.count(),
        get_user_model().objects.count(),
    )


def test_the_demo_loads_applications_in_every_state_and_laureates_once(client):
    call_command("load_demo_content", stdout=io.StringIO())
    before = snapshot()
    call_command("load_demo_content", stdout=io.StringIO())
    assert snapshot() == before

    open_call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    example_call = CallPage.objects.get(slug="appel-2025-exemple")
    statuses = Counter(Application.objects.filter(page=open_call).values_list("status", flat=True))
    assert sum(statuses.values()) == 30
    assert statuses == {
        Status.RECUE: 6,
        Status.EN_INSTRUCTION: 12,
        Status.INFORMATIONS_DEMANDEES: 3,
        Status.PRESELECTIONNEE: 8,
        Status.RETIREE: 1,
    }
    # Staged, not announced: three « lauréate » with an amount, two « non retenue ».
    staged = Decision.objects.filter(application__page=open_call, announced_at__isnull=True)
    assert Counter(staged.values_list("outcome", flat=True)) == {"laureate": 3, "non_retenue": 2}
    assert all(amount and amount > 0 for amount in staged.filter(outcome="laureate").values_list("amount", flat=True))
    # Reviewed by the example reviewers, with weighted scores.
    scored = Review.objects.filter(application__page=open_call, weighted_score__isnull=False)
    assert scored.values("application").distinct().count() == 15
    # The request for information is in the history, with its message.
    request = HistoryEntry.objects.filter(to_status=Status.INFORMATIONS_DEMANDEES).first()
    assert request is not None and "budget détaillé" in request.comment
    # Every example reads as one; the address answered and checked against the QPV data.
    for application in Application.objects.all():
        assert application.business_name.startswith("Exemple — ")
        assert application.applicant_email.endswith("@example.org")
        assert application.commune_code and application.region and application.qpv_method
        assert application.form_data["adresse"]["display"]
    assert len({application.region for application in Application.objects.all()}) >= 8
    assert Application.objects.exclude(qpv_code="").exists()

    # The example closed call: three laureates announced by the real path, followed up.
    laureates = Laureate.objects.filter(call=example_call)
    assert laureates.count() == 3
    assert Counter(Application.objects.filter(page=example_call).values_list("status", flat=True)) == {
        Status.LAUREATE: 3,
        Status.NON_RETENUE: 2,
    }
    for laureate in laureates:
        assert laureate.application_id and laureate.amount_awarded > 0
        payments = {payment.status for payment in laureate.payments.all()}
        assert payments == {PaymentStatus.PAYE, PaymentStatus.PREVU}
        assert sum(payment.amount for payment in laureate.payments.all()) == laureate.amount_awarded
        assert laureate.milestones.count() == 4 and laureate.coaching_areas.exists() and laureate.notes.exists()
    done = Milestone.objects.filter(laureate__call=example_call, status=MilestoneStatus.FAIT)
    assert done.count() == 4 and all(milestone.done_text for milestone in done)
    # The 2020 edition keeps its three hand-made records.
    assert Laureate.objects.filter(edition=2020, application__isnull=True).count() == 3


def test_the_demo_pages_answer_for_the_superuser(client, django_user_model):
    call_command("load_demo_content", stdout=io.StringIO())
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    open_call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    application = Application.objects.filter(page=open_call, status=Status.PRESELECTIONNEE).first()
    laureate = Laureate.objects.filter(call__slug="appel-2025-exemple").first()
    for url in (
        reverse("moderation:queue"),
        reverse("moderation:ranking", args=[open_call.pk]),
        reverse("moderation:announce", args=[open_call.pk]),
        reverse("moderation:application", args=[application.pk]),
        reverse("laureates:index"),
        reverse("laureates:inspect", args=[laureate.pk]),
        reverse("laureates_reports:index"),
        reverse("wagtailadmin_home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Exemple — " in client.get(reverse("moderation:queue")).content.decode()
