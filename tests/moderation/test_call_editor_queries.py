"""SQL queries of the call editor (GET /admin/pages/<id>/edit/): pinned, and the same with
2 or 20 applications (the answers-count notices read the applications once per request,
``calls.models.answer_counts``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

# 35 measured with Wagtail 8.0.1 on SQLite: the editor's panels, the revision,
# the workflow, the form fields and their answers' counts, the criteria and decision texts.
MAX_EDITOR_QUERIES = 35


def editor_queries(client, call):
    url = f"/admin/pages/{call.pk}/edit/"
    client.get(url)  # Wagtail's per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_call_editor_reads_a_bounded_number_of_queries(client, call, admin_user):
    client.force_login(admin_user)
    for _ in range(2):
        ApplicationFactory(page=call)
    few = editor_queries(client, call)
    for _ in range(18):
        ApplicationFactory(page=call)
    many = editor_queries(client, call)
    assert few == many
    assert few <= MAX_EDITOR_QUERIES
