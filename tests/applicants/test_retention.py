"""An applicant's sign-in account lives as long as an application or a draft holds its
address: erasure (one application, or the retention purge) forgets the address."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from applicants.models import ApplicantAccount
from calls.models import Draft
from moderation import rgpd
from tests.moderation.factories import ApplicationFactory


def test_erasing_the_only_application_forgets_the_account(awa_application, other_application):
    ApplicantAccount.objects.create(email="awa@example.org")
    ApplicantAccount.objects.create(email="bilal@example.org")
    rgpd.erase(awa_application, reason="Demande du candidat.")
    # Awa's application held the address (typed « Awa@Example.org »): nothing holds it now.
    assert list(ApplicantAccount.objects.values_list("email", flat=True)) == ["bilal@example.org"]


def test_an_address_still_held_by_another_application_or_a_draft_keeps_its_account(closed_call, awa_application):
    ApplicationFactory(page=closed_call, applicant_email="awa@example.org")
    Draft.objects.create(page=closed_call, email="zoe@example.org")
    ApplicantAccount.objects.create(email="awa@example.org")
    ApplicantAccount.objects.create(email="zoe@example.org")
    rgpd.erase(awa_application)
    assert set(ApplicantAccount.objects.values_list("email", flat=True)) == {"awa@example.org", "zoe@example.org"}


def test_the_retention_purge_forgets_the_accounts_of_purged_drafts(closed_call, other_application):
    Draft.objects.create(page=closed_call, email="zoe@example.org")
    ApplicantAccount.objects.create(email="zoe@example.org")
    ApplicantAccount.objects.create(email="bilal@example.org")
    type(closed_call).objects.filter(pk=closed_call.pk).update(closes_at=timezone.now() - datetime.timedelta(days=1))
    call_command("purge_applications", "--dry-run")
    assert ApplicantAccount.objects.count() == 2  # a dry run changes nothing
    call_command("purge_applications")
    assert not Draft.objects.exists()
    # Bilal's application is within its retention period: his account stays.
    assert list(ApplicantAccount.objects.values_list("email", flat=True)) == ["bilal@example.org"]
