"""Elasticsearch index updates that failed: retried through the task queue, and counted.

modelsearch updates every backend after a save (``insert_or_update_object``) and, for an
external engine, only logs an error. Elasticsearch would then serve stale data with no sign
of it. ``search.elasticsearch`` hands each failed update (or each update skipped because the
circuit breaker is open) to :func:`schedule_retry`: the failure is counted, and
:func:`retry_index_update` is queued on the task backend to run later (``run_after``), on
the database queue of production, where ``manage.py db_worker`` picks it up. Each attempt
that fails again queues the next one after a longer delay; after the last one the task
fails, and the queue keeps it as failed. The readiness probe reports how many updates wait
and how many failed for good in the last day (:func:`index_update_counts`).

A task backend that cannot defer a task (the immediate backend of development and tests)
gets no retry: the failure is counted and logged, and ``manage.py update_index`` repairs
the index.
"""

import datetime
import logging

from django.apps import apps
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from modelsearch.backends import get_search_backends_with_name
from modelsearch.index import get_indexed_instance

logger = logging.getLogger(__name__)

# Seconds before attempt 2, 3, …: a restart, a rolling upgrade, a night of maintenance.
RETRY_DELAYS = (60, 300, 1800, 3 * 3600, 12 * 3600)
FAILURES_KEY = "search:index-update-failures"
TASK_PATH = "search.indexing.retry_index_update"


class IndexUpdateFailed(Exception):
    """The last attempt at an index update failed: the queue records the task as failed."""


def count_failure():
    """One more failed (or skipped) index update, in the shared cache, for the probe."""
    try:
        if not cache.add(FAILURES_KEY, 1, None):
            cache.incr(FAILURES_KEY)
    except Exception:
        logger.warning("Could not count a failed search index update", exc_info=True)


def failures_counted():
    try:
        return int(cache.get(FAILURES_KEY) or 0)
    except Exception:
        return None


def schedule_retry(action, model, pk, *, attempt=1):
    """Queue attempt ``attempt`` of ``action`` (« add » or « delete ») for ``model`` ``pk``.

    Returns the task result, or None when the task backend cannot defer a task.
    """
    count_failure()
    backend = task_backends[retry_index_update.backend]
    if not backend.supports_defer:
        logger.error(
            "Search index update %s %s %s not retried: the task backend %s cannot defer a task",
            action,
            model._meta.label,
            pk,
            type(backend).__name__,
        )
        return None
    run_after = timezone.now() + datetime.timedelta(seconds=RETRY_DELAYS[attempt - 1])
    return retry_index_update.using(run_after=run_after).enqueue(
        action, model._meta.app_label, model._meta.model_name, str(pk), attempt
    )


def retrying_backends():
    """The backends that defer their failed updates here (``search.elasticsearch``)."""
    return [
        backend
        for _name, backend in get_search_backends_with_name(with_auto_update=True)
        if hasattr(backend, "index_now")
    ]


@task()
def retry_index_update(action, app_label, model_name, pk, attempt):
    """Apply the object's current state to Elasticsearch: index it, or remove it if it is gone
    (or no longer indexed). Failing again queues the next attempt, or fails for good."""
    model = apps.get_model(app_label, model_name)
    obj = None
    if action == "add":
        found = model._default_manager.filter(pk=pk).first()
        obj = get_indexed_instance(found) if found is not None else None
    if obj is None:
        action, obj = "delete", model(pk=pk)
    errors = []
    for backend in retrying_backends():
        try:
            backend.index_now(action, obj)
        except Exception as exc:
            errors.append(exc)
    if not errors:
        return "done"
    if attempt < len(RETRY_DELAYS):
        logger.warning(
            "Search index update %s %s.%s %s failed again (attempt %s)", action, app_label, model_name, pk, attempt
        )
        schedule_retry(action, model, pk, attempt=attempt + 1)
        return "retried later"
    raise IndexUpdateFailed(f"{action} {app_label}.{model_name} {pk}: {attempt} attempts failed") from errors[0]


def index_update_counts():
    """How many index updates wait in the queue, and how many failed for good in the last day.

    ``None`` when the task backend is not the database queue (nothing to count).
    """
    backend = task_backends[retry_index_update.backend]
    if not isinstance(backend, DatabaseBackend):
        return {"pending_index_updates": None, "failed_index_updates": None}
    rows = DBTaskResult.objects.filter(task_path=TASK_PATH)
    since = timezone.now() - datetime.timedelta(days=1)
    return {
        "pending_index_updates": rows.filter(status=TaskResultStatus.READY).count(),
        "failed_index_updates": rows.filter(status=TaskResultStatus.FAILED, finished_at__gte=since).count(),
    }
