# Quartiers Cafés — production image: gunicorn + WhiteNoise, production settings.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000

# gettext compiles the French catalogue; curl serves the HEALTHCHECK.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=app:app . .

# Build-time only values: collectstatic and compilemessages need settings to load.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py compilemessages --ignore=.venv -v0 \
    && mkdir -p /app/media /app/private_media && chown app:app /app/media /app/private_media

USER app
EXPOSE 8000

# Liveness: /healthz/ wherever gunicorn listens (GUNICORN_BIND, a unix socket included).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/app/docker/healthcheck.sh"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "config.wsgi:application", "-c", "config/gunicorn.py"]
