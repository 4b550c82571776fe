"""Contact data kept while a laureate is in the network and for a set time after it leaves,
then erased with a history entry; the application's purge leaves the record alone."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from calls.models import Status
from laureates.models import Laureate
from laureates.retention import due_for_contact_erasure
from moderation import rgpd
from moderation.announce import announce
from moderation.workflow import stage_decision
from tests.laureates.factories import make_laureate
from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def left(months_ago, **fields):
    laureate = make_laureate(**fields)
    laureate.left_at = timezone.now() - datetime.timedelta(days=31 * months_ago)
    laureate.save(update_fields=["left_at"])
    return laureate


def test_the_purge_erases_contacts_after_the_set_months_only(settings, capsys):
    settings.LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING = 12
    old = left(13, business_name="Ancien")
    recent = left(11, business_name="Récent")
    member = make_laureate(business_name="Membre")
    assert list(due_for_contact_erasure()) == [old]
    call_command("purge_laureate_contacts", "--dry-run")
    assert "1 lauréat(s)" in capsys.readouterr().out
    assert Laureate.objects.get(pk=old.pk).contact_email == "awa@example.org"
    call_command("purge_laureate_contacts")
    call_command("purge_laureate_contacts")  # run again: nothing twice
    old.refresh_from_db()
    assert (old.contact_name, old.contact_email, old.contact_phone, old.address) == ("", "", "", "")
    assert old.contact_erased_at is not None
    assert (old.business_name, old.town, old.amount_awarded) == ("Ancien", "Aubervilliers", Decimal("12500.00"))
    entry = old.history.get()
    assert entry.action == "Coordonnées effacées" and "12 mois" in entry.detail and "awa@" not in entry.detail
    for kept in (recent, member):
        kept.refresh_from_db()
        assert kept.contact_email == "awa@example.org" and not kept.history.exists()


def test_the_application_purge_keeps_the_laureate_record(call, moderator):
    application = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE, business_name="Le Petit Zinc")
    stage_decision(application, Status.LAUREATE, moderator, amount=Decimal("9000"))
    announce(call, moderator)
    rgpd.erase(application, user=moderator)
    laureate = Laureate.objects.get()
    assert (laureate.business_name, laureate.contact_email, laureate.amount_awarded) == (
        "Le Petit Zinc",
        "awa@example.org",
        Decimal("9000.00"),
    )
    application.delete()
    laureate.refresh_from_db()
    assert laureate.application is None and laureate.business_name == "Le Petit Zinc"
