import io

import pytest
from django.utils import timezone

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


def test_the_example_call_has_a_report_form_and_one_report_sent(call_index):
    from laureates.models import LaureateHistoryEntry, Report, ReportForm
    from moderation.demo import EXAMPLE_CALL_SLUG
    from tests.laureates.factories import make_laureate
    from tests.moderation.factories import make_call

    call = make_call(call_index, slug=EXAMPLE_CALL_SLUG, title="Appel 2025 (exemple)")
    first = make_laureate(call=call, business_name="Premier (exemple)", contact_email="un@example.org")
    second = make_laureate(call=call, business_name="Second (exemple)", contact_email="deux@example.org")
    demo.load_example_report(None, io.StringIO())
    demo.load_example_report(None, io.StringIO())  # idempotent
    report_form = ReportForm.objects.get()
    assert report_form.title.endswith("(exemple)") and report_form.form_fields.count() == len(demo.REPORT_QUESTIONS)
    report = Report.objects.get()
    assert report.laureate in (first, second) and report.report_form == report_form
    assert report.answers["chiffre_daffaires_des_six_premiers_mois"]["value"] == "38500.00"
    assert report.answers["quel_poste"]["value"].endswith("(exemple)")
    assert LaureateHistoryEntry.objects.filter(action__startswith="Bilan envoyé").count() == 1
    # A due date ahead, a mix of sent and not sent, the figures marked to keep after an erasure.
    assert report_form.due_on is not None and report_form.due_on > timezone.localdate()
    assert Report.objects.filter(laureate__in=(first, second)).count() == 1
    assert report_form.form_fields.filter(kept_after_erasure=True).count() == 3
