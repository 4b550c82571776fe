import pytest

from calls.models import Status
from moderation.dashboard import per_call_and_status, per_region
from moderation.reviews import assign, save_review
from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(call, other_call, moderator, reviewer):
    for region, status in [
        ("ile-de-france", Status.LAUREATE),
        ("ile-de-france", Status.LAUREATE),
        ("ile-de-france", Status.NON_RETENUE),
        ("occitanie", Status.LAUREATE),
        ("occitanie", Status.EN_INSTRUCTION),
    ]:
        ApplicationFactory(page=call, region=region, status=status)
    waiting = ApplicationFactory(page=other_call, region="grand-est", status=Status.EN_INSTRUCTION)
    done = ApplicationFactory(page=other_call, region="grand-est", status=Status.EN_INSTRUCTION)
    ApplicationFactory(page=other_call, region="grand-est", is_spam=True)
    for application in (waiting, done):
        assign(application, reviewer, moderator)
    save_review(done, reviewer, conflict_of_interest=True)
    return waiting, done


def test_figures_per_call_status_and_region(figures, call, other_call, django_assert_num_queries):
    with django_assert_num_queries(2):
        by_call, by_region = per_call_and_status(), per_region()
    rows = {row["title"]: row for row in by_call}
    order = list(Status.values)
    assert rows[call.title]["total"] == 5
    assert rows[call.title]["counts"][order.index(Status.LAUREATE)] == 3
    assert rows[call.title]["counts"][order.index(Status.NON_RETENUE)] == 1
    assert rows[other_call.title]["total"] == 2  # spam left out
    regions = {row["label"]: (row["applied"], row["selected"]) for row in by_region}
    assert regions == {"Île-de-France": (3, 2), "Occitanie": (2, 1), "Grand Est": (2, 0)}


def test_the_panel_on_the_dashboard(client, figures, moderator, reviewer, editor):
    waiting, done = figures
    client.force_login(reviewer)
    html = client.get("/admin/").content.decode()
    assert "Évaluations qui vous attendent" in html
    assert waiting.reference in html and done.reference not in html
    assert "Par région" not in html  # figures are for moderators
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert "Par appel et par statut" in html and "Île-de-France" in html
    client.force_login(editor)
    assert "Évaluations qui vous attendent" not in client.get("/admin/").content.decode()


def test_the_panel_counts_drafts_in_progress_apart(client, moderator, call_index):
    import datetime

    from django.utils import timezone

    from calls.models import Draft
    from tests.moderation.factories import make_call

    open_call = make_call(
        call_index,
        slug="appel-ouvert",
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=9),
    )
    closed_call = make_call(call_index, slug="appel-clos")
    Draft.objects.create(page=open_call, email="awa@example.org")
    Draft.objects.create(page=open_call, email="bilal@example.org")
    Draft.objects.create(page=open_call, email="")  # kept for one browser session only
    Draft.objects.create(page=closed_call, email="zoe@example.org")
    client.force_login(moderator)
    assert "2 brouillons en cours" in client.get("/admin/").content.decode()


def test_regional_balance_in_shares_of_the_call_against_targets(figures, call, other_call, client, moderator):
    from moderation.dashboard import regional_balance
    from moderation.models import RegionTarget

    RegionTarget.objects.create(page=call, region="occitanie", share=50)
    RegionTarget.objects.create(page=call, region="bretagne", share=10)
    balances = {item["title"]: item for item in regional_balance()}
    mine = balances[call.title]
    assert (mine["applied"], mine["selected"]) == (5, 3)
    rows = {row["region"]: row for row in mine["rows"]}
    assert (rows["ile-de-france"]["applied"], rows["ile-de-france"]["applied_share"]) == (3, 60.0)
    assert (rows["ile-de-france"]["selected"], rows["ile-de-france"]["selected_share"]) == (2, 66.7)
    assert (rows["occitanie"]["selected_share"], rows["occitanie"]["target"]) == (33.3, 50)
    assert (rows["bretagne"]["applied"], rows["bretagne"]["target"]) == (0, 10)  # a target with no application
    assert balances[other_call.title]["rows"][0]["applied_share"] == 100.0  # spam left out
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert '<svg class="moderation-chart" role="img"' in html
    assert "Part des lauréats" in html and "66,7 %" in html and "50 %" in html
    assert 'width="132.0"' in html  # 60 % of the 220-unit bar, written with a dot in SVG
