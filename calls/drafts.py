"""Drafts of applications: answers and accepted files kept server-side until « Envoyer ».

- The browser knows its draft through the session (``SESSION_KEY``: call id → draft id);
  the URL never carries it. The applicant's space puts a draft back in the session when
  its owner resumes it (``remember``), after checking the owner. A shared computer (a
  community centre, a library) must not hand it to the next person: ``remember`` makes the
  session cookie end with the browser, ``draft_for`` forgets every draft of the session after
  ``CALLS_DRAFT_SESSION_IDLE_MINUTES`` without a request, and signing out of the space
  forgets them (``forget_all``).
- The emailed link to resume (``resume_token``, ``draft_from_token``) opens that draft only,
  as often as needed, for ``CALLS_DRAFT_LINK_MAX_AGE_DAYS`` days: a random key kept on the
  draft, signed with its id. A new link (``new_resume_token``) or a revocation changes the
  key; sending the draft deletes it. Opening it confirms the owner's address
  (``confirm_from_link``): only then does the draft appear in the owner's space, so an
  address typed by someone else never finds a planted draft there.
- ``save`` stores the raw answers and every file that passed its checks in the private
  storage (one transaction; a failure deletes the files it wrote), removes the files the
  applicant asked to remove (from the storage once committed), and replaces the file of a
  single-file field by a new one.
- A draft gets an owner (``email``) when the applicant saves it with an address
  (« Enregistrer et reprendre plus tard »): then ``draft_saved`` is sent once committed,
  and the applicant's space emails the link to resume it.
- Moving through the steps (or an error that keeps files) saves the draft with the
  address answered so far as a *provisional* owner (``provisional=True``): no email, the
  address field stays editable and the owner follows the answer; the applicant can come
  back from the space (a sign-in link to that address lists the draft). Without a valid
  address the draft lives only for the browser session.
- On submission (``submission.store_application``) the draft's files become the
  application's attachments and the draft is deleted, in the application's transaction.
- ``purge`` deletes the drafts that can no longer be sent (their call closed) and the
  session-only ones older than ``ANONYMOUS_DRAFT_DAYS`` days.
"""

import datetime
import json
import logging
import secrets
import time
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from . import field_types
from .attachments.storage import StoredFiles, delete_stored_files
from .models import Draft, DraftFile

logger = logging.getLogger(__name__)

SESSION_KEY = "calls_drafts"
SESSION_SEEN = "calls_drafts_seen"  # the time of the last request that used a draft
RESUME_SALT = "calls.drafts.resume"
REMOVE_NAME = "qc_retirer"
ANONYMOUS_DRAFT_DAYS = 2

#: Sent once the transaction saving an owned draft is committed (``draft_id``).
draft_saved = Signal()


def _idle_seconds():
    return settings.CALLS_DRAFT_SESSION_IDLE_MINUTES * 60


def draft_for(request, page):
    """The draft this browser is writing for ``page``, if any. Past the idle time every
    draft of the session is forgotten (the rows stay: an owner resumes by the link)."""
    pk = request.session.get(SESSION_KEY, {}).get(str(page.pk))
    if not pk:
        return None
    now = int(time.time())
    if now - int(request.session.get(SESSION_SEEN, 0)) > _idle_seconds():
        forget_all(request)
        return None
    request.session[SESSION_SEEN] = now
    return Draft.objects.filter(pk=pk, page=page).prefetch_related("files").first()


def remember(request, draft):
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts[str(draft.page_id)] = draft.pk
    request.session[SESSION_KEY] = drafts
    request.session[SESSION_SEEN] = int(time.time())
    # A session cookie: closing the browser forgets the draft (the space's sign-in sets its
    # own idle expiry again on its next request).
    request.session.set_expiry(0)


def forget_all(request):
    """Forget every draft of this browser (signing out, the idle time passed)."""
    request.session.pop(SESSION_KEY, None)
    request.session.pop(SESSION_SEEN, None)


def forget(request, page):
    drafts = dict(request.session.get(SESSION_KEY, {}))
    if drafts.pop(str(page.pk), None) is not None:
        request.session[SESSION_KEY] = drafts


def removed_ids(post):
    ids = set()
    for value in post.getlist(REMOVE_NAME):
        if value.isdigit():
            ids.add(int(value))
    return ids


def raw_answers(form, base=None):
    """The answers as posted (not the files), ready to be the form's ``initial`` again.
    ``base``: the answers already saved, kept for the fields this form did not show."""
    data = dict(base or {})
    hidden = getattr(form, "hidden_names", ())
    for name, model in form.field_models.items():
        if name in hidden:
            # A question its conditions hide (calls/conditions.py): its answer is not kept.
            data.pop(name, None)
            continue
        field = form.fields.get(name)
        if field is None or field.disabled or name not in form.shown_fields():
            continue
        if field_types.get(model.field_type).files:
            continue
        value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        data[name] = value
    # Repeatable sections: the entries shown, in order, each a dict of raw answers.
    for key in form.groups:
        if key in form.shown_fields():
            data[key] = form.raw_group_entries(key)
    return data


def bytes_to_store(form, draft=None):
    """What ``save`` would write for this ``form``: the new files' bytes and the answers'
    (counted against the draft budgets before anything is written)."""
    hidden = getattr(form, "hidden_names", ())
    total = len(json.dumps(raw_answers(form, base=draft.data if draft else None), default=str))
    for name, model in form.field_models.items():
        if not field_types.get(model.field_type).files or name in form.errors or name in hidden:
            continue
        total += sum(getattr(clean, "size", 0) or 0 for clean in form.cleaned_data.get(name) or [])
    return total


def will_email(email, provisional):
    """Whether saving with ``email`` sends a resume link (``draft_saved``, see ``save``)."""
    return bool(email) and not provisional


