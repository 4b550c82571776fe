"""The money panel of the admin's home: per call (its envelope) and per région, the amounts
committed (awarded to laureates), paid (payments marked « payé ») and remaining.

Six queries whatever the number of laureates and payments (aggregations; the payments are
summed apart from the awards, so a join never counts an award twice). Hand-made laureates
of an edition without a call here (2020) have a row of their own, without an envelope.
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from calls.models import CallPage
from stories.taxonomy import Region

from .models import Laureate, Payment, PaymentStatus

ZERO = Decimal("0.00")


def can_see_money(user):
    return user.has_perm("laureates.view_laureate") and user.has_perm("laureates.view_payment")


def _paid_by(key):
    rows = Payment.objects.filter(status=PaymentStatus.PAYE).values(key).annotate(total=Sum("amount")).order_by()
    return {row[key]: row["total"] or ZERO for row in rows}


def per_call():
    """``[{"title", "envelope", "committed", "paid", "remaining", "laureates"}]``: the calls with
    an envelope or laureates (newest first), then the editions without a call."""
    awarded = (
        Laureate.objects.values("call_id", "edition")
        .annotate(total=Sum("amount_awarded"), count=Count("pk"))
        .order_by("-edition")
    )
    by_call, by_edition = {}, {}
    for row in awarded:
        target = by_call if row["call_id"] else by_edition
        key = row["call_id"] or row["edition"]
        total, count = target.get(key, (ZERO, 0))
        target[key] = (total + (row["total"] or ZERO), count + row["count"])
    paid_by_call = _paid_by("laureate__call_id")
    paid_by_edition = {}
    for row in (
        Payment.objects.filter(status=PaymentStatus.PAYE, laureate__call__isnull=True)
        .values("laureate__edition")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        paid_by_edition[row["laureate__edition"]] = row["total"] or ZERO
    calls = CallPage.objects.filter(Q(envelope__isnull=False) | Q(pk__in=list(by_call))).order_by("-opens_at")
    rows = []
    for call in calls.only("pk", "title", "envelope", "opens_at"):
        committed, count = by_call.get(call.pk, (ZERO, 0))
        rows.append(_row(call.title, call.envelope, committed, paid_by_call.get(call.pk, ZERO), count))
    for edition, (committed, count) in sorted(by_edition.items(), reverse=True):
        title = _("Édition %(edition)s (sans appel sur le site)") % {"edition": edition}
        rows.append(_row(title, None, committed, paid_by_edition.get(edition, ZERO), count))
    return rows


def _row(title, envelope, committed, paid, count):
    return {
        "title": title,
        "envelope": envelope,
        "committed": committed,
        "paid": paid,
        "to_pay": committed - paid,
        "remaining": envelope - committed if envelope is not None else None,
        "laureates": count,
    }


def per_region():
    """``[{"label", "committed", "paid", "to_pay", "laureates"}]`` for the régions with laureates."""
    awarded = Laureate.objects.values("region").annotate(total=Sum("amount_awarded"), count=Count("pk")).order_by()
    paid = _paid_by("laureate__region")
    labels = dict(Region.choices)
    rows = []
    order = {code: position for position, code in enumerate(labels)}
    for row in sorted(awarded, key=lambda item: order.get(item["region"], len(order))):
        committed = row["total"] or ZERO
        rows.append(
            {
                "label": labels.get(row["region"], row["region"]) or "—",
                "committed": committed,
                "paid": paid.get(row["region"], ZERO),
                "to_pay": committed - paid.get(row["region"], ZERO),
                "laureates": row["count"],
            }
        )
    return rows


class MoneyPanel(Component):
    name = "laureates_money"
    order = 95
    template_name = "laureates/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        return {"calls": per_call(), "regions": per_region()}
