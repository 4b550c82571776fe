"""Reviewers and reviews: assignments, the review form, weighted scores and averages.

A reviewer either declares a conflict of interest (and then scores nothing) or scores
every criterion of the call from 0 to 5, gives an overall recommendation and may comment.
A declared conflict closes the application to that reviewer (``access.applications_for``),
is recorded in the history, emailed to the team (``tasks.send_conflict_email``) and listed on
the moderators' dashboard until a moderator hands the application to another reviewer
(``reassign``) or removes the reviewer; the reviewer can never be assigned to it again.
One review per reviewer and application, editable until the decision. The review's
weighted score is Σ(weight × score) / Σ(weight); the application's average is the mean of
its reviews' weighted scores (conflicts left out).
"""

from functools import partial

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Avg, DecimalField, F, OuterRef, Q, Subquery
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls.models import Application

from .models import MAX_SCORE, Assignment, HistoryEntry, Recommendation, Review, Score, ScoringCriterion
from .tasks import enqueue_assignment_email, enqueue_conflict_email
from .workflow import FINAL, is_decided


class ReviewClosed(Exception):
    """The application is decided: its reviews can no longer change."""


def average_score_subquery():
    """The mean weighted score of an application's reviews, as a correlated subquery
    (one per row, inside the list's single query, whatever joins the filters add)."""
    averages = (
        Review.objects.filter(application=OuterRef("pk"), conflict_of_interest=False, weighted_score__isnull=False)
        .order_by()
        .values("application")
        .annotate(average=Avg("weighted_score"))
        .values("average")
    )
    return Subquery(averages, output_field=DecimalField(max_digits=4, decimal_places=2))


def reviewer_permission():
    return Permission.objects.filter(content_type__app_label="moderation", codename="review_applications").first()


def eligible_reviewers():
    """Active users who may review: members of a group holding the permission, or given it."""
    User = get_user_model()
    permission = reviewer_permission()
    if permission is None:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions=permission) | Q(user_permissions=permission) | Q(is_superuser=True))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def display_name(user):
    return user.get_full_name() or user.get_username()


def has_conflict(reviewer, application):
    return Review.objects.filter(application=application, reviewer=reviewer, conflict_of_interest=True).exists()


def assignable_reviewers(application):
    """Eligible reviewers not yet assigned to ``application`` and without a conflict on it."""
    return (
        eligible_reviewers()
        .exclude(pk__in=Assignment.objects.filter(application=application).values("reviewer_id"))
        .exclude(pk__in=Review.objects.filter(application=application, conflict_of_interest=True).values("reviewer_id"))
    )


def assign(application, reviewer, by):
    """Assign ``reviewer``; returns False when already assigned or when the reviewer declared a
    conflict of interest on it. Recorded in the history."""
    if has_conflict(reviewer, application):
        return False
    with transaction.atomic():
        _assignment, created = Assignment.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"assigned_by": by}
        )
        if created:
            HistoryEntry.objects.create(
                application=application,
                kind=HistoryEntry.Kind.ASSIGNMENT,
                user=by,
                comment=_("Évaluateur : %(name)s") % {"name": display_name(reviewer)},
            )
    return created


def notify_assigned(reviewer, applications):
    """One email to ``reviewer`` for this batch of new assignments, after the commit."""
    ids = [application.pk for application in applications]
    if ids:
        transaction.on_commit(partial(enqueue_assignment_email, reviewer.pk, ids), robust=True)


def unassign(application, reviewer, by):
    with transaction.atomic():
        deleted, _rows = Assignment.objects.filter(application=application, reviewer=reviewer).delete()
        if deleted:
            HistoryEntry.objects.create(
                application=application,
                kind=HistoryEntry.Kind.UNASSIGNMENT,
                user=by,
                comment=_("Évaluateur : %(name)s") % {"name": display_name(reviewer)},
            )
    return bool(deleted)


