"""Laureates for the tests: a record by hand (2020) or of a call, with an award."""

import itertools
from decimal import Decimal

from laureates.models import Laureate

_names = itertools.count(1)


def make_laureate(**fields):
    defaults = {
        "edition": 2026,
        "business_name": f"Commerce {next(_names)}",
        "town": "Aubervilliers",
        "region": "ile-de-france",
        "contact_name": "Awa Diallo",
        "contact_email": "awa@example.org",
        "contact_phone": "+33612345678",
        "address": "12 rue de la Gare, 93300 Aubervilliers",
        "amount_awarded": Decimal("12500.00"),
    }
    return Laureate.objects.create(**{**defaults, **fields})
