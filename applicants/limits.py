"""How often sign-in links may be asked for: per address and per client, in the shared
cache, in fixed windows (the same counting as the submission limits, calls/submission.py).

- ``APPLICANTS_LINK_LIMIT_PER_ADDRESS`` links per email address and
  ``APPLICANTS_LINK_LIMIT_PER_CLIENT`` requests per client address in a window of
  ``APPLICANTS_LINK_WINDOW`` seconds; past either, a 429 with ``Retry-After``.
- The address is counted under a hash: the cache never holds an applicant's email.
- The cache down (Redis stopped) counts nothing and refuses nothing (logged), and the
  database still holds the line that matters most: one link per address per
  ``APPLICANTS_LINK_MIN_INTERVAL`` seconds (``ApplicantAccount.link_sent_at``), so an
  outage never turns the form into a way to flood someone's mailbox.
"""

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import caches

from home.security import client_ip

logger = logging.getLogger(__name__)


def _window():
    window = settings.APPLICANTS_LINK_WINDOW
    now = time.time()
    return int(now // window), max(1, math.ceil(window - now % window))


def _increment(key, timeout):
    if caches["counters"].add(key, 1, timeout=timeout):
        return 1
    try:
        return caches["counters"].incr(key)
    except ValueError:  # expired between add() and incr()
        caches["counters"].set(key, 1, timeout=timeout)
        return 1


def count_link_request(request, email):
    """Count one request for a link; return seconds to wait when over a limit, else None."""
    number, retry_after = _window()
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    client = client_ip(request) or "unknown"
    timeout = settings.APPLICANTS_LINK_WINDOW + 60
    try:
        per_client = _increment(f"applicants:link:client:{client}:{number}", timeout)
        per_address = _increment(f"applicants:link:address:{digest}:{number}", timeout)
    except Exception:
        logger.warning("Sign-in link limits not counted: the cache does not answer", exc_info=True)
        return None
    if (
        per_client > settings.APPLICANTS_LINK_LIMIT_PER_CLIENT
        or per_address > settings.APPLICANTS_LINK_LIMIT_PER_ADDRESS
    ):
        return retry_after
    return None
