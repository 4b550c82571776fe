"""Storing an application: spam checks, the idempotency token, one transaction with the
attachments, and the emails queued once it is committed.

Nothing here renders anything: ``views.py`` calls ``submit`` with a valid form.
"""

import hashlib
import logging
import uuid
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction

from home import ratelimit

from . import qpv_check
from .attachments.storage import StoredFiles, delete_stored_files
from .form_guard import TOKEN_NAME
from .models import Application, Attachment, CheckReason, Draft, DraftFile
from .references import next_reference
from .tasks import enqueue_application_emails

logger = logging.getLogger(__name__)

SPAM_HONEYPOT = "honeypot"


class SubmissionRefused(Exception):
    """Over a hard submission limit: nothing was stored; the client may retry after
    ``retry_after`` seconds (the end of the current window)."""

    def __init__(self, retry_after):
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass
class SubmissionResult:
    application: Application
    created: bool


# --- Submission limits -----------------------------------------------------------------------
#
# Counted per client address in fixed windows of ``CALLS_SUBMISSION_WINDOW`` seconds, in the
# shared cache, under two keys: the address for this call, and the address for all calls.
#
# - Past ``CALLS_SUBMISSION_SOFT_LIMIT`` for one call, the application is stored and sent on
#   as usual, marked « à vérifier »: a community centre helping its neighbours apply sends
#   many real applications from one address, and none of them may be hidden or lose its
#   email.
# - Past ``CALLS_SUBMISSION_HARD_LIMIT`` for one call, or ``CALLS_SUBMISSION_ADDRESS_LIMIT``
#   for all calls together, the POST is refused (429) and nothing is stored, no row and no
#   file: otherwise one client could fill the private storage. The per-address cap exists
#   because the per-call one multiplies with the number of calls open at once, which editors
#   decide; it sits above the per-call cap, so it only binds a client posting to several calls.
#
# The counting itself (fixed windows in the "counters" cache) is ``home.ratelimit``'s.
#
# The cache down (Redis stopped) counts nothing: every application goes through, unmarked,
# and never a 429 (an applicant must not lose an application to an outage); it is logged.


def _counter_keys(page, request, window):
    address = ratelimit.client(request)
    return (
        window.key("calls:submissions:call", page.pk, address),
        window.key("calls:submissions:address", address),
    )


def _over_hard_limit(per_call, per_address):
    return per_call > settings.CALLS_SUBMISSION_HARD_LIMIT or per_address > settings.CALLS_SUBMISSION_ADDRESS_LIMIT


def _stored_token(request):
    """The application already stored under the POSTed token, if any."""
    try:
        token = uuid.UUID(str(request.POST.get(TOKEN_NAME, "")))
    except ValueError:
        return None
    return Application.objects.filter(idempotency_key=token).first()


def refusal(page, request):
    """Seconds to wait if this POST must be refused before it is even validated, else None.

    Runs before the form validates (and re-encodes) the files, so a client past a hard limit
    costs no work and writes nothing. It only reads the counters: ``submit`` counts, once an
    application is about to be stored. The same token as a stored application (a double
    click, a reload of the thank-you POST) is never refused: ``submit`` returns that
    application.
    """
    window = ratelimit.Window.now(settings.CALLS_SUBMISSION_WINDOW)
    keys = _counter_keys(page, request, window)
    counts = ratelimit.totals(keys, what="Submission limits not checked")
    # Refused when the next application would go past a limit.
    if counts is None or not _over_hard_limit(counts[keys[0]] + 1, counts[keys[1]] + 1):
        return None
    if _stored_token(request) is not None:
        return None
    return window.retry_after


def count_submission(page, request):
    """Count one application about to be stored; return whether it needs a check.

    Raises ``SubmissionRefused`` past a hard limit: concurrent POSTs can all pass
    ``refusal`` before any of them is counted, and this count, atomic in the cache, is the
    one that holds.
    """
    window = ratelimit.Window.now(settings.CALLS_SUBMISSION_WINDOW)
    keys = _counter_keys(page, request, window)
    counted = ratelimit.count(window, dict.fromkeys(keys, 1), what="Submission rate limit not applied")
    if counted is None:
        return False
    per_call, per_address = (counted[key] for key in keys)
    if _over_hard_limit(per_call, per_address):
        raise SubmissionRefused(window.retry_after)
    return per_call > settings.CALLS_SUBMISSION_SOFT_LIMIT


