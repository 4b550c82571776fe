#!/bin/sh
# Prepare the release, then hand over to the command (gunicorn by default).
#
# First the deploy checks (`check --deploy`, home/checks.py): a production container refuses to
# start on a laptop default (SQLite or files on its own writable layer, a per-process cache, the
# console email backend, a loopback WAGTAILADMIN_BASE_URL), naming the variable to set.
#
# RUN_MIGRATIONS=1 (the default): `migrate` (home/management/commands/migrate.py) takes a
# PostgreSQL advisory lock first, so containers starting together apply each migration once:
# the first migrates, the others wait for its lock, then find nothing left to apply. The compose
# stack still migrates in its one-shot `release` service only, before any replica starts.
#
# RUN_UPDATE_INDEX=1 (off by default): rebuild the search indexes from the database
# (`update_index`: Elasticsearch and the database index), for a new or emptied Elasticsearch
# and for indexed fields a release changed; publishing keeps them up to date in between.
# A rebuild reads every indexed object and rewrites its index: seconds on this site, more as
# the content grows, and two at once waste the work and race (each builds a new Elasticsearch
# index and moves the alias to it; each rewrites the database index in one transaction). So it
# runs in one container per deploy, never in every replica: docker-compose.yml turns it on for
# its one-shot `release` service only. A failed rebuild does not stop the deploy: searches fall
# back to the database index (search/elasticsearch.py), /readyz/ reports Elasticsearch, and
# `python manage.py update_index` can be run again by hand.
# The rebuild writes whole batches of documents: it gets its own, longer timeout
# (ELASTICSEARCH_UPDATE_INDEX_TIMEOUT, 300 s) instead of the one of the site's index
# writes (ELASTICSEARCH_INDEX_TIMEOUT, 10 s). It also creates the site's indexes with their
# French analysis before anything is indexed: the cluster must not create them itself
# (docs/operations.md, « Elasticsearch »).
set -e
python manage.py check --deploy --fail-level ERROR
if [ "${RUN_MIGRATIONS:-1}" = "1" ]; then
    python manage.py migrate --noinput
fi
if [ "${RUN_UPDATE_INDEX:-0}" = "1" ]; then
    ELASTICSEARCH_INDEX_TIMEOUT="${ELASTICSEARCH_UPDATE_INDEX_TIMEOUT:-300}" \
        python manage.py update_index --verbosity 1 \
        || echo "entrypoint: update_index failed; the site starts, run it again once the search engine answers" >&2
fi
exec "$@"
