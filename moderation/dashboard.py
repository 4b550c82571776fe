"""The dashboard panel: applications per call and status, per region (applied vs
selected, to keep the regional balance in view), and the reviews waiting on the user.

Three queries whatever the number of applications (two aggregations and the user's
pending reviews). Spam is left out of every figure.
https://docs.wagtail.org/en/stable/reference/hooks.html#construct-homepage-panels
"""

from django.db.models import Count, Q
from django.urls import reverse
from wagtail.admin.ui.components import Component

from calls.drafts import open_drafts_count
from calls.models import Application, Status
from stories.taxonomy import Region

from . import access
from .reviews import pending_reviews

STATUS_ORDER = list(Status)
PENDING_SHOWN = 10


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
            "pending": [
                {
                    "reference": assignment.application.reference,
                    "call": assignment.application.page.title,
                    "url": reverse("moderation:review", args=[assignment.application_id]),
                }
                for assignment in pending[:PENDING_SHOWN]
            ],
            "more_pending": len(pending) > PENDING_SHOWN,
            "queue_url": reverse("moderation:queue"),
        }
