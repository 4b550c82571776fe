"""Production's task backend and no worker running: what is published is found at once.

Wagtail 8 enqueues every search index update as a task. The test settings run tasks at once;
here the task backend is production's (config/settings/base.py), with no ``db_worker``: the
index updates must run in the publishing process after its commit, the emails must wait in
the database queue. The commit is simulated by ``django_capture_on_commit_callbacks``
(the test itself runs in a transaction that is never committed).
"""

import pytest
from django.core.cache import cache
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from calls.tasks import send_team_notification
from config.settings import base
from tests.search.test_search_page import result_titles, search
from tests.stories.factories import StoryPageFactory

pytestmark = pytest.mark.django_db

PRODUCTION_BACKEND = "home.task_backends.DatabaseBackendWithInlineTasks"
INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"


@pytest.fixture
def production_tasks(settings):
    settings.TASKS = {"default": {**base.TASKS["default"], "BACKEND": PRODUCTION_BACKEND}}


@pytest.fixture
def draft(production_tasks, story_index):
    """A story written but not published yet, with a word no other page has.

    Saved under the task backend of the test: the database backend's index is filtered on
    the page table's ``live``, so a draft indexed when it is saved would be found once
    published even if the publish itself updated nothing.
    """
    return write_draft(story_index)


def write_draft(parent):
    return StoryPageFactory(
        parent=parent,
        title="Le Zinc Bleu",
        business_name="Le Zinc Bleu",
        summary="Un bistrot de quartier qui prête des outils de zinguerie aux voisins.",
        live=False,
    )


def publish(page):
    page.save_revision().publish()


def test_production_runs_the_index_updates_inline_and_nothing_else():
    assert base.TASKS["default"]["OPTIONS"]["INLINE_TASKS"] == [INDEX_TASK]


def test_a_published_story_is_found_without_a_worker(
    client, production_tasks, draft, django_capture_on_commit_callbacks
):
    assert result_titles(search(client, q="zinguerie")) == []
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft)
    assert result_titles(search(client, q="zinguerie")) == ["Le Zinc Bleu"]
    # Nothing of the index waits in the queue for a worker that does not run.
    assert not DBTaskResult.objects.filter(task_path=INDEX_TASK).exists()


def test_an_unpublished_change_is_not_indexed(client, production_tasks, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft)
    draft.refresh_from_db()
    draft.summary = "Un bistrot de quartier qui répare les vélos du voisinage."
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision()  # a draft of the change: the live page keeps its text
    assert result_titles(search(client, q="zinguerie")) == ["Le Zinc Bleu"]
    assert result_titles(search(client, q="vélos")) == []
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft)
    assert result_titles(search(client, q="vélos")) == ["Le Zinc Bleu"]


def test_a_publish_rolled_back_indexes_nothing(client, production_tasks, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                publish(draft)
                raise RuntimeError("the publish fails after the page was saved")
        except RuntimeError:
            pass
    assert callbacks == []
    assert result_titles(search(client, q="zinguerie")) == []


def test_emails_still_wait_for_the_worker(production_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_team_notification.enqueue(0)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "calls.tasks.send_team_notification"
    assert queued.status == "READY"


def test_with_the_plain_database_queue_only_a_worker_indexes(
    client, settings, story_index, django_capture_on_commit_callbacks
):
    """What the production backend fixes: on django_tasks_db's own backend, writing and
    publishing a story leave the index untouched until a worker runs the queued updates."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        draft = write_draft(story_index)
        publish(draft)
    assert result_titles(search(client, q="zinguerie")) == []
    assert DBTaskResult.objects.filter(task_path=INDEX_TASK).exists()
    # What a worker would do with the queue (db_worker itself closes the database connection,
    # which on PostgreSQL is the test's own).
    for queued in DBTaskResult.objects.ready():
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    # The listings' cache (stories.listing_cache) moved to a new generation when the page was
    # saved, not when the worker indexed it: the empty answer above stays cached until it
    # expires, so forget it as its expiry would.
    cache.clear()
    assert result_titles(search(client, q="zinguerie")) == ["Le Zinc Bleu"]
