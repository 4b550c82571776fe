"""The call's envelope, the amount on the staged « lauréate » decision (prefilled from
« Aide demandée », above the remainder only when confirmed) and the money panel."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from calls.models import CallPage, Status
from laureates.dashboard import per_call, per_region
from laureates.models import PaymentStatus
from laureates.services import record_payment
from moderation.award import requested_amount
from moderation.models import Decision
from moderation.workflow import stage_decision
from tests.laureates.factories import make_laureate
from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 9, 1)


def with_request(application, value):
    application.form_data["aide_demandee"] = {
        "label": "Aide demandée",
        "type": "amount",
        "value": value,
        "display": value,
        "position": 99,
    }
    application.save()
    return application


@pytest.fixture
def funded_call(call):
    CallPage.objects.filter(pk=call.pk).update(envelope=Decimal("20000"))
    call.refresh_from_db()
    return call


def stage_url(application):
    return reverse("moderation:transition", args=[application.pk])


def test_the_staging_form_is_prefilled_with_the_request_and_shows_the_remainder(client, moderator, funded_call):
    other = ApplicationFactory(page=funded_call, status=Status.PRESELECTIONNEE)
    stage_decision(other, Status.LAUREATE, moderator, amount=Decimal("15000"))
    application = with_request(ApplicationFactory(page=funded_call, status=Status.PRESELECTIONNEE), "7500.50")
    assert requested_amount(application) == Decimal("7500.50")
    client.force_login(moderator)
    html = client.get(reverse("moderation:application", args=[application.pk])).content.decode()
    assert 'name="amount" value="7500.50"' in html
    assert "il en reste 5\xa0000,00\xa0€" in html


def test_an_amount_above_the_remainder_needs_the_confirmation(client, moderator, funded_call):
    application = with_request(ApplicationFactory(page=funded_call, status=Status.PRESELECTIONNEE), "25000")
    client.force_login(moderator)
    data = {"status": Status.LAUREATE, "amount": "25 000"}
    html = client.post(stage_url(application), data, follow=True).content.decode()
    assert "dépasse ce qui reste de l&#x27;enveloppe" in html
    assert not Decision.objects.exists()
    client.post(stage_url(application), {**data, "over_envelope": "1"})
    assert Decision.objects.get().amount == Decimal("25000.00")


@pytest.mark.parametrize("typed", ["-5", "beaucoup"])
def test_a_negative_or_non_numeric_amount_is_refused_and_nothing_is_staged(client, moderator, funded_call, typed):
    application = ApplicationFactory(page=funded_call, status=Status.PRESELECTIONNEE)
    client.force_login(moderator)
    html = client.post(stage_url(application), {"status": Status.LAUREATE, "amount": typed}, follow=True)
    assert "montant" in html.content.decode()
    assert not Decision.objects.exists() and not application.history.exists()


def test_the_money_panel_per_call_and_per_region(client, moderator, funded_call, django_assert_max_num_queries):
    a = make_laureate(call=funded_call, amount_awarded=Decimal("8000"), region="ile-de-france")
    b = make_laureate(call=funded_call, amount_awarded=Decimal("4000"), region="occitanie")
    make_laureate(edition=2020, amount_awarded=None, region="occitanie")
    record_payment(a, moderator, amount="3000", planned_on=DAY, status=PaymentStatus.PAYE, paid_on=DAY)
    record_payment(a, moderator, amount="5000", planned_on=DAY)
    record_payment(b, moderator, amount="1000.50", planned_on=DAY, status=PaymentStatus.PAYE, paid_on=DAY)
    with django_assert_max_num_queries(6):
        calls = per_call()
        regions = per_region()
    row = calls[0]
    assert (row["envelope"], row["committed"], row["paid"], row["remaining"], row["laureates"]) == (
        Decimal("20000.00"),
        Decimal("12000.00"),
        Decimal("4000.50"),
        Decimal("8000.00"),
        2,
    )
    assert calls[1]["title"].startswith("Édition 2020") and calls[1]["envelope"] is None
    assert [(r["label"], r["committed"], r["paid"]) for r in regions] == [
        ("Île-de-France", Decimal("8000.00"), Decimal("3000.00")),
        ("Occitanie", Decimal("4000.00"), Decimal("1000.50")),
    ]
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Lauréats : enveloppes et versements" in html and "20\xa0000,00\xa0€" in html
