"""The links of the list's emails: Django's signing, never the address in a URL.

- The confirmation link signs the subscriber's id with the nonce of the email that carried it,
  valid ``MAILING_CONFIRMATION_MAX_AGE_DAYS``: a newer email, or a confirmation, changes the
  nonce, so a link used once (or replaced) reads as used.
- The unsubscribe link signs the id with the row's random ``unsubscribe_key`` (no expiry: an
  old email must still let its reader leave). A forged or altered token fails the signature.
https://docs.djangoproject.com/en/5.2/topics/signing/
"""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "mailing.confirm"
UNSUBSCRIBE_SALT = "mailing.unsubscribe"


class Invalid(Exception):
    """A token that is forged, altered, expired, or no longer matches its subscriber."""


class Expired(Invalid):
    pass


def confirm_token(subscriber):
    return signing.dumps([subscriber.pk, subscriber.confirm_nonce], salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token):
    """(id, nonce) of a confirmation token; ``Expired`` past its age, ``Invalid`` otherwise."""
    try:
        pk, nonce = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.MAILING_CONFIRMATION_MAX_AGE_DAYS * 86400)
    except signing.SignatureExpired as exc:
        raise Expired from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise Invalid from exc
    return pk, nonce


def unsubscribe_token(subscriber):
    return signing.dumps([subscriber.pk, subscriber.unsubscribe_key], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    try:
        pk, key = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise Invalid from exc
    return pk, key