def reassign(application, reviewer, replacement, by):
    """Hand the application of a reviewer who declared a conflict to ``replacement``: the new
    assignment (with its email) and the old one removed, both in the history. Returns False
    when ``replacement`` cannot take it (already assigned, or a conflict of their own)."""
    with transaction.atomic():
        if not assign(application, replacement, by):
            return False
        unassign(application, reviewer, by)
        notify_assigned(replacement, [application])
    return True


def conflicts_to_reassign():
    """Conflicts of interest whose reviewer is still assigned, on applications not decided:
    what the moderators have to hand to someone else (the dashboard lists them)."""
    return (
        Review.objects.filter(
            conflict_of_interest=True,
            application__is_spam=False,
            application__assignments__reviewer=F("reviewer"),
        )
        .exclude(application__status__in=FINAL)
        .select_related("application", "application__page", "reviewer")
        .order_by("updated_at", "pk")
    )


def level_lines(criterion):
    """The criterion's level descriptions, one per non-empty line."""
    return [line.strip() for line in (criterion.levels or "").splitlines() if line.strip()]


# The queue's filters a reviewer's previous / next links keep.
KEPT_FILTERS = ("call", "status", "region", "kind")


def _reviewer_list(user, query):
    """The ids of ``user``'s list in the queue's order (newest first), filtered by
    ``KEPT_FILTERS`` read from ``query``, and the query string that keeps those filters."""
    kept = QueryDict(mutable=True)
    conflicts = Review.objects.filter(reviewer=user, conflict_of_interest=True).values("application_id")
    queryset = Application.objects.filter(assignments__reviewer=user, is_spam=False).exclude(pk__in=conflicts)
    for name in KEPT_FILTERS:
        value = query.get(name, "")
        if not value:
            continue
        kept[name] = value
        if name == "call" and value.isdigit():
            queryset = queryset.filter(page_id=int(value))
        elif name == "status":
            queryset = queryset.filter(status=value)
        elif name == "region":
            queryset = queryset.filter(region=value)
        elif name == "kind":
            queryset = queryset.filter(business_kind=value)
    ids = list(queryset.order_by("-submit_time", "-pk").values_list("pk", flat=True).distinct())
    return ids, (f"?{kept.urlencode()}" if kept else "")


def next_to_review(user, application, query):
    """The URL of the next application of ``user``'s list (after ``application``, then from
    the top) that they still have to review, filters kept; ``""`` when none is left."""
    ids, suffix = _reviewer_list(user, query)
    pending = set(pending_reviews(user).values_list("application_id", flat=True))
    start = ids.index(application.pk) + 1 if application.pk in ids else 0
    for pk in ids[start:] + ids[:start]:
        if pk in pending and pk != application.pk:
            return reverse("moderation:review", args=[pk]) + suffix
    return ""


def neighbours(user, application, query):
    """The previous and next application of ``user``'s list (the queue's order: newest
    first), with the same filters (``KEPT_FILTERS`` read from ``query``) kept in the links."""
    ids, suffix = _reviewer_list(user, query)

    def url(pk):
        return reverse("moderation:review", args=[pk]) + suffix if pk else ""

    if application.pk not in ids:
        return {"previous_url": "", "next_url": "", "position": None, "count": len(ids)}
    index = ids.index(application.pk)
    return {
        "previous_url": url(ids[index - 1] if index > 0 else None),
        "next_url": url(ids[index + 1] if index + 1 < len(ids) else None),
        "position": index + 1,
        "count": len(ids),
    }


def criteria_for(application):
    return list(ScoringCriterion.objects.filter(page_id=application.page_id).order_by("sort_order", "pk"))


