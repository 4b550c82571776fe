"""From the form to the queue: applications past the soft limit of one address reach the
team like any other, marked « à vérifier »."""

import re

import pytest

from calls.models import Application
from tests.calls.factories import make_call, valid_answers

pytestmark = pytest.mark.django_db

INDEX = "/admin/moderation/"


def test_applications_past_the_soft_limit_are_in_the_queue_marked_to_check(
    client, call_index, moderator, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.CALLS_SUBMISSION_SOFT_LIMIT = 1
    settings.CALLS_SUBMISSION_HARD_LIMIT = 10
    open_call = make_call(call_index, slug="appel-ouvert", title="Appel ouvert")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            html = client.get(open_call.url).content.decode()
            token = re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)
            response = client.post(open_call.url, {**valid_answers(), "qc_jeton": token}, REMOTE_ADDR="203.0.113.5")
            assert response.status_code == 303
    first, second = Application.objects.order_by("pk")
    assert len(mailoutbox) == 4  # both confirmations, both notifications

    client.force_login(moderator)
    html = client.get(INDEX).content.decode()
    assert first.reference in html and second.reference in html
    row = re.search(rf'data-reference="{second.reference}".*?</tr>', html, re.S).group(0)
    assert "(à vérifier)" in row
    assert "(à vérifier)" not in re.search(rf'data-reference="{first.reference}".*?</tr>', html, re.S).group(0)
    html = client.get(INDEX, {"check": "1"}).content.decode()
    assert second.reference in html and first.reference not in html
