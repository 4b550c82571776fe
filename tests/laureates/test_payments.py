"""Payments in tranches: Decimal euros end to end, never beyond the award, a French refusal
that changes nothing, and a history entry per change."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from laureates.models import Payment, PaymentStatus
from laureates.services import change_payment, record_payment
from tests.laureates.factories import make_laureate

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 9, 1)


def test_tranches_are_recorded_as_decimals_with_their_history(moderator):
    laureate = make_laureate(amount_awarded=Decimal("12500.00"))
    first = record_payment(laureate, moderator, amount="7 500,50", planned_on=DAY, label="Premier versement")
    second = record_payment(laureate, moderator, amount=Decimal("4999.50"), planned_on=DAY, status="paye", paid_on=DAY)
    first.refresh_from_db()
    assert first.amount == Decimal("7500.50") and isinstance(first.amount, Decimal)
    assert second.status == PaymentStatus.PAYE
    entries = list(laureate.history.values_list("action", "user_name", "detail"))
    assert [action for action, _u, _d in entries] == ["Versement enregistré", "Versement enregistré"]
    assert entries[0][1] == "Mona Dupont" and "7\xa0500,50\xa0€" in entries[0][2]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-10", "négatif"),
        ("0", "supérieur à zéro"),
        ("douze mille", "Indiquez un montant en euros"),
        ("12,5,0", "Indiquez un montant en euros"),
        ("12500,01", "dépasserait le montant accordé"),
    ],
)
def test_a_bad_amount_is_refused_in_french_and_nothing_is_stored(moderator, amount, message):
    laureate = make_laureate(amount_awarded=Decimal("12500.00"))
    with pytest.raises(ValidationError) as refusal:
        record_payment(laureate, moderator, amount=amount, planned_on=DAY)
    assert message in " ".join(refusal.value.messages)
    assert not Payment.objects.exists() and not laureate.history.exists()


def test_the_tranches_together_never_exceed_the_award_but_cancelled_ones_do_not_count(moderator):
    laureate = make_laureate(amount_awarded=Decimal("10000.00"))
    first = record_payment(laureate, moderator, amount="6000", planned_on=DAY)
    with pytest.raises(ValidationError) as refusal:
        record_payment(laureate, moderator, amount="4000.01", planned_on=DAY)
    assert "il reste 4\xa0000,00\xa0€ à prévoir" in refusal.value.messages[0]
    change_payment(first, moderator, amount="6000", planned_on=DAY, label="", paid_on=None, status="annule")
    record_payment(laureate, moderator, amount="10000", planned_on=DAY)
    with pytest.raises(ValidationError, match="dépasserait"):
        change_payment(first, moderator, amount="6000", planned_on=DAY, label="", paid_on=None, status="prevu")
    first.refresh_from_db()
    assert first.status == PaymentStatus.ANNULE


def test_no_payment_without_an_award_and_a_paid_tranche_needs_its_date(moderator):
    with pytest.raises(ValidationError, match="montant accordé"):
        record_payment(make_laureate(amount_awarded=None), moderator, amount="100", planned_on=DAY)
    with pytest.raises(ValidationError, match="date du versement"):
        record_payment(make_laureate(), moderator, amount="100", planned_on=DAY, status="paye")
    assert not Payment.objects.exists()
