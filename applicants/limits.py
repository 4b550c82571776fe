"""How often sign-in links may be asked for: per address and per client, in the shared
cache, in fixed windows (``home.ratelimit``, as the submission limits).

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

from django.conf import settings

from home import ratelimit


def count_link_request(request, email):
    """Count one request for a link; return seconds to wait when over a limit, else None."""
    window = ratelimit.Window.now(settings.APPLICANTS_LINK_WINDOW)
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    per_client = window.key("applicants:link:client", ratelimit.client(request))
    per_address = window.key("applicants:link:address", digest)
    counted = ratelimit.count(window, {per_client: 1, per_address: 1}, what="Sign-in link limits not counted")
    if counted is None:
        return None
    if (
        counted[per_client] > settings.APPLICANTS_LINK_LIMIT_PER_CLIENT
        or counted[per_address] > settings.APPLICANTS_LINK_LIMIT_PER_ADDRESS
    ):
        return window.retry_after
    return None
