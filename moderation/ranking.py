"""The ranking of a call's applications, for moderators (« Classement »).

One row per application (spam left out), best weighted average first: the average of the
reviews' weighted scores, how many reviews count, the spread between the highest and the
lowest (flagged when reviewers disagree by ``DISAGREEMENT`` points or more), the reviewers'
recommendations, the région, the status and any staged decision. One SQL query whatever the
number of applications and reviews. Shortlisting and deciding in bulk go through the queue's
bulk action (``views.bulk_view``): each id checked, decisions staged, never emailed.

(The QPV column is added once applications carry their QPV: left out here.)
"""

from decimal import Decimal

from django.db.models import Count, F, Max, Min, Q

from calls.models import Application, Status

from .models import Recommendation
from .reviews import average_score_subquery

DISAGREEMENT = Decimal("1.50")


def ranking(call, status=""):
    scored = Q(reviews__conflict_of_interest=False, reviews__weighted_score__isnull=False)
    queryset = (
        Application.objects.filter(page=call, is_spam=False)
        .select_related("decision")
        .annotate(
            average=average_score_subquery(),
            review_count=Count("reviews", filter=scored),
            lowest=Min("reviews__weighted_score", filter=scored),
            highest=Max("reviews__weighted_score", filter=scored),
            **{
                f"rec_{code}": Count("reviews", filter=scored & Q(reviews__recommendation=code))
                for code in Recommendation.values
            },
        )
        .order_by(F("average").desc(nulls_last=True), "reference")
    )
    if status in Status.values:
        queryset = queryset.filter(status=status)
    rows = []
    for rank, application in enumerate(queryset, start=1):
        spread = (
            application.highest - application.lowest
            if application.highest is not None and application.lowest is not None
            else None
        )
        decision = getattr(application, "decision", None) if hasattr(application, "decision") else None
        rows.append(
            {
                "rank": rank if application.average is not None else None,
                "application": application,
                "spread": spread,
                "disagreement": spread is not None and spread >= DISAGREEMENT,
                "recommendations": [
                    (label, getattr(application, f"rec_{code}")) for code, label in Recommendation.choices
                ],
                "decision": decision if decision is not None and decision.announced_at is None else None,
            }
        )
    return rows
