"""Application references: QC-2026-0042, unique across all calls, numbered per year.

One counter row per year. ``next_reference`` must run inside the transaction that stores
the application: the UPDATE locks the year's row until that transaction ends, so two
concurrent submissions get consecutive numbers (PostgreSQL: row lock, the second UPDATE
waits and re-reads; SQLite: IMMEDIATE transactions serialise writers). If the transaction
rolls back, the number is given back. ``Application.reference`` is unique as a last guard.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import ReferenceCounter

PREFIX = "QC"


def format_reference(year, number):
    return f"{PREFIX}-{year}-{number:04d}"


def next_reference(now=None):
    """Take the next number of the current year (Paris time) and return its reference."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_reference() must run inside the transaction that stores the application.")
    year = timezone.localtime(now or timezone.now()).year
    # INSERT … ON CONFLICT DO NOTHING: creating the year's row never races.
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year, last_value=0)], ignore_conflicts=True)
    ReferenceCounter.objects.filter(year=year).update(last_value=F("last_value") + 1)
    number = ReferenceCounter.objects.values_list("last_value", flat=True).get(year=year)
    return format_reference(year, number)
