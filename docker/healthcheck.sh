#!/bin/sh
# The image's HEALTHCHECK (liveness): GET /healthz/ where gunicorn listens, as config/gunicorn.py
# reads it: GUNICORN_BIND (its first address), else every interface on PORT.
bind="${GUNICORN_BIND:-0.0.0.0:${PORT:-8000}}"
bind="${bind%%,*}"
bind="$(echo "$bind" | tr -d ' ')"
case "$bind" in
    unix:*)
        exec curl --fail --silent --max-time 4 --output /dev/null \
            --unix-socket "${bind#unix:}" "http://localhost/healthz/"
        ;;
esac
host="${bind%:*}"
port="${bind##*:}"
# A wildcard address is not one to connect to: the loopback is.
case "$host" in
    "" | 0.0.0.0) host=127.0.0.1 ;;
    "[::]") host="[::1]" ;;
esac
exec curl --fail --silent --max-time 4 --output /dev/null "http://${host}:${port}/healthz/"
