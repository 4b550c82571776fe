"""The team's view of the list: counts and the CSV export, for moderators only."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from mailing.models import Subscriber
from tests.moderation.factories import user_in

pytestmark = pytest.mark.django_db

URL = "/admin/mailing_subscribers/"


@pytest.fixture
def subscribers():
    now = timezone.now()
    rows = [
        ("un@example.org", "commerce", "bretagne", now),
        ("deux@example.org", "commerce", "ile-de-france", now),
        ("trois@example.org", "presse", "", now),
        ("quatre@example.org", "habitant", "bretagne", None),
    ]
    for email, role, region, confirmed_at in rows:
        Subscriber.objects.create(
            email=email,
            role=role,
            region=region,
            consent_text="J'accepte.",
            consent_version="test",
            consent_at=now,
            confirmed_at=confirmed_at,
        )


def test_moderators_see_the_counts_and_export_the_list(client, subscribers, django_assert_max_num_queries):
    client.force_login(user_in("Modérateurs"))
    with django_assert_max_num_queries(30):
        response = client.get(URL)
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts["confirmed"], counts["unconfirmed"]) == (3, 1)
    assert dict(counts["by_role"]) == {"Commerce, café, restaurant, tiers-lieu": 2, "Presse": 1}
    assert dict(counts["by_region"]) == {"Bretagne": 1, "Île-de-France": 1, "Non précisée": 1}
    page = response.content.decode()
    assert "3 inscription(s) confirmée(s), 1 en attente de confirmation." in page
    # Nobody adds or edits a subscriber for someone else.
    add = reverse("mailing_subscribers:add")
    assert add not in page
    assert client.get(add).status_code in (302, 403)
    assert client.get(reverse("mailing_subscribers:edit", args=[Subscriber.objects.first().pk])).status_code in (
        302,
        403,
    )

    found = client.get(URL, {"q": "deux@"})
    assert found.status_code == 200
    assert [row.email for row in found.context["object_list"]] == ["deux@example.org"]

    response = client.get(URL, {"export": "csv", "confirmed": "true"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == ["deux@example.org", "trois@example.org", "un@example.org"]


def test_editors_and_reviewers_do_not_see_the_list(client, subscribers):
    for group in ("Éditeurs", "Évaluateurs"):
        client.force_login(user_in(group))
        assert client.get(URL).status_code in (302, 403)
        assert client.get(URL, {"export": "csv"}).status_code in (302, 403)
