"""The ranking of a call: weighted averages, number of reviews, spread and disagreements,
recommendations, région; bulk shortlist and staged decisions from it, each id checked."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from calls.models import Application, QpvMethod, Status
from moderation.models import Decision
from moderation.ranking import ranking
from moderation.reviews import assign, save_review
from tests.moderation.factories import ApplicationFactory, user_in

pytestmark = pytest.mark.django_db


def score(application, reviewer, moderator, utility, soundness, recommendation="oui"):
    criteria = {c.label: c for c in application.page.scoring_criteria.all()}
    assign(application, reviewer, moderator)
    save_review(
        application,
        reviewer,
        conflict_of_interest=False,
        scores={criteria["Utilité pour le quartier"].pk: utility, criteria["Solidité du projet"].pk: soundness},
        recommendation=recommendation,
    )


@pytest.fixture
def ranked(call, other_call, moderator, reviewer, other_reviewer):
    top = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION, region="occitanie", applicant_name="Top")
    split = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION, applicant_name="Split")
    unscored = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION, applicant_name="Rien")
    ApplicationFactory(page=call, is_spam=True)
    ApplicationFactory(page=other_call)
    score(top, reviewer, moderator, 5, 4)  # (10 + 4) / 3 = 4.67
    score(top, other_reviewer, moderator, 4, 4, "peut_etre")  # 4.00
    score(split, reviewer, moderator, 5, 5)  # 5.00
    score(split, other_reviewer, moderator, 1, 1, "non")  # 1.00
    third = user_in("Évaluateurs", username="tiers")
    assign(split, third, moderator)
    save_review(split, third, conflict_of_interest=True)  # does not count
    return top, split, unscored


def test_ranking_figures(call, ranked):
    top, split, unscored = ranked
    rows = ranking(call)
    assert [row["application"] for row in rows] == [top, split, unscored]
    first, second, last = rows
    assert first["rank"] == 1
    assert float(first["application"].average) == pytest.approx(4.335, abs=0.006)  # (4.67 + 4.00) / 2
    assert first["application"].review_count == 2
    assert first["spread"] == Decimal("0.67") and not first["disagreement"]
    assert dict(first["recommendations"]) == {"Oui": 1, "Peut-être": 1, "Non": 0}
    assert second["application"].average == Decimal("3.00")
    assert second["application"].review_count == 2  # the conflict of interest is left out
    assert second["spread"] == Decimal("4.00") and second["disagreement"]
    assert last["rank"] is None and last["application"].review_count == 0 and last["spread"] is None


def test_the_ranking_page_and_bulk_staging_from_it(client, call, moderator, ranked):
    top, split, unscored = ranked
    client.force_login(moderator)
    url = reverse("moderation:ranking", args=[call.pk])
    html = client.get(url).content.decode()
    assert html.index(top.reference) < html.index(split.reference) < html.index(unscored.reference)
    assert "désaccord" in html and "Occitanie" in html
    Application.objects.filter(pk=top.pk).update(
        qpv_method=QpvMethod.POINT, qpv_code="QN07511M", qpv_name="Goutte d’Or", qpv_distance_m=350
    )
    cell = '<span data-qpv-verdict>à 350 m</span> <small title="Goutte d’Or (QN07511M)">'
    assert cell in client.get(url).content.decode()
    bulk = reverse("moderation:bulk")
    client.post(bulk, {"action": "status", "status": "preselectionnee", "call": call.pk, "ids": [top.pk], "next": url})
    response = client.post(
        bulk,
        {"action": "status", "status": "laureate", "call": call.pk, "ids": [top.pk], "next": url},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "1 décision « Lauréate » préparée" in response.content.decode()
    top.refresh_from_db()
    assert top.status == Status.PRESELECTIONNEE and Decision.objects.get().application == top
    assert mail.outbox == []


def test_bulk_from_the_ranking_with_a_foreign_id_is_refused_whole(client, call, other_call, moderator, ranked):
    top, _split, _unscored = ranked
    foreign = ApplicationFactory(page=other_call, status=Status.EN_INSTRUCTION)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:bulk"),
        {"action": "status", "status": "non_retenue", "call": call.pk, "ids": [top.pk, foreign.pk]},
    )
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"
    assert not Decision.objects.exists()


def test_unknown_call_ranking_is_not_found(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("moderation:ranking", args=[999999])).status_code == 404
