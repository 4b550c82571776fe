"""Storing an application: spam checks, the idempotency token, one transaction with the
attachments, and the emails queued once it is committed.

Nothing here renders anything: ``views.py`` calls ``submit`` with a valid form.
"""

import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction

from home.security import client_ip

from .attachments.storage import private_storage
from .models import Application, Attachment
from .references import next_reference
from .tasks import enqueue_application_emails

logger = logging.getLogger(__name__)

SPAM_HONEYPOT = "honeypot"
SPAM_RATE_LIMIT = "rate_limit"


class AttachmentStorageError(Exception):
    """A file could not be written to the private storage; nothing was kept."""


@dataclass
class SubmissionResult:
    application: Application
    created: bool


def is_rate_limited(request):
    """Count this submission for the client's address; True once over the limit.

    ``settings.CALLS_SUBMISSION_RATE`` is ``(limit, window in seconds)``. The
    applications beyond it are kept, flagged as spam, for someone to look at, never
    dropped: a community centre's shared connection can send several real applications.

    Without a cache that answers (Redis down), nothing can be counted: the application is
    not flagged (an applicant must never lose one to an outage) and the outage is logged.
    """
    limit, window = settings.CALLS_SUBMISSION_RATE
    key = f"calls:submissions:{client_ip(request) or 'unknown'}"
    try:
        if cache.add(key, 1, timeout=window):
            return 1 > limit
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception:
        logger.warning("Submission rate limit not applied: the cache does not answer", exc_info=True)
        return False
    return count > limit


def submit(page, form, request):
    """Store the application described by the valid ``form``, once.

    A second POST with the same token (double click, reload) returns the application the
    first one stored. A bot caught by the honeypot or the rate limit is stored too,
    flagged as spam, and gets no email.
    """
    token = form.token
    existing = Application.objects.filter(idempotency_key=token).first()
    if existing is not None:
        return SubmissionResult(existing, created=False)

    spam_reason = ""
    if form.honeypot_filled:
        spam_reason = SPAM_HONEYPOT
    elif is_rate_limited(request):
        spam_reason = SPAM_RATE_LIMIT
    answers, files = form.answers()

    try:
        application = store_application(
            page,
            answers=answers,
            files=files,
            columns=form.applicant_columns(),
            token=token,
            spam_reason=spam_reason,
            after_commit=None if spam_reason else enqueue_application_emails,
        )
    except IntegrityError:
        # The same token committed by a concurrent request (double click).
        existing = Application.objects.filter(idempotency_key=token).first()
        if existing is None:
            raise
        return SubmissionResult(existing, created=False)
    if spam_reason:
        logger.info("Application %s flagged as spam (%s)", application.reference, spam_reason)
    return SubmissionResult(application, created=True)


def store_application(page, *, answers, files, columns, token, spam_reason="", after_commit=None):
    """Create the Application and its Attachments in one transaction.

    Files are written to the private storage inside the transaction; if anything fails,
    the transaction rolls back and the files already written are deleted, so neither an
    application without its files nor a file without its application remains.
    ``after_commit(application_id)`` runs once the transaction is committed.
    """
    storage = private_storage()
    saved = []
    try:
        with transaction.atomic():
            application = Application.objects.create(
                page=page,
                form_data=answers,
                reference=next_reference(),
                idempotency_key=token,
                is_spam=bool(spam_reason),
                spam_reason=spam_reason,
                **columns,
            )
            for field_key, clean_files in files.items():
                for clean in clean_files:
                    try:
                        name = clean.save(storage)
                    except Exception as exc:
                        raise AttachmentStorageError(str(exc)) from exc
                    saved.append(name)
                    Attachment.objects.create(
                        application=application,
                        field_key=field_key,
                        file=name,
                        display_name=clean.display_name,
                        content_type=clean.content_type,
                        size=clean.size,
                    )
            if after_commit is not None:
                transaction.on_commit(partial(after_commit, application.pk), robust=True)
    except BaseException:
        for name in saved:
            delete_stored_file(name, storage)
        raise
    return application


def delete_stored_file(name, storage=None):
    """Delete a file from the private storage, logging (not raising) a failure."""
    storage = storage or private_storage()
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not delete the private file %s", name)
