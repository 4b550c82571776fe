"""The ranking of a call's applications, for moderators (« Classement »).

One row per application (spam left out), best weighted average first: the average of the
reviews' weighted scores, how many reviews count, the spread between the highest and the
lowest (flagged when reviewers disagree by ``DISAGREEMENT`` points or more), the reviewers'
recommendations, the région, the QPV verdict in one short line (``calls.qpv_check.short_text``),
the status and any staged decision. One SQL query whatever the number of applications and
reviews. Shortlisting and deciding in bulk go through the queue's bulk action
(``views.bulk_view``): each id checked, decisions staged, never emailed; each row says which
of the ranking's moves can succeed for it (``workflow.can_move``, the server's own rule), so
« Préparer : lauréate » is only offered where it will not be refused.
"""

from decimal import Decimal

from django.db.models import Count, F, Max, Min, Q

from calls import qpv_check
from calls.models import Application, Status

from .models import Recommendation
from .reviews import average_score_subquery
from .workflow import can_move

# The moves the ranking offers, in the order of its buttons.
MOVES = (Status.PRESELECTIONNEE, Status.LAUREATE, Status.NON_RETENUE)

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
        moves = [target for target in MOVES if can_move(application.status, target, decision)]
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
                "qpv": qpv_check.short_text(application),
                "moves": moves,
            }
        )
    return rows
