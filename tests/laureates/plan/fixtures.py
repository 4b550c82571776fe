"""Laureates with a coaching plan, for the plan's tests (import the fixtures by name)."""

import datetime

import pytest
from django.utils import timezone

from laureates.models import Laureate, Milestone, Payment
from tests.applicants.conftest import sign_in  # noqa: F401 - a fixture, re-exported by conftest.py
from tests.calls.factories import CallIndexPageFactory
from tests.moderation.factories import make_call


def make_laureate(call, email, name, **kwargs):
    laureate = Laureate.objects.create(
        call=call,
        edition=timezone.localdate(call.opens_at).year,
        business_name=name,
        town="Aubervilliers",
        region="ile-de-france",
        contact_name="Exemple",
        contact_email=email,
        amount_awarded="12500.00",
        **kwargs,
    )
    Payment.objects.create(
        laureate=laureate, label="Premier versement", planned_on=datetime.date(2027, 1, 15), amount="5000.00"
    )
    for order, (label, days, opening) in enumerate(
        [("Signature de la convention", 10, False), ("Travaux", 60, False), ("Ouverture", 120, True)]
    ):
        Milestone.objects.create(
            laureate=laureate,
            label=label,
            due_on=timezone.localdate() + datetime.timedelta(days=days),
            sort_order=order,
            is_opening=opening,
        )
    return laureate


@pytest.fixture
def plan_call(home_page):
    return make_call(CallIndexPageFactory(parent=home_page), slug="appel-2026", title="Appel 2026")


@pytest.fixture
def awa_laureate(plan_call):
    return make_laureate(plan_call, "awa@example.org", "Café des Quatre-Chemins (exemple)")


@pytest.fixture
def bilal_laureate(plan_call):
    return make_laureate(plan_call, "bilal@example.org", "Épicerie du Marché (exemple)")