class ReviewForm(forms.Form):
    """Conflict of interest, or one 0–5 score per criterion plus a recommendation."""

    conflict_of_interest = forms.BooleanField(
        label=gettext_lazy("Je déclare un conflit d'intérêts avec ce candidat"),
        required=False,
        help_text=gettext_lazy("Vous ne pourrez alors pas évaluer cette candidature."),
    )
    recommendation = forms.ChoiceField(
        label=gettext_lazy("Avis général"),
        choices=[("", "—")] + list(Recommendation.choices),
        required=False,
    )
    comment = forms.CharField(label=gettext_lazy("Commentaire"), widget=forms.Textarea, max_length=4000, required=False)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [("", "—")] + [(str(value), str(value)) for value in range(MAX_SCORE + 1)]
        for criterion in self.criteria:
            label = f"{criterion.label} (×{criterion.weight})" if criterion.weight != 1 else criterion.label
            self.fields[self.score_field(criterion)] = forms.TypedChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=criterion.description,
            )

    @staticmethod
    def score_field(criterion):
        return f"score_{criterion.pk}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("conflict_of_interest"):
            return cleaned
        for criterion in self.criteria:
            if cleaned.get(self.score_field(criterion)) is None:
                self.add_error(self.score_field(criterion), _("Donnez une note de 0 à 5."))
        if not cleaned.get("recommendation"):
            self.add_error("recommendation", _("Choisissez un avis : oui, peut-être ou non."))
        return cleaned

    def scores(self):
        return {criterion.pk: self.cleaned_data.get(self.score_field(criterion)) for criterion in self.criteria}

    @classmethod
    def initial_for(cls, review):
        if review is None:
            return {}
        initial = {
            "conflict_of_interest": review.conflict_of_interest,
            "recommendation": review.recommendation,
            "comment": review.comment,
        }
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = score.value
        return initial


def save_review(application, reviewer, *, conflict_of_interest, scores=None, recommendation="", comment=""):
    """Create or update ``reviewer``'s review. ``scores`` maps criterion ids to 0–5.

    With a conflict of interest, scores and recommendation are dropped. Raises
    ``ReviewClosed`` once the application is decided.
    """
    criteria = {criterion.pk: criterion for criterion in criteria_for(application)}
    with transaction.atomic():
        status = Application.objects.select_for_update().values_list("status", flat=True).get(pk=application.pk)
        if is_decided(status):
            raise ReviewClosed(application)
        review, _created = Review.objects.get_or_create(application=application, reviewer=reviewer)
        newly_conflicted = bool(conflict_of_interest) and not review.conflict_of_interest
        review.conflict_of_interest = bool(conflict_of_interest)
        review.comment = (comment or "").strip()
        review.scores.all().delete()
        if review.conflict_of_interest:
            review.recommendation = ""
            review.weighted_score = None
        else:
            review.recommendation = recommendation
            new_scores = []
            for criterion_id, value in (scores or {}).items():
                criterion = criteria.get(int(criterion_id))
                if criterion is None or value is None:
                    continue
                if not 0 <= int(value) <= MAX_SCORE:
                    raise ValueError("score out of range")
                new_scores.append(Score(review=review, criterion=criterion, value=int(value)))
            Score.objects.bulk_create(new_scores)
            review.weighted_score = review.compute_weighted_score(new_scores)
        review.save()
        if newly_conflicted:
            HistoryEntry.objects.create(
                application=application,
                kind=HistoryEntry.Kind.CONFLICT,
                user=reviewer,
                comment=_("%(name)s ne peut pas évaluer cette candidature : à confier à un autre évaluateur.")
                % {"name": display_name(reviewer)},
            )
            transaction.on_commit(partial(enqueue_conflict_email, review.pk), robust=True)
    return review


def pending_reviews(user):
    """Assignments of ``user`` with no review yet, on applications not decided."""
    return (
        Assignment.objects.filter(reviewer=user, application__is_spam=False)
        .exclude(application__status__in=FINAL)
        .exclude(application__reviews__reviewer=user)
        .select_related("application", "application__page")
        .order_by("assigned_at")
    )
