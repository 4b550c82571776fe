"""The secret links of registration: a resident's or partner's registration, a session's
invitation for partners, a person's private calendar feed.

Each row holds a random key (``Registration.token_hash``, ``CalendarFeed.token_hash``: the
SHA-256 of 32 random bytes; ``SessionPage.invitation_key``). A link carries the row's id and an
HMAC of that key under ``SECRET_KEY`` (Django's ``salted_hmac``, one salt per kind of link, the
way password-reset links are made): nothing in the URL can be turned back into the key, a
forged or altered link fails the comparison, and changing the key revokes every link made
from it. The link is rebuilt whenever an email or a page needs it, so the key is never stored
in clear anywhere else, nor passed to the task queue (only ids are). The paths holding these
links are masked in every log (``home/log_redaction.py``).
"""

import hashlib
import secrets

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from home.links import absolute_url

REGISTRATION = "network.registration"
INVITATION = "network.invitation"
FEED = "network.feed"


def new_key():
    """A new random key, as stored (64 hexadecimal characters)."""
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def _signature(kind, pk, key):
    return salted_hmac(kind, f"{pk}:{key}", algorithm="sha256").hexdigest()[:40]


def make(kind, pk, key):
    return f"{pk}-{_signature(kind, pk, key)}"


def split(token):
    """(id, signature) of a link's token, or None when it cannot be one."""
    pk, _sep, signature = (token or "").partition("-")
    if not pk.isdigit() or len(pk) > 18 or len(signature) != 40:
        return None
    return int(pk), signature


def matches(kind, pk, key, signature):
    return bool(key) and constant_time_compare(_signature(kind, pk, key), signature)


def registration_token(registration):
    return make(REGISTRATION, registration.pk, registration.token_hash)


def registration_url(registration):
    return absolute_url(reverse("network_registration:manage", args=[registration_token(registration)]))


def invitation_token(session):
    return make(INVITATION, session.pk, session.invitation_key)


def invitation_url(session):
    return absolute_url(reverse("network_registration:invitation", args=[invitation_token(session)]))


def feed_token(feed):
    return make(FEED, feed.pk, feed.token_hash)


def feed_url(feed):
    return absolute_url(reverse("network_registration:feed", args=[feed_token(feed)]))
