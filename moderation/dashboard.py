"""The dashboard panel: applications per call and status, per region (applied vs
selected, to keep the regional balance in view), and the reviews waiting on the user.

The regional balance of each recent call: per région, its applications and laureates as
counts and as shares of the call, against the target share the call may set per région
(``RegionTarget``), drawn as a small server-rendered SVG chart with the same figures in a
table beside it (``balance_chart``).

A fixed number of queries whatever the number of applications (aggregations, the targets
and the user's pending reviews). Spam is left out of every figure.
https://docs.wagtail.org/en/stable/reference/hooks.html#construct-homepage-panels
"""

from django.db.models import Count, Q
from django.urls import reverse
from wagtail.admin.ui.components import Component

from calls.drafts import open_drafts_count
from calls.models import Application, Status
from stories.taxonomy import Region

from . import access
from .models import Assignment, RegionTarget
from .reviews import conflicts_to_reassign, pending_reviews

STATUS_ORDER = list(Status)
PENDING_SHOWN = 10
BALANCE_CALLS = 3


def per_call_and_status():
    """``[{"title", "total", "counts": [n per Status in order]}]``, newest call first."""
    rows = {}
    queryset = (
        Application.objects.filter(is_spam=False)
        .values("page_id", "page__title", "page__closes_at", "status")
        .annotate(count=Count("pk"))
        .order_by("-page__closes_at", "page_id")
    )
    for item in queryset:
        row = rows.setdefault(
            item["page_id"], {"title": item["page__title"], "total": 0, "by_status": dict.fromkeys(Status.values, 0)}
        )
        if item["status"] in row["by_status"]:
            row["by_status"][item["status"]] += item["count"]
        row["total"] += item["count"]
    return [
        {"title": row["title"], "total": row["total"], "counts": [row["by_status"][s] for s in Status.values]}
        for row in rows.values()
    ]


def per_region():
    """``[{"label", "applied", "selected"}]`` for the regions that have applications."""
    queryset = (
        Application.objects.filter(is_spam=False)
        .values("region")
        .annotate(applied=Count("pk"), selected=Count("pk", filter=Q(status=Status.LAUREATE)))
        .order_by("-applied", "region")
    )
    labels = dict(Region.choices)
    return [
        {"label": labels.get(item["region"], item["region"]) or "—", **{k: item[k] for k in ("applied", "selected")}}
        for item in queryset
    ]


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


def regional_balance(limit=BALANCE_CALLS):
    """The most recent calls that have applications, newest first: ``[{"title", "applied",
    "selected", "rows": [{"region", "label", "applied", "applied_share", "selected",
    "selected_share", "target"}]}]``; shares in % of the call's applications / laureates.
    Two queries."""
    counts = (
        Application.objects.filter(is_spam=False)
        .values("page_id", "page__title", "page__closes_at", "region")
        .annotate(applied=Count("pk"), selected=Count("pk", filter=Q(status=Status.LAUREATE)))
        .order_by("-page__closes_at", "page_id", "region")
    )
    calls = {}
    for item in counts:
        call = calls.setdefault(item["page_id"], {"pk": item["page_id"], "title": item["page__title"], "by_region": {}})
        call["by_region"][item["region"] or ""] = (item["applied"], item["selected"])
    chosen = list(calls.values())[:limit]
    targets = {}
    for target in RegionTarget.objects.filter(page_id__in=[call["pk"] for call in chosen]):
        targets.setdefault(target.page_id, {})[target.region] = target.share
    labels = dict(Region.choices)
    result = []
    for call in chosen:
        by_region = call["by_region"]
        aims = targets.get(call["pk"], {})
        applied = sum(a for a, _s in by_region.values())
        selected = sum(s for _a, s in by_region.values())
        regions = [code for code, _label in Region.choices if code in by_region or code in aims]
        if "" in by_region:
            regions.append("")
        rows = []
        for code in regions:
            a, s = by_region.get(code, (0, 0))
            rows.append(
                {
                    "region": code,
                    "label": labels.get(code, code) or "—",
                    "applied": a,
                    "applied_share": _share(a, applied),
                    "selected": s,
                    "selected_share": _share(s, selected),
                    "target": aims.get(code),
                }
            )
        result.append(
            {"pk": call["pk"], "title": call["title"], "applied": applied, "selected": selected, "rows": rows}
        )
    return result


