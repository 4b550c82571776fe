"""SQL queries of the call editor (GET /admin/pages/<id>/edit/): pinned, and the same with
2 or 20 applications (the answers-count notices read the applications once per request,
``calls.models.answer_counts``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.calls.factories import CallFormFieldFactory
from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

# 35 measured with Wagtail 8.0.1 on SQLite: the editor's panels, the revision,
# the workflow, the form fields and their answers' counts, the criteria and decision texts.
MAX_EDITOR_QUERIES = 35
# With a draft revision: the revision is read and made into a page (its children's key back
# to the page no longer read once per question, home.models.BasePage.from_serializable_data).
MAX_DRAFT_EDITOR_QUERIES = 60


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


def test_a_call_with_a_draft_opens_in_the_same_queries_whatever_its_number_of_questions(
    client, call, other_call, admin_user
):
    """A draft revision is made into a page on every open and save; its children's key back to
    the page is not read again once per question (2 questions and 20, one revision each)."""
    client.force_login(admin_user)
    for page, questions in ((call, 2), (other_call, 20)):
        for _ in range(questions):
            CallFormFieldFactory(page=page)
        page.save_revision(user=admin_user)
    few = editor_queries(client, call)
    many = editor_queries(client, other_call)
    assert few == many
    assert few <= MAX_DRAFT_EDITOR_QUERIES


def test_a_draft_made_into_a_page_keeps_its_questions_on_their_call(call, admin_user):
    CallFormFieldFactory(page=call, label="Nom du commerce")
    call.save_revision(user=admin_user)
    draft = call.get_latest_revision_as_object()
    fields = list(draft.form_fields.all())
    assert [field.label for field in fields][-1] == "Nom du commerce"
    assert all(field.page is draft for field in fields)
