# Quartiers Cafés — production image: gunicorn + WhiteNoise, production settings.
#
# Two stages: `build` installs the dependencies into a virtualenv, compiles the French catalogue,
# collects the static files and precompiles the bytecode; the final image copies only the
# virtualenv and the site's code (tests, bench, docs, .ci and .git never enter the build context:
# .dockerignore). The code belongs to root, read-only to the app's user (uid 1000), which writes
# only to the media folders, declared volumes (with S3 they stay empty).
#
# PYTHON_IMAGE: the official python:3.11-slim-bookworm by default; CI builds a local stand-in of
# it under the same name (.ci/base-image.sh). PIP_INDEX_URL, PIP_CERT, SSL_CERT_FILE: build
# arguments for a machine that reaches PyPI through its own index or CA bundle (never stored in
# the image: they exist in the build stage only).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG PIP_INDEX_URL
ARG PIP_CERT
ARG SSL_CERT_FILE
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext compiles the French catalogue (msgfmt), here only.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
# Left out of the virtualenv: the packages' own test suites, and their translations into other
# languages than French (and English, the source of some): about 70 MB.
RUN /opt/venv/bin/pip install --no-compile -r /tmp/requirements.txt \
    && /opt/venv/bin/pip uninstall -y -q pip setuptools \
    && find /opt/venv/lib/python3.11/site-packages -type d -name tests -prune -exec rm -rf {} + \
    && find /opt/venv/lib/python3.11/site-packages -type d -regex '.*/locale/[^/]*' \
        ! -name fr ! -name fr_FR ! -name en -prune -exec rm -rf {} +

WORKDIR /app
COPY . .
# Build-time only values: collectstatic and compilemessages need settings to load. Static files
# come out world-readable (config/settings/production.py: file_permissions_mode).
RUN export SECRET_KEY=build-only ALLOWED_HOSTS=localhost DJANGO_SETTINGS_MODULE=config.settings.production \
    && /opt/venv/bin/python manage.py collectstatic --noinput -v0 \
    && /opt/venv/bin/python manage.py compilemessages --ignore=.venv -v0 \
    && rm -rf locale/*/LC_MESSAGES/*.po \
    && /opt/venv/bin/python -m compileall -q -j 0 /app \
    && chmod -R a+rX,go-w /app /opt/venv

FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000 \
    MEDIA_ROOT=/app/media \
    PRIVATE_MEDIA_ROOT=/app/private_media \
    SQLITE_PATH=/app/data/db.sqlite3

# No apt package: the HEALTHCHECK is Python's (docker/healthcheck.py). The site's own code is
# compiled to bytecode at the build; the dependencies' is not (about 80 MB): each process
# compiles what it imports, in memory, since nothing under /opt/venv is writable.
RUN useradd --no-create-home --home-dir /app --shell /usr/sbin/nologin --uid 1000 app

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
# Where the app writes, when the files are local (a single-host install, SINGLE_HOST_INSTALL=1):
# public media, applicants' attachments, the SQLite database. Nothing else is writable.
RUN mkdir -p /app/media /app/private_media /app/data \
    && chown app:app /app/media /app/private_media /app/data \
    && chmod 750 /app/private_media /app/data
VOLUME ["/app/media", "/app/private_media", "/app/data"]

USER app
EXPOSE 8000

# Liveness: /healthz/ wherever gunicorn listens (GUNICORN_BIND, a unix socket included).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/app/docker/healthcheck.sh"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "config.wsgi:application", "-c", "config/gunicorn.py"]
