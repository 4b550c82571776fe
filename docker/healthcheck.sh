#!/bin/sh
# The image's HEALTHCHECK (liveness): GET /healthz/ where gunicorn listens (docker/healthcheck.py:
# GUNICORN_BIND, a unix socket included, else every interface on PORT).
exec python /app/docker/healthcheck.py
