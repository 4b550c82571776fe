"""The client's address, as the login throttle (django-axes) and rate limits must see it."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """Return the address of the client that sent ``request``.

    Behind ``TRUSTED_PROXY_COUNT`` proxies (load balancer, CDN), each proxy appends the
    address it received the request from to X-Forwarded-For, so the client is the N-th entry
    from the right; everything left of it was written by the client and can be forged.
    With no trusted proxy, the socket's address (REMOTE_ADDR) is the only truth.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        entries = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(entries) >= count:
            candidate = entries[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote or None
