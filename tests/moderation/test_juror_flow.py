"""A juror's flow: after saving a review, the next application they still have to review;
their list on the admin home names the businesses and shows their progress; the admin home
shows each role what it needs."""

import pytest
from django.urls import reverse

from moderation.reviews import assign, save_review
from moderation.workflow import Status
from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def post_review(client, application, query=""):
    utility, soundness = application.page.scoring_criteria.order_by("sort_order")
    return client.post(
        reverse("moderation:review", args=[application.pk]) + query,
        {f"score_{utility.pk}": "3", f"score_{soundness.pk}": "2", "recommendation": "oui", "comment": ""},
    )


@pytest.fixture
def three_assigned(call, moderator, reviewer):
    applications = [
        ApplicationFactory(page=call, status=Status.EN_INSTRUCTION, business_name=name, town=town)
        for name, town in (("Café A", "Aubervilliers"), ("Épicerie B", "Roubaix"), ("Bistrot C", "Vénissieux"))
    ]
    for application in applications:
        assign(application, reviewer, moderator)
    return applications


def test_saving_a_review_goes_to_the_next_one_to_review(client, reviewer, three_assigned):
    newest, middle, oldest = sorted(three_assigned, key=lambda a: (a.submit_time, a.pk), reverse=True)
    utility, soundness = newest.page.scoring_criteria.order_by("sort_order")
    # The middle one is already reviewed: skipped.
    save_review(middle, reviewer, conflict_of_interest=False, scores={utility.pk: 1, soundness.pk: 1})
    client.force_login(reviewer)
    response = post_review(client, newest, f"?call={newest.page_id}")
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:review", args=[oldest.pk]) + f"?call={newest.page_id}"
    page = client.get(response["Location"]).content.decode()
    assert "Voici la candidature suivante à évaluer." in page
    # The last one: back to the list, told that nothing is left.
    response = post_review(client, oldest)
    assert response["Location"] == reverse("moderation:queue")
    assert "Il ne vous reste aucune candidature à évaluer." in client.get(response["Location"]).content.decode()


def test_the_jurors_home_names_the_businesses_and_shows_progress(client, reviewer, three_assigned):
    first = three_assigned[0]
    utility, soundness = first.page.scoring_criteria.order_by("sort_order")
    save_review(first, reviewer, conflict_of_interest=False, scores={utility.pk: 1, soundness.pk: 1})
    client.force_login(reviewer)
    html = client.get("/admin/").content.decode()
    assert "Évaluées : 1 sur 3" in html
    for name, town in (("Épicerie B", "Roubaix"), ("Bistrot C", "Vénissieux")):
        assert name in html and town in html
    assert reverse("moderation:review", args=[three_assigned[1].pk]) in html
    # Nothing of the pages: Wagtail's generic panels and counts are left out for a juror.
    for noise in ("Vos modifications les plus récentes", "Vos pages verrouillées", 'class="w-summary'):
        assert noise not in html


def test_an_editors_home_keeps_the_pages_and_has_no_applications(client, editor):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "Évaluations qui vous attendent" not in html
    assert 'class="w-summary' in html  # pages, images, documents