def save(page, form, draft=None, *, email="", removed=(), provisional=False, answers=None):
    """Create or update the draft from a bound, validated (valid or not) ``form``.

    ``email``: its owner. ``provisional``: the address answered so far (the owner follows
    the answer, may become empty again, and nobody is emailed); otherwise the owner is
    fixed and ``draft_saved`` is sent once committed. ``answers``: raw answers to set too
    (the address asked beside « Enregistrer » for the step that asks it)."""
    dropped = []
    with StoredFiles() as stored, transaction.atomic():
        if draft is None:
            draft = Draft.objects.create(page=page, email=email, email_provisional=bool(email) and provisional)
        elif not draft.email or draft.email_provisional:
            if email or provisional:
                if email != draft.email:
                    # Another address: it must confirm again, and the old link ends.
                    draft.email_confirmed_at = None
                    draft.link_key = ""
                draft.email = email
                draft.email_provisional = bool(email) and provisional
        draft.data = {**raw_answers(form, base=draft.data), **(answers or {})}
        draft.save()
        existing = list(DraftFile.objects.filter(draft=draft))
        hidden = getattr(form, "hidden_names", ())
        for kept in existing:
            if kept.pk in removed or kept.field_key in hidden:
                dropped.append(kept)
        for name, model in form.field_models.items():
            if not field_types.get(model.field_type).files or name in form.errors or name in hidden:
                continue
            new_files = form.cleaned_data.get(name) or []
            if not new_files:
                continue
            if not model.multiple_files:
                dropped += [kept for kept in existing if kept.field_key == name and kept not in dropped]
            for clean in new_files:
                stored.store(clean, DraftFile, draft=draft, field_key=name)
        if dropped:
            DraftFile.objects.filter(pk__in=[kept.pk for kept in dropped]).delete()
            transaction.on_commit(partial(delete_stored_files, [kept.file.name for kept in dropped]), robust=True)
        if draft.email and email and not provisional:
            transaction.on_commit(partial(draft_saved.send, sender=Draft, draft_id=draft.pk), robust=True)
    # The files were prefetched before: read them again for the page that follows.
    draft = Draft.objects.prefetch_related("files").get(pk=draft.pk)
    return draft


def _link_expired(draft, now=None):
    now = now or timezone.now()
    max_age = datetime.timedelta(days=settings.CALLS_DRAFT_LINK_MAX_AGE_DAYS)
    return draft.link_issued_at is None or now - draft.link_issued_at > max_age


def _sign(draft):
    return signing.dumps({"d": draft.pk, "k": draft.link_key}, salt=RESUME_SALT)


def new_resume_token(draft):
    """A new link to resume ``draft``; the previous one stops working."""
    draft.link_key = secrets.token_urlsafe(24)
    draft.link_issued_at = timezone.now()
    Draft.objects.filter(pk=draft.pk).update(link_key=draft.link_key, link_issued_at=draft.link_issued_at)
    return _sign(draft)


def resume_token(draft):
    """The draft's current link while it is valid (a reminder repeats it), else a new one."""
    if draft.link_key and not _link_expired(draft):
        return _sign(draft)
    return new_resume_token(draft)


def revoke_link(draft):
    draft.link_key = ""
    Draft.objects.filter(pk=draft.pk).update(link_key="")


def draft_from_token(token):
    """The draft a resume link opens, or ``None``: altered, revoked, expired, or the draft
    sent or deleted."""
    try:
        value = signing.loads(token, salt=RESUME_SALT)
        pk, key = int(value["d"]), str(value["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    draft = Draft.objects.select_related("page").filter(pk=pk).exclude(email="").first()
    if draft is None or not key or not secrets.compare_digest(draft.link_key, key) or _link_expired(draft):
        return None
    return draft


def confirm_from_link(draft):
    """The owner opened the emailed link: the address is theirs, the draft joins their space."""
    draft.email_confirmed_at = draft.email_confirmed_at or timezone.now()
    draft.email_provisional = False
    Draft.objects.filter(pk=draft.pk).update(email_confirmed_at=draft.email_confirmed_at, email_provisional=False)


def confirm_owner(draft):
    """The owner resumed the draft from the space: its address is fixed from now on."""
    if draft.email_provisional:
        Draft.objects.filter(pk=draft.pk).update(email_provisional=False)
        draft.email_provisional = False


def discard(draft):
    """Delete a draft and its files (from the storage once committed)."""
    with transaction.atomic():
        names = list(DraftFile.objects.filter(draft=draft).values_list("file", flat=True))
        draft.delete()
        transaction.on_commit(partial(delete_stored_files, names), robust=True)


def due_for_purge(now=None):
    now = now or timezone.now()
    anonymous_cutoff = now - datetime.timedelta(days=ANONYMOUS_DRAFT_DAYS)
    unconfirmed_cutoff = now - datetime.timedelta(days=settings.CALLS_DRAFT_LINK_MAX_AGE_DAYS)
    closed = Draft.objects.filter(page__closes_at__lt=now)
    stale = Draft.objects.filter(email="", updated_at__lt=anonymous_cutoff)
    # An address that never opened its link within the link's validity never will.
    unconfirmed = Draft.objects.filter(email_confirmed_at__isnull=True, updated_at__lt=unconfirmed_cutoff)
    return (closed | stale | unconfirmed).distinct()


def purge(now=None):
    """Delete the drafts that can no longer be sent; return how many."""
    count = 0
    for draft in due_for_purge(now):
        discard(draft)
        count += 1
    return count


def open_drafts_count():
    """Drafts with an owner, of calls still open: the dashboard's « brouillons en cours »."""
    now = timezone.now()
    return Draft.objects.exclude(email="").filter(page__opens_at__lte=now, page__closes_at__gt=now).count()