# The chart: one group of two bars per région (applications, laureates, in % of the call)
# and the target as a tick. Sizes in SVG units; the text stays in the table beside it.
CHART = {"label_width": 150, "bar_width": 220, "bar_height": 10, "gap": 8, "row_gap": 14}


def balance_chart(call):
    """The geometry of the SVG chart of one call's regional balance."""
    c = CHART
    scale = c["bar_width"] / 100
    rows, y = [], 24
    for row in call["rows"]:
        rows.append(
            {
                **row,
                "y": y,
                "text_y": y + c["bar_height"] + 2,
                "applied_y": y,
                "applied_w": round(row["applied_share"] * scale, 1),
                "selected_y": y + c["bar_height"] + 2,
                "selected_w": round(row["selected_share"] * scale, 1),
                "target_x": (round(c["label_width"] + row["target"] * scale, 1) if row["target"] is not None else None),
                "target_y2": y + 2 * c["bar_height"] + 4,
            }
        )
        y += 2 * c["bar_height"] + c["row_gap"]
    return {
        "rows": rows,
        "height": y + 4,
        "width": c["label_width"] + c["bar_width"] + 60,
        "x0": c["label_width"],
        "bar_height": c["bar_height"],
        "x100": c["label_width"] + c["bar_width"],
    }


def review_progress(user):
    """``{"done": n, "assigned": m}``: the reviews ``user`` has written of the applications
    assigned to them (spam left out)."""

    assigned = Assignment.objects.filter(reviewer=user, application__is_spam=False)
    return {
        "assigned": assigned.count(),
        "done": assigned.filter(application__reviews__reviewer=user).values("application_id").distinct().count(),
    }


class ApplicationsPanel(Component):
    name = "moderation_applications"
    order = 90
    template_name = "moderation/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        moderator = access.is_moderator(self.user)
        pending = list(pending_reviews(self.user)[: PENDING_SHOWN + 1]) if access.is_reviewer(self.user) else []
        return {
            "moderator": moderator,
            "statuses": [status.label for status in STATUS_ORDER],
            "calls": per_call_and_status() if moderator else [],
            "regions": per_region() if moderator else [],
            # Drafts are not applications: counted apart, never listed (applicants/).
            "drafts_in_progress": open_drafts_count() if moderator else 0,
            "balances": [{**call, "chart": balance_chart(call)} for call in regional_balance()] if moderator else [],
            "pending": [
                {
                    "reference": assignment.application.reference,
                    "business_name": assignment.application.business_name,
                    "town": assignment.application.town,
                    "call": assignment.application.page.title,
                    "url": reverse("moderation:review", args=[assignment.application_id]),
                }
                for assignment in pending[:PENDING_SHOWN]
            ],
            "progress": review_progress(self.user) if access.is_reviewer(self.user) else None,
            "more_pending": len(pending) > PENDING_SHOWN,
            # Reviewers who declared a conflict of interest: their applications need someone else.
            "conflicts": (
                [
                    {
                        "reference": review.application.reference,
                        "call": review.application.page.title,
                        "reviewer": review.reviewer.get_full_name() or review.reviewer.get_username(),
                        "url": reverse("moderation:application", args=[review.application_id]),
                    }
                    for review in conflicts_to_reassign()[:PENDING_SHOWN]
                ]
                if access.can_assign(self.user)
                else []
            ),
            "queue_url": reverse("moderation:queue"),
        }


class ErasureRequestsPanel(Component):
    """The applicants' erasure requests still to carry out, each with its deadline (one month),
    overdue ones first (``rights.open_requests``); shown to those who may erase."""

    name = "moderation_erasure_requests"
    order = 80
    template_name = "moderation/erasure_requests_panel.html"

    def __init__(self, requests):
        self.requests = requests

    def get_context_data(self, parent_context=None):
        return {"requests": self.requests}
