import io

import pytest

from laureates import demo
from laureates.models import Laureate
from stories.demo import NAMED

pytestmark = pytest.mark.django_db


def test_the_2020_edition_is_three_hand_made_records_with_public_facts_only(home_page):
    demo.load(home_page, io.StringIO())
    demo.load(home_page, io.StringIO())  # idempotent
    records = list(Laureate.objects.order_by("pk"))
    assert [(r.edition, r.business_name, r.town, r.region) for r in records] == [
        (2020, data["title"], data["town"], data["region"]) for data in NAMED
    ]
    for record in records:
        assert (record.contact_name, record.contact_email, record.business_kind, record.amount_awarded) == (
            "",
            "",
            "",
            None,
        )
        assert record.history.count() == 1
