"""Secrets kept out of every log line: the one-time sign-in token of the applicant's space
(and every other secret link: the list's, the network's registrations and calendar feeds).

A sign-in link is ``/espace-candidat/connexion/<token>/``: whoever reads the token before its
owner uses it can sign in as them, and mail scanners open links before people do, so an
access log holding it holds live keys. The token segment is replaced by ``[masqué]`` in:

- gunicorn's access and error logs (``GunicornLogger``, set as ``logger_class`` in
  ``config/gunicorn.py``; the access format already leaves the query string out);
- Django's logs (``RedactSecretsFilter`` on the handlers of ``LOGGING`` in
  ``config/settings/base.py``: ``django.request``'s « Not Found: … » and errors, and
  ``runserver``'s ``django.server`` request lines).

This module imports neither Django nor the project: gunicorn's master loads it before Django.
A new URL carrying a secret in its path adds its prefix to ``SECRET_PATH_PREFIXES``.
"""

import logging
import re

from gunicorn.glogging import Logger

# Paths whose next segment is a secret (the site's URLs, as mounted by config/urls.py).
SECRET_PATH_PREFIXES = (
    "/espace-candidat/connexion/",
    "/prevenez-moi/confirmer/",
    "/prevenez-moi/desinscription/",
    "/seances/inscription/",
    "/seances/invitation/",
    "/seances/agenda/",
)
MASK = "[masqué]"
_SECRET = re.compile("(" + "|".join(re.escape(prefix) for prefix in SECRET_PATH_PREFIXES) + r")[^/?#\s\"']+")


def redact(text):
    """``text`` with every secret path segment masked."""
    return _SECRET.sub(lambda match: match.group(1) + MASK, text)


class RedactSecretsFilter(logging.Filter):
    """Masks secrets in a record's message and traceback (in place, so that every handler
    after this one sees the masked record too)."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class GunicornLogger(Logger):
    """gunicorn's logger with the secrets masked in its access and error logs."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(item, RedactSecretsFilter) for item in log.filters):
                log.addFilter(RedactSecretsFilter())
