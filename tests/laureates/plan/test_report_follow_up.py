"""The team's view of each report form (« Formulaires de bilan »): its due date, how many of
its call's laureates sent it, and the businesses that have not yet (names, never addresses),
read for the whole list in a pinned number of queries."""

import datetime
from html import unescape

import pytest
from django.utils import timezone

from tests.laureates.plan.fixtures import make_laureate, make_report_form
from tests.laureates.plan.test_report_reminders import send

pytestmark = pytest.mark.django_db


def test_the_list_shows_who_sent_each_report_and_who_has_not(
    client, awa_laureate, bilal_laureate, report_form, moderator, django_assert_num_queries
):
    report_form.due_on = datetime.date(2027, 3, 31)
    report_form.save(update_fields=["due_on"])
    gone = make_laureate(report_form.call, "gone@example.org", "Parti du réseau (exemple)")
    gone.left_at = timezone.now()
    gone.save(update_fields=["left_at"])
    make_report_form(report_form.call, title="Bilan à un an")  # no report yet, no date
    send(awa_laureate, report_form)
    client.force_login(moderator)
    client.get("/admin/laureats/bilans/")  # the session and the admin's first-visit queries
    with django_assert_num_queries(13):
        response = client.get("/admin/laureats/bilans/")
    page = unescape(response.content.decode())
    assert response.status_code == 200
    assert "À envoyer avant le" in page and "31 mars 2027" in page
    assert "Bilans reçus" in page and "1 sur 2" in page and "0 sur 2" in page
    assert "Pas encore envoyé" in page
    assert page.count("Épicerie du Marché (exemple)") == 2  # not sent, for both forms
    assert page.count("Café des Quatre-Chemins (exemple)") == 1  # sent the first, not the second
    assert "Parti du réseau" not in page  # left the network: not waited for
    assert "@example.org" not in page
