#!/bin/sh
# Migrate, then hand over to the command (gunicorn by default). Migrations take a lock in
# PostgreSQL, so several containers starting together apply them once.
set -e
if [ "${RUN_MIGRATIONS:-1}" = "1" ]; then
    python manage.py migrate --noinput
fi
exec "$@"
