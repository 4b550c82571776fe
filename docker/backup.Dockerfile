# Quartiers Cafés — the `backup` service's image: the site's code and dependencies on the
# PostgreSQL 17 image, for its pg_dump and pg_restore (the server's own major version; Debian
# bookworm's client, 15, refuses to dump a 17 server). It runs `manage.py run_scheduler` with
# the backup job only (SCHEDULER_JOBS=backup): `manage.py backup` every night (home/backup.py).
ARG POSTGRES_IMAGE=postgres:17.6-bookworm
FROM ${POSTGRES_IMAGE}
ARG PIP_INDEX_URL
ARG PIP_CERT
ARG SSL_CERT_FILE
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv \
    && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --no-compile -r /tmp/requirements.txt

WORKDIR /app
COPY . .
RUN mkdir -p /backups && chown postgres:postgres /backups
ENV PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PYTHONUNBUFFERED=1 \
    BACKUP_ROOT=/backups
USER postgres
ENTRYPOINT []
CMD ["python", "manage.py", "run_scheduler"]
