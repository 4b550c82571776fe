"""Pages that hold something private: the applicant's space, a page reached through a secret
link (a registration, an unsubscription, a calendar feed). One decorator for all of them.

``private_view`` marks every response of the view ``never_cache`` (Django's
``add_never_cache_headers``: ``private, no-store``…, so neither the browser's cache, a CDN nor
the anonymous page cache of ``home/page_cache.py`` keeps it) and ``X-Robots-Tag: noindex`` (a
link shared by mistake is not indexed).
"""

import functools

from django.utils.cache import add_never_cache_headers


def private_headers(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def private_view(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return private_headers(view(request, *args, **kwargs))

    return wrapped