# --- Validation budget -------------------------------------------------------------------------
#
# Checking a file costs CPU whatever becomes of it (a PDF up to CALLS_UPLOAD_CHECK_CPU_SECONDS,
# an image's decoding and re-encoding), and a form sent again and again with an error, or
# never sent at all, stores nothing: the submission limits above never see it. So every
# file a client sends to be checked is counted, in the same fixed windows, by number and by
# bytes (``CALLS_VALIDATION_FILE_LIMIT``, ``CALLS_VALIDATION_BYTE_LIMIT`` per
# ``CALLS_VALIDATION_WINDOW``); past either, the request is refused (a French 429) before
# any file is checked. The cache down counts nothing and refuses nothing (logged).
#
# ``count_validation`` is the one place that counts: every view that validates uploaded
# files calls it first (the call page, the answer to « informations demandées », drafts).


def files_in(request):
    """The number and total bytes of the files a request brings (those the upload guard let in)."""
    uploaded = [item for name in request.FILES for item in request.FILES.getlist(name)]
    return len(uploaded), sum(item.size or 0 for item in uploaded)


def count_validation(request, files=None, size=None):
    """Count the files about to be checked for this client; seconds to wait past its budget, else None.

    ``files`` and ``size`` default to the request's own uploads (``files_in``); a request
    without a file is neither counted nor refused.
    """
    if files is None or size is None:
        files, size = files_in(request)
    if not files:
        return None
    window = ratelimit.Window.now(settings.CALLS_VALIDATION_WINDOW)
    address = ratelimit.client(request)
    files_key = window.key("calls:validation:files", address)
    bytes_key = window.key("calls:validation:bytes", address)
    counted = ratelimit.count(window, {files_key: files, bytes_key: size}, what="Validation budget not counted")
    if counted is None:
        return None
    if (
        counted[files_key] > settings.CALLS_VALIDATION_FILE_LIMIT
        or counted[bytes_key] > settings.CALLS_VALIDATION_BYTE_LIMIT
    ):
        logger.warning("Files refused before their check: over the validation budget of one address")
        return window.retry_after
    return None


# --- Draft budgets ----------------------------------------------------------------------------
#
# A draft stores files and emails a resume link before any application exists, so it is counted
# too, in the same windows: the bytes it is about to store (files and answers) and the links it
# is about to email, per client address for this call, per client address for all calls and
# per email address (its owner, under a hash: the cache never holds an address). Every
# budget is a setting (CALLS_DRAFT_BYTES_* and CALLS_DRAFT_EMAILS_*). The counts are taken
# atomically before anything is written; past a budget they are given back and the POST is
# refused (``SubmissionRefused``: the same French 429 page), so a refused POST stores nothing
# and sends nothing. The cache down counts nothing (logged), as above.


def _draft_budgets(page, request, email, window):
    """``{key: setting}``: each draft budget's counter in this window and its setting."""
    address = ratelimit.client(request)
    owner = hashlib.sha256(email.encode()).hexdigest()[:32] if email else ""
    budgets = {}
    for kind in ("bytes", "emails"):
        setting = kind.upper()
        budgets[window.key(f"calls:drafts:{kind}:call", page.pk, address)] = f"CALLS_DRAFT_{setting}_PER_CALL"
        budgets[window.key(f"calls:drafts:{kind}:client", address)] = f"CALLS_DRAFT_{setting}_PER_CLIENT"
        if owner:
            budgets[window.key(f"calls:drafts:{kind}:address", owner)] = f"CALLS_DRAFT_{setting}_PER_ADDRESS"
    return budgets


def count_draft(page, request, *, email="", nbytes=0, emails=0):
    """Count a draft write about to store ``nbytes`` and send ``emails`` resume links for the
    owner ``email``; raise ``SubmissionRefused`` (counts given back) past any budget."""
    window = ratelimit.Window.now(settings.CALLS_SUBMISSION_WINDOW)
    deltas = {"bytes": max(0, int(nbytes)), "emails": max(0, int(emails))}
    budgets = _draft_budgets(page, request, email, window)
    amounts = {key: deltas[key.split(":")[2]] for key in budgets}
    amounts = {key: amount for key, amount in amounts.items() if amount}
    what = "Draft budgets not applied"
    counted = ratelimit.count(window, amounts, what=what)
    if counted is None:
        return
    if any(total > getattr(settings, budgets[key]) for key, total in counted.items()):
        ratelimit.give_back(amounts, what=what)
        logger.warning("Draft refused for call %s: over a draft budget", page.pk)
        raise SubmissionRefused(window.retry_after)


