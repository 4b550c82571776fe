"""What the team sees of the list: counts by state, role and région (one query each)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from stories.taxonomy import Region

from .models import Role, Subscriber


def counts():
    totals = Subscriber.objects.aggregate(
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True)),
    )
    confirmed = Subscriber.objects.filter(confirmed_at__isnull=False)

    def by(field, choices, blank_label):
        found = {row[field]: row["n"] for row in confirmed.values(field).annotate(n=Count("pk")).order_by()}
        rows = [(label, found.get(value, 0)) for value, label in choices if found.get(value)]
        if found.get(""):
            rows.append((blank_label, found[""]))
        return rows

    return {
        **totals,
        "by_role": by("role", Role.choices, _("Non précisé")),
        "by_region": by("region", Region.choices, _("Non précisée")),
    }
