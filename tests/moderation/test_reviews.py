from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from moderation.models import Review
from moderation.reviews import ReviewClosed, assign, pending_reviews, save_review, unassign
from moderation.workflow import Status, transition
from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(call, moderator, reviewer):
    application = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    assign(application, reviewer, moderator)
    return application


def criteria(application):
    return list(application.page.scoring_criteria.order_by("sort_order"))


def test_weighted_score(assigned, reviewer):
    utility, soundness = criteria(assigned)  # weights 2 and 1
    review = save_review(
        assigned, reviewer, conflict_of_interest=False, scores={utility.pk: 5, soundness.pk: 2}, recommendation="oui"
    )
    assert review.weighted_score == Decimal("4.00")  # (2×5 + 1×2) / 3
    assert review.is_scored


def test_one_review_per_reviewer_and_editable_until_the_decision(assigned, reviewer, moderator):
    utility, soundness = criteria(assigned)
    save_review(
        assigned, reviewer, conflict_of_interest=False, scores={utility.pk: 1, soundness.pk: 1}, recommendation="non"
    )
    review = save_review(
        assigned, reviewer, conflict_of_interest=False, scores={utility.pk: 4, soundness.pk: 1}, recommendation="oui"
    )
    assert Review.objects.filter(application=assigned, reviewer=reviewer).count() == 1
    assert review.weighted_score == Decimal("3.00") and review.recommendation == "oui"
    with pytest.raises(IntegrityError):
        Review.objects.create(application=assigned, reviewer=reviewer)


def test_no_change_after_the_decision(assigned, reviewer, moderator, client):
    transition(assigned, Status.PRESELECTIONNEE, moderator)
    transition(assigned, Status.LAUREATE, moderator)
    with pytest.raises(ReviewClosed):
        save_review(assigned, reviewer, conflict_of_interest=True)
    client.force_login(reviewer)
    page = client.get(reverse("moderation:review", args=[assigned.pk])).content.decode()
    assert "La décision est prise" in page
    response = client.post(reverse("moderation:review", args=[assigned.pk]), {"conflict_of_interest": "on"})
    assert response.status_code in (302, 403)
    assert not Review.objects.exists()


def test_conflict_of_interest_means_no_scores_and_locks_the_review(assigned, reviewer, client):
    client.force_login(reviewer)
    url = reverse("moderation:review", args=[assigned.pk])
    response = client.post(url, {"conflict_of_interest": "on", "comment": "Je connais la gérante."})
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.conflict_of_interest and review.weighted_score is None and not review.scores.exists()
    # The file is closed to the reviewer from then on (tests/moderation/test_conflict_of_interest.py).
    assert client.get(url).status_code == 404
    utility, soundness = criteria(assigned)
    response = client.post(url, {f"score_{utility.pk}": "5", f"score_{soundness.pk}": "5", "recommendation": "oui"})
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.conflict_of_interest and not review.scores.exists()


def test_the_form_asks_for_every_score_and_a_recommendation(assigned, reviewer, client):
    client.force_login(reviewer)
    utility, _soundness = criteria(assigned)
    response = client.post(reverse("moderation:review", args=[assigned.pk]), {f"score_{utility.pk}": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Donnez une note de 0 à 5." in html and "Choisissez un avis" in html
    assert not Review.objects.exists()
    response = client.post(reverse("moderation:review", args=[assigned.pk]), {f"score_{utility.pk}": "9"})
    assert not Review.objects.exists()


def test_scoring_through_the_form(assigned, reviewer, client):
    client.force_login(reviewer)
    utility, soundness = criteria(assigned)
    response = client.post(
        reverse("moderation:review", args=[assigned.pk]),
        {
            f"score_{utility.pk}": "3",
            f"score_{soundness.pk}": "0",
            "recommendation": "peut_etre",
            "comment": "À revoir.",
        },
        follow=True,
    )
    assert "Évaluation de" in response.content.decode()
    review = Review.objects.get()
    assert review.weighted_score == Decimal("2.00") and review.comment == "À revoir."


def test_assignments_are_recorded_and_pending_reviews(assigned, reviewer, moderator, call):
    other = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    assign(other, reviewer, moderator)
    assert not assign(other, reviewer, moderator)  # once
    assert [a.application for a in pending_reviews(reviewer)] == [assigned, other]
    save_review(assigned, reviewer, conflict_of_interest=True)
    assert [a.application for a in pending_reviews(reviewer)] == [other]
    assert unassign(other, reviewer, moderator)
    assert list(pending_reviews(reviewer)) == []
    kinds = list(other.history.values_list("kind", "comment"))
    assert kinds == [("assignment", "Évaluateur : Rémi Martin"), ("unassignment", "Évaluateur : Rémi Martin")]


def test_moderators_assign_from_the_application(client, assigned, moderator, other_reviewer, editor):
    client.force_login(moderator)
    url = reverse("moderation:assign", args=[assigned.pk])
    client.post(url, {"reviewer": other_reviewer.pk})
    assert assigned.assignments.filter(reviewer=other_reviewer).exists()
    client.post(url, {"reviewer": editor.pk})  # not a reviewer
    assert not assigned.assignments.filter(reviewer=editor).exists()
    client.post(url, {"reviewer": other_reviewer.pk, "remove": "1"})
    assert not assigned.assignments.filter(reviewer=other_reviewer).exists()