def submit(page, form, request):
    """Store the application described by the valid ``form``, once.

    A second POST with the same token (double click, reload) returns the application the
    first one stored, whatever the limits. A bot caught by the honeypot is stored too,
    flagged as spam, and gets no email. Past the soft limit the application is marked « à
    vérifier » (and emailed as usual); past a hard limit ``SubmissionRefused`` is raised
    and nothing is stored.
    """
    token = form.token
    existing = Application.objects.filter(idempotency_key=token).first()
    if existing is not None:
        return SubmissionResult(existing, created=False)

    # Bots caught by the honeypot are counted too: their files would fill the disk as well.
    needs_check = count_submission(page, request)
    spam_reason = SPAM_HONEYPOT if form.honeypot_filled else ""
    answers, files = form.answers()
    columns = form.applicant_columns()
    # The QPV check (a geocoder call when set) before the transaction; stored with the row.
    columns.update(qpv_check.columns(columns.pop("address", None)))

    try:
        application = store_application(
            page,
            answers=answers,
            files=files,
            columns=columns,
            token=token,
            spam_reason=spam_reason,
            check_reason=CheckReason.SAME_ADDRESS if needs_check else "",
            after_commit=None if spam_reason else enqueue_application_emails,
            draft=form.draft,
        )
    except IntegrityError:
        # The same token committed by a concurrent request (double click).
        existing = Application.objects.filter(idempotency_key=token).first()
        if existing is None:
            raise
        return SubmissionResult(existing, created=False)
    if spam_reason:
        logger.info("Application %s flagged as spam (%s)", application.reference, spam_reason)
    elif needs_check:
        logger.info("Application %s marked for a check (%s)", application.reference, CheckReason.SAME_ADDRESS)
    return SubmissionResult(application, created=True)


def store_application(
    page, *, answers, files, columns, token, spam_reason="", check_reason="", after_commit=None, draft=None
):
    """Create the Application and its Attachments in one transaction.

    Files are written to the private storage inside the transaction; if anything fails,
    the transaction rolls back and the files already written are deleted, so neither an
    application without its files nor a file without its application remains.
    ``after_commit(application_id)`` runs once the transaction is committed.

    A file kept in the ``draft`` (a ``DraftFile``) is already in the private storage: its
    stored name becomes the attachment's, and the draft is deleted in the same transaction
    (a rollback leaves the draft and its files as they were). The draft's files that were
    not sent (removed by the applicant) leave the storage once committed.
    """
    used_draft_files = set()
    with StoredFiles() as stored, transaction.atomic():
        application = Application.objects.create(
            page=page,
            form_data=answers,
            reference=next_reference(),
            idempotency_key=token,
            is_spam=bool(spam_reason),
            spam_reason=spam_reason,
            needs_check=bool(check_reason),
            check_reason=check_reason,
            **columns,
        )
        for field_key, clean_files in files.items():
            for clean in clean_files:
                if not isinstance(clean, DraftFile):
                    stored.store(clean, Attachment, application=application, field_key=field_key)
                    continue
                # Already in the private storage: its stored name becomes the attachment's.
                used_draft_files.add(clean.pk)
                Attachment.objects.create(
                    application=application,
                    field_key=field_key,
                    file=clean.file.name,
                    display_name=clean.display_name,
                    content_type=clean.content_type,
                    size=clean.size,
                )
        if draft is not None:
            unsent = DraftFile.objects.filter(draft_id=draft.pk).exclude(pk__in=used_draft_files)
            unused = list(unsent.values_list("file", flat=True))
            # Rows only: the files sent now belong to the attachments.
            DraftFile.objects.filter(draft_id=draft.pk).delete()
            Draft.objects.filter(pk=draft.pk).delete()
            if unused:
                transaction.on_commit(partial(delete_stored_files, unused), robust=True)
        if after_commit is not None:
            transaction.on_commit(partial(after_commit, application.pk), robust=True)
    return application
