"""Settings of the site's operations: periodic jobs, backups, the readiness probe, background
tasks and the search backends. Imported by base.py (``from .base import *`` brings them to
every environment).
"""

from search.es_settings import backend_settings as elasticsearch_backend_settings

from .environment import BASE_DIR, env

# --- Periodic jobs (home/scheduler.py, `manage.py run_scheduler`: the `scheduler` service) ---
# The registry: name → the management command, its crontab line (Paris time) and, for a job
# whose lateness matters, the hours after which /readyz/ reports it overdue. Each runs at most
# once per period across replicas and restarts. A new periodic job is one entry here.
PERIODIC_JOBS = {
    # Retention of applicants' data (RGPD), then the orphan files: every night.
    "purge_applications": {"command": "purge_applications", "crontab": "0 3 * * *", "overdue_hours": 26},
    "sweep_orphan_files": {"command": "sweep_orphan_files", "crontab": "17 * * * *"},
    # Retention of the contact data of laureates who left the network.
    "purge_laureate_contacts": {"command": "purge_laureate_contacts", "crontab": "30 3 * * *", "overdue_hours": 26},
    # Reminders to owners of unsent drafts, in the morning.
    "remind_drafts": {"command": "remind_drafts", "crontab": "0 9 * * *"},
    # Reminders to laureates of their coaching plan's next milestones, in the morning.
    "remind_milestones": {"command": "remind_milestones", "crontab": "10 9 * * *"},
    # Reminders to laureates of a report (« bilan ») to send before its due date.
    "remind_reports": {"command": "remind_reports", "crontab": "20 9 * * *"},
    # Scheduled announcements of decisions, where the task queue could not defer them.
    "announce_decisions": {"command": "announce_decisions", "crontab": "*/5 * * * *"},
    # The « prévenez-moi » list: calls whose opening has come, then the lapsed sign-ups.
    "announce_call_openings": {"command": "announce_call_openings", "crontab": "*/5 * * * *"},
    "purge_mailing_list": {"command": "purge_mailing_list", "crontab": "30 3 * * *"},
    # The network's sessions: unconfirmed registrations expire (the waiting list moves), the
    # day-before reminders, the registrations' retention.
    "expire_registrations": {"command": "expire_registrations", "crontab": "*/15 * * * *"},
    "remind_sessions": {"command": "remind_sessions", "crontab": "0 10 * * *"},
    "purge_network_registrations": {"command": "purge_network_registrations", "crontab": "40 3 * * *"},
}

# --- The « prévenez-moi du prochain appel » list (mailing/) -----------------------------
# A confirmation link is valid MAILING_CONFIRMATION_MAX_AGE_DAYS; a sign-up still unconfirmed
# after MAILING_UNCONFIRMED_DAYS is deleted, a confirmed one not renewed (by a new confirmation
# link) for MAILING_SUBSCRIPTION_DAYS too (manage.py purge_mailing_list). At most one
# confirmation email per address per MAILING_CONFIRMATION_MIN_INTERVAL_MINUTES; the form takes
# MAILING_SIGNUP_LIMIT sign-ups per client per MAILING_SIGNUP_WINDOW seconds. A call's
# announcement goes in batches of MAILING_BATCH_SIZE; a batch not sent within
# MAILING_REQUEUE_MINUTES (a stopped worker) is queued again. MAILING_CONSENT_VERSION names
# the consent text stored with each sign-up (mailing/forms.py): change it with the text.
MAILING_CONFIRMATION_MAX_AGE_DAYS = env.int("MAILING_CONFIRMATION_MAX_AGE_DAYS", default=7)
MAILING_UNCONFIRMED_DAYS = env.int("MAILING_UNCONFIRMED_DAYS", default=7)
MAILING_SUBSCRIPTION_DAYS = env.int("MAILING_SUBSCRIPTION_DAYS", default=3 * 365)
MAILING_CONFIRMATION_MIN_INTERVAL_MINUTES = env.int("MAILING_CONFIRMATION_MIN_INTERVAL_MINUTES", default=5)
MAILING_SIGNUP_LIMIT = env.int("MAILING_SIGNUP_LIMIT", default=10)
MAILING_SIGNUP_WINDOW = env.int("MAILING_SIGNUP_WINDOW", default=3600)
MAILING_BATCH_SIZE = env.int("MAILING_BATCH_SIZE", default=100)
MAILING_REQUEUE_MINUTES = env.int("MAILING_REQUEUE_MINUTES", default=30)
MAILING_CONSENT_VERSION = "2026-12"

# --- Backups (home/backup.py: manage.py backup / restore) -------------------------------
# One dated folder per backup under BACKUP_ROOT (a volume of its own, not the media's): the
# database (pg_dump, custom format), the public media and the private attachments, with a
# manifest. The BACKUP_KEEP latest stay. BACKUP_CRONTAB (Paris time, e.g. "30 2 * * *") makes
# it a periodic job of the scheduler; empty (the default, and SQLite), no automatic backup.
BACKUP_ROOT = env("BACKUP_ROOT", default=str(BASE_DIR / "backups"))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
BACKUP_CRONTAB = env("BACKUP_CRONTAB", default="")
PG_DUMP = env("PG_DUMP", default="pg_dump")
PG_RESTORE = env("PG_RESTORE", default="pg_restore")
if BACKUP_CRONTAB:
    PERIODIC_JOBS["backup"] = {"command": "backup", "crontab": BACKUP_CRONTAB, "overdue_hours": 26}
