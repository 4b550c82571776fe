"""Laureates with a coaching plan, for the plan's tests (import the fixtures by name)."""

import datetime

import pytest
from django.utils import timezone

from laureates.models import Laureate, Milestone, Payment, ReportForm, ReportFormField
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


#: A report's questions: a typed amount and number, a yes/no that decides a conditional
#: question, and optional files (the call form's types and conditions).
REPORT_FIELDS = [
    {"label": "Chiffre d'affaires du semestre", "field_type": "amount", "required": True},
    {"label": "Emplois créés", "field_type": "number", "required": True},
    {"label": "Embauche prévue", "field_type": "yes_no", "required": True},
    {"label": "Poste envisagé", "field_type": "singleline", "required": True, "conditions": "Embauche prévue est Oui"},
    {
        "label": "Photos du commerce",
        "field_type": "file",
        "required": False,
        "allowed_kinds": ["jpeg", "png", "pdf"],
        "multiple_files": True,
    },
]


def make_report_form(call, title="Bilan à 6 mois", fields=REPORT_FIELDS, **kwargs):
    report_form = ReportForm.objects.create(call=call, title=title, **kwargs)
    for order, spec in enumerate(fields):
        ReportFormField.objects.create(report_form=report_form, sort_order=order, **spec)
    return report_form


@pytest.fixture
def report_form(plan_call):
    return make_report_form(plan_call)
