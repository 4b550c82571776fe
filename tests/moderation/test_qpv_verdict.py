"""The QPV verdict where the team works: the application page (inspect view), the reviewer's
workspace, and the ranking's short line; « Préparer : lauréate » only where it can succeed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from calls.models import QpvMethod, Status
from moderation.models import Decision
from moderation.ranking import ranking
from moderation.reviews import assign
from moderation.workflow import can_move, stage_decision
from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

MARSEILLE = {
    "qpv_method": QpvMethod.COMMUNE,
    "qpv_code": " ".join(f"QN13{n:02d}M" for n in range(23)),
    "qpv_name": " ; ".join(f"Quartier {n}" for n in range(23)),
    "commune_code": "13055",
}


def test_the_application_page_shows_the_verdict(client, call, moderator):
    near = ApplicationFactory(
        page=call, qpv_method=QpvMethod.MAP, qpv_code="QN07511M", qpv_name="Goutte D'Or", qpv_distance_m=1234
    )
    client.force_login(moderator)
    html = client.get(reverse("moderation:application", args=[near.pk])).content.decode()
    assert (
        "<dd data-qpv-verdict>à 1,2 km du QPV Goutte D&#x27;Or (QN07511M) "
        "(point placé par le candidat sur la carte)</dd>"
    ) in html
    unlocated = ApplicationFactory(page=call, **MARSEILLE)
    html = client.get(reverse("moderation:application", args=[unlocated.pk])).content.decode()
    assert "<dd data-qpv-verdict>à vérifier : adresse non localisée, la commune compte 23 QPV</dd>" in html
    assert "Quartier 7" not in html


def test_the_reviewer_sees_the_verdict(client, call, moderator, reviewer):
    application = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION, qpv_method=QpvMethod.COMMUNE)
    assign(application, reviewer, moderator)
    client.force_login(reviewer)
    html = client.get(reverse("moderation:review", args=[application.pk])).content.decode()
    assert "<p data-qpv-verdict><strong>QPV</strong> : hors QPV : aucun QPV dans la commune</p>" in html


def test_the_ranking_shows_one_short_line_not_the_commune_list(client, call, moderator):
    ApplicationFactory(page=call, status=Status.EN_INSTRUCTION, **MARSEILLE)
    client.force_login(moderator)
    html = client.get(reverse("moderation:ranking", args=[call.pk])).content.decode()
    assert '<span data-qpv-verdict>à vérifier</span> <small title="adresse non localisée">' in html
    assert "Quartier 7" not in html


def test_prepare_laureate_is_offered_only_where_it_can_succeed(client, call, moderator):
    shortlisted = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE)
    reviewing = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    announced = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE)
    Decision.objects.create(application=announced, outcome=Status.LAUREATE, announced_at=timezone.now())
    done = ApplicationFactory(page=call, status=Status.NON_RETENUE)
    moves = {row["application"].pk: row["moves"] for row in ranking(call)}
    assert moves[shortlisted.pk] == [Status.LAUREATE, Status.NON_RETENUE]
    assert moves[reviewing.pk] == [Status.PRESELECTIONNEE, Status.NON_RETENUE]
    assert moves[announced.pk] == [] and moves[done.pk] == []
    client.force_login(moderator)
    html = client.get(reverse("moderation:ranking", args=[call.pk])).content.decode()
    assert f'value="{shortlisted.pk}" form="ranking-bulk" data-moves="laureate non_retenue"' in html
    assert f'value="{reviewing.pk}" form="ranking-bulk" data-moves="preselectionnee non_retenue"' in html
    assert f'value="{done.pk}"' not in html and f'value="{announced.pk}"' not in html
    assert "moderation/ranking.js" in html


@pytest.mark.parametrize("status", Status.values)
def test_the_offer_follows_the_server_rule(call, moderator, status):
    """Whatever the status, ``can_move`` says exactly what ``stage_decision`` accepts."""
    application = ApplicationFactory(page=call, status=status)
    offered = can_move(status, Status.LAUREATE)
    try:
        stage_decision(application, Status.LAUREATE, moderator)
    except Exception:
        accepted = False
    else:
        accepted = True
    assert offered == accepted