# A scheduler that runs some of the jobs only (the compose stack's `backup` service: "backup").
SCHEDULER_JOBS = env.list("SCHEDULER_JOBS", default=[])
if SCHEDULER_JOBS:
    PERIODIC_JOBS = {name: spec for name, spec in PERIODIC_JOBS.items() if name in SCHEDULER_JOBS}

# --- Readiness probe (/readyz/, home/health.py) ----------------------------------------
# Its details (services, errors) go to these networks (the client's address behind
# TRUSTED_PROXY_COUNT proxies) or to a request with « Authorization: Bearer READYZ_TOKEN »;
# everyone else gets the status alone.
READYZ_ALLOWED_NETWORKS = env.list(
    "READYZ_ALLOWED_NETWORKS",
    default=["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
)
READYZ_TOKEN = env("READYZ_TOKEN", default="")

# --- Background tasks (django-tasks, database backend: survives a restart) -------------
# Emails and Wagtail's housekeeping wait in the database for `manage.py db_worker`. The search
# index must not: Wagtail 8 (modelsearch) enqueues every index update as a task on this
# "default" backend, with no setting to send it elsewhere, so with the plain database queue a
# published story stays out of the search until a worker runs. home.task_backends runs the
# tasks of INLINE_TASKS in the publishing process right after its commit, and queues the rest.
# https://pypi.org/project/django-tasks/ (a task names its backend alias when it is declared)
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="home.task_backends.DatabaseBackendWithInlineTasks"),
        "OPTIONS": {"INLINE_TASKS": ["modelsearch.tasks.insert_or_update_object_task"]},
    }
}

# --- Search ---------------------------------------------------------------------------
# The database backend always runs; with ELASTICSEARCH_URL, Elasticsearch 9 becomes the
# default and the database index is kept up to date as a fallback. Without Elasticsearch
# there is one backend only: two names for the same database index would index every page
# twice and rebuild it twice.
# On PostgreSQL the index uses the french_unaccent text search configuration (created by
# the site_search app's migration): French stems, accents ignored on both sides. SQLite
# ignores SEARCH_CONFIG (FTS5 folds accents; see search/query.py for plurals).
# Elasticsearch (search/elasticsearch.py, search/es_settings.py): every search, public or
# admin, falls back to the database index when it fails; one failure keeps searches off it
# for ELASTICSEARCH_BREAKER_SECONDS (a circuit breaker shared through the cache). Queries
# wait ELASTICSEARCH_TIMEOUT at most (no retry), index writes ELASTICSEARCH_INDEX_TIMEOUT
# (docker/entrypoint.sh gives `update_index` a longer one); a failed index write is retried
# through the task queue (search/indexing.py).
# https://docs.wagtail.org/en/stable/topics/search/backends.html
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="quartierscafes_")
ELASTICSEARCH_TIMEOUT = env.float("ELASTICSEARCH_TIMEOUT", default=3)
ELASTICSEARCH_INDEX_TIMEOUT = env.float("ELASTICSEARCH_INDEX_TIMEOUT", default=10)
ELASTICSEARCH_BREAKER_SECONDS = env.int("ELASTICSEARCH_BREAKER_SECONDS", default=30)
ELASTICSEARCH_CA_CERTS = env("ELASTICSEARCH_CA_CERTS", default="")
ELASTICSEARCH_VERIFY_CERTS = env.bool("ELASTICSEARCH_VERIFY_CERTS", default=True)
ELASTICSEARCH_API_KEY = env("ELASTICSEARCH_API_KEY", default="")
ELASTICSEARCH_USERNAME = env("ELASTICSEARCH_USERNAME", default="")
ELASTICSEARCH_PASSWORD = env("ELASTICSEARCH_PASSWORD", default="")
_DATABASE_SEARCH = {
    "BACKEND": "wagtail.search.backends.database",
    "SEARCH_CONFIG": env("SEARCH_CONFIG", default="french_unaccent"),
}
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": elasticsearch_backend_settings(
            ELASTICSEARCH_URL,
            index_prefix=ELASTICSEARCH_INDEX_PREFIX,
            timeout=ELASTICSEARCH_TIMEOUT,
            index_timeout=ELASTICSEARCH_INDEX_TIMEOUT,
            breaker_seconds=ELASTICSEARCH_BREAKER_SECONDS,
            ca_certs=ELASTICSEARCH_CA_CERTS,
            verify_certs=ELASTICSEARCH_VERIFY_CERTS,
            api_key=ELASTICSEARCH_API_KEY,
            username=ELASTICSEARCH_USERNAME,
            password=ELASTICSEARCH_PASSWORD,
        ),
        "database": _DATABASE_SEARCH,
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": _DATABASE_SEARCH}
