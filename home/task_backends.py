"""The production task backend: django-tasks' database queue, search index updates excepted.

Wagtail 8 no longer updates the search index while a page is saved: modelsearch's post_save
handler enqueues ``modelsearch.tasks.insert_or_update_object_task`` on the ``default`` task
backend, the only one a library's task can name. On the database queue that is a row waiting
for a ``manage.py db_worker``: without a worker a published story is never found, and with one
it is found only after the worker's next poll. Neither modelsearch nor django-tasks has a
setting that sends one task to another backend, so this backend routes them: the tasks named in
``OPTIONS["INLINE_TASKS"]`` run in the process that enqueued them, once its transaction has
committed; every other task (the applicants' and the team's emails, Wagtail's reference index,
file deletions) is a row of the database queue, as with ``django_tasks_db.DatabaseBackend``.

After the commit, not at once: Elasticsearch is outside the transaction, and indexing before
the commit could index a state a rollback then cancels; the task reloads the object by its key,
so it indexes what was committed (the object deleted meanwhile: the task fails, logged). A
failing update is logged by django-tasks and never fails the request that published the page;
modelsearch already logs and swallows Elasticsearch's own errors. The cost is the index write
inside the editor's publish request: one row in the database index, one document in
Elasticsearch (at most ELASTICSEARCH_TIMEOUT when it is down).
"""

from asgiref.sync import sync_to_async
from django.db import transaction
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from django_tasks_db.backend import DatabaseBackend


class DatabaseBackendWithInlineTasks(DatabaseBackend):
    """The database queue; the tasks listed in ``OPTIONS["INLINE_TASKS"]`` run after the commit."""

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.inline_tasks = frozenset(self.options.get("INLINE_TASKS", ()))
        # Runs the inline tasks: its outcome (success, or the error and its traceback) is logged
        # and signalled (task_started, task_finished) as for any task run by django-tasks.
        self.inline_runner = ImmediateBackend(alias, params)

    def runs_inline(self, task):
        # A task deferred to later (run_after) keeps its date: only the queue honours it.
        return task.module_path in self.inline_tasks and task.run_after is None

    def enqueue(self, task, args, kwargs):
        if not self.runs_inline(task):
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        transaction.on_commit(lambda: self.inline_runner.enqueue(task, args, kwargs), robust=True)
        # What is handed back is the task as it stands now, waiting for the commit; nothing in
        # the queue matches it, so get_result() cannot find it later (modelsearch never asks).
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

    async def aenqueue(self, task, args, kwargs):
        if not self.runs_inline(task):
            return await super().aenqueue(task, args, kwargs)
        return await sync_to_async(self.enqueue)(task, args, kwargs)
