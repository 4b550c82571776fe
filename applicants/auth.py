"""Passwordless sign-in to the applicant's space, with django-sesame's signed tokens.

- A link is made for an ``ApplicantAccount`` (an email address, see ``models.py``) by
  ``new_token``: its revocation key is changed first, so every older link stops working
  (sesame signs ``password``, ``SESAME_INVALIDATE_ON_PASSWORD_CHANGE``).
- ``account_from_token`` reads a token: it expires after ``SESAME_MAX_AGE`` seconds and
  works once (``SESAME_ONE_TIME``: sesame signs ``last_login``, which signing in changes).
- The session holds the address and the time of the last request; after
  ``APPLICANTS_SESSION_IDLE_SECONDS`` without a request it is forgotten.

The applicant is never a Django user: nothing here touches ``django.contrib.auth``'s
session keys, so the space gives no access to the admin and the admin none to the space.
https://django-sesame.readthedocs.io/
"""

import secrets
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from sesame.tokens import create_token, parse_token

from calls import drafts

from .models import ApplicantAccount

SCOPE = "applicants"
SESSION_EMAIL = "applicants_email"
SESSION_SEEN = "applicants_seen"


def normalise_email(email):
    return (email or "").strip().lower()


def new_token(account):
    """A new sign-in token for ``account``; every older one is revoked."""
    account.password = secrets.token_hex(32)
    ApplicantAccount.objects.filter(pk=account.pk).update(password=account.password, link_sent_at=timezone.now())
    return create_token(account, scope=SCOPE)


def _account_or_none(pk):
    return ApplicantAccount.objects.filter(pk=pk).first()


def account_from_token(token):
    """The account the token was made for, once; ``None`` if it is invalid, expired,
    revoked by a newer one or already used."""
    with transaction.atomic():
        account = parse_token(token, _account_or_none, scope=SCOPE)
        if account is None:
            return None
        # Used: the next parse of the same token fails (sesame signs last_login). The
        # conditional update makes two concurrent clicks succeed at most once.
        used = ApplicantAccount.objects.filter(pk=account.pk, last_login=account.last_login).update(
            last_login=timezone.now()
        )
        return account if used else None


def sign_in(request, account):
    request.session.cycle_key()  # a new session id: no fixation
    request.session[SESSION_EMAIL] = account.email
    request.session[SESSION_SEEN] = int(time.time())
    request.session.set_expiry(settings.APPLICANTS_SESSION_IDLE_SECONDS)


def sign_out(request):
    """Sign out, and forget the drafts this browser was writing: on a shared computer the
    next person must not find them (their owner resumes by the emailed link)."""
    request.session.pop(SESSION_EMAIL, None)
    request.session.pop(SESSION_SEEN, None)
    drafts.forget_all(request)
    request.session.cycle_key()


def signed_in_email(request):
    """The signed-in applicant's address, or ``None``; each request renews the idle timer."""
    email = request.session.get(SESSION_EMAIL)
    if not email:
        return None
    now = int(time.time())
    if now - int(request.session.get(SESSION_SEEN, 0)) > settings.APPLICANTS_SESSION_IDLE_SECONDS:
        sign_out(request)
        return None
    request.session[SESSION_SEEN] = now
    request.session.set_expiry(settings.APPLICANTS_SESSION_IDLE_SECONDS)
    return email
