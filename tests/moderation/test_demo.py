import io

import pytest

from moderation import demo
from tests.moderation.factories import make_call

pytestmark = pytest.mark.django_db


def test_demo_adds_criteria_and_decision_emails_once(call_index, home_page):
    call = make_call(call_index, criteria=[], decisions={})
    demo.load(home_page, io.StringIO())
    demo.load(home_page, io.StringIO())
    assert [(c.label, c.weight) for c in call.scoring_criteria.order_by("sort_order")] == [
        (label, weight) for label, weight, _description, _levels in demo.CRITERIA
    ]
    assert sorted(call.decision_emails.values_list("outcome", flat=True)) == ["laureate", "non_retenue"]
    # The editor edits the latest revision: it carries them.
    assert call.get_latest_revision_as_object().scoring_criteria.count() == 3


def test_demo_criteria_say_what_each_score_means(call_index, home_page):
    call = make_call(call_index, criteria=[], decisions={})
    demo.load(home_page, io.StringIO())
    for criterion in call.scoring_criteria.all():
        lines = criterion.levels.splitlines()
        assert [line.split(" : ")[0] for line in lines] == ["0", "1", "2", "3", "4", "5"]
    assert all(c.levels for c in call.get_latest_revision_as_object().scoring_criteria.all())
