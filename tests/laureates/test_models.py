import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from laureates.models import AppendOnlyError, CoachingArea, Laureate, LaureateHistoryEntry

pytestmark = pytest.mark.django_db


def test_coaching_areas_are_seeded():
    assert list(CoachingArea.objects.values_list("name", flat=True)) == [
        "Communication",
        "Recherche de financement",
        "Partenariats locaux",
        "Levée des freins à l'ouverture",
    ]


def test_moderators_hold_the_laureates_permissions_and_reviewers_none():
    moderators = set(Group.objects.get(name="Modérateurs").permissions.values_list("codename", flat=True))
    assert {"view_laureate", "add_payment", "record_payments", "erase_laureate_contacts"} <= moderators
    # A laureate leaves the network and a payment is cancelled: neither is deleted with its history.
    assert not {"delete_laureate", "delete_payment"} & moderators
    reviewers = Group.objects.get(name="Évaluateurs").permissions.filter(content_type__app_label="laureates")
    assert not reviewers.exists()


def test_members_and_for_email():
    kept = Laureate.objects.create(
        edition=2020, business_name="A", town="Lyon", region="auvergne-rhone-alpes", contact_email="Ana@Example.org"
    )
    gone = Laureate.objects.create(
        edition=2020, business_name="B", town="Lyon", region="auvergne-rhone-alpes", contact_email="ana@example.org"
    )
    Laureate.objects.filter(pk=gone.pk).update(left_at=timezone.now())
    assert list(Laureate.objects.members()) == [kept]
    assert list(Laureate.objects.for_email(" ana@EXAMPLE.org")) == [kept]
    assert not Laureate.objects.for_email("").exists()


def test_history_is_append_only():
    laureate = Laureate.objects.create(edition=2020, business_name="A", town="Lyon", region="auvergne-rhone-alpes")
    entry = LaureateHistoryEntry.objects.create(laureate=laureate, action="Création")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
