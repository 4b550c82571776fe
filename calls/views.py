"""Public views of a call: the page with its form and the thank-you page.

``CallPage.serve`` delegates here. The page is never cached: it carries a CSRF token and
a one-time submission token.
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import validate_email
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from home.views import bad_request

from . import drafts, recap
from .attachments.storage import AttachmentStorageError
from .models import CallState
from .submission import SubmissionRefused, count_draft, count_validation, refusal, submit
from .uploads import request_too_large, upload_errors

logger = logging.getLogger(__name__)

SESSION_KEY = "calls_thanks"
PREVIEW_REFERENCE = "QC-0000-0000"


def _no_store(response):
    add_never_cache_headers(response)
    return response


def remember_application(request, page, application):
    """Keep the reference in the session: the thank-you URL carries no personal data."""
    thanks = dict(request.session.get(SESSION_KEY, {}))
    thanks[str(page.pk)] = application.reference
    request.session[SESSION_KEY] = thanks


def _refused(request, page, retry_after, *, too_many_files=False, drafts_refused=False):
    """The French 429 page: nothing was stored; say when to try again (``page`` may be None)."""
    context = {
        "retry_after_minutes": max(1, -(-retry_after // 60)),
        "call_url": page.get_url(request) if page is not None else None,
        "too_many_files": too_many_files,
        "drafts_refused": drafts_refused,
    }
    response = _no_store(render(request, "429.html", context, status=429))
    response["Retry-After"] = str(retry_after)
    return response


def too_many_submissions(request, page, retry_after):
    """Refused by the number of applications from one address (``submission.refusal``)."""
    logger.warning("Submission refused for call %s: over a hard limit from one address", page.pk)
    return _refused(request, page, retry_after)


def too_many_files_checked(request, page, retry_after):
    """Refused by the validation budget (``submission.count_validation``); ``page`` may be
    None (a page without a call: the applicant's space)."""
    return _refused(request, page, retry_after, too_many_files=True)


def too_many_drafts(request, page, retry_after):
    """Refused by a draft budget (``submission.count_draft``)."""
    logger.warning("Draft refused for call %s: over a draft budget", page.pk)
    return _refused(request, page, retry_after, drafts_refused=True)


SAVE_DRAFT = "brouillon"
DRAFT_EMAIL_NAME = "qc_brouillon_courriel"  # the address asked by « Enregistrer » on a step without it
DRAFT_SAVED_KEY = "calls_draft_saved"  # session: call id → address the link went to (shown once)
NEXT_STEP = "suivant"
PREVIOUS_STEP = "precedent"
ACTION_NAME = "qc_action"
STEP_NAME = "qc_etape"  # the step posted (1-based); ``?etape=`` in a GET: the step shown


def _step_index(value):
    """A 1-based step number from the request, as a 0-based index (clamped by the form)."""
    value = str(value or "")
    return int(value) - 1 if value.isdigit() and 0 < int(value) < 100 else 0


def _step_url(page, request, index):
    """The URL of a step, always with its number: the call's URL without ``?etape=`` opens a
    draft on its first incomplete step (``CallForm.resume_step``)."""
    return f"{page.get_url(request)}?etape={index + 1}#candidater"


def _redirect_303(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _store_draft(page, request, form, draft, *, email, removed, provisional=False, answers=None):
    """``drafts.save`` once the draft budgets (calls/submission.py) have counted what it
    stores and emails: past a budget ``SubmissionRefused`` and nothing is stored."""
    count_draft(
        page,
        request,
        email=email,
        nbytes=drafts.bytes_to_store(form, draft),
        emails=1 if drafts.will_email(email, provisional) else 0,
    )
    return drafts.save(page, form, draft, email=email, removed=removed, provisional=provisional, answers=answers)


def _keep_accepted_files(page, request, form, draft, removed):
    """After a validation error, keep what passed in the browser's draft (never asked
    again); return the draft. A storage failure keeps nothing and asks for the files again."""
    has_new_files = any(
        form.cleaned_data.get(name)
        for name, model in form.field_models.items()
        if model.field_type == "file" and name not in form.errors
    )
    if draft is None and not has_new_files:
        return None
    try:
        draft = _store_draft(page, request, form, draft, email=form.owner_email(), removed=removed, provisional=True)
    except SubmissionRefused:
        raise
    except Exception:
        logger.exception("Keeping the accepted files of a draft failed for call %s", page.pk)
        form.ask_again_for_sent_files()
        return draft
    drafts.remember(request, draft)
    form.attach_draft(draft)
    return draft


def _only_file_errors(form, keep=()):
    """« Enregistrer et reprendre plus tard » never validates the answers: only the messages
    of files sent and refused stay (those files were not kept), and ``keep``."""
    kept = []
    for name in form.errors:
        model = form.field_models.get(name)
        if name in keep or (model is not None and model.field_type == "file" and form.files.getlist(name)):
            kept.append(name)
    form.keep_only_errors(kept)


def _save_draft(page, request, form, draft, removed):
    """« Enregistrer et reprendre plus tard »: None when saved (then redirect), else the
    reason it could not be (shown on the form). The answers are never validated here."""
    email = form.owner_email()
    name = form.email_field_name
    asked = request.POST.get(DRAFT_EMAIL_NAME)
    answers = None
    if not email and asked is not None:
        # The address asked right there, on a step that does not carry the email question:
        # it becomes the answer to that question too.
        try:
            validate_email(asked.strip())
        except ValidationError:
            pass
        else:
            email = asked.strip().lower()
            if name and name not in form.shown_fields():
                answers = {name: email}
    if not email:
        email_step = form.step_of(name) if name else None
        if name and email_step is not None and name not in form.shown_fields():
            # A form in steps whose address is asked later: keep the answers for this
            # browser's session, and ask for the address here, above the form.
            _keep_step(page, request, form, draft, removed)
            _only_file_errors(form)
            form.ask_draft_email = "invalid" if request.POST.get(DRAFT_EMAIL_NAME) is not None else "missing"
            return False
        _only_file_errors(form)
        message = _("Indiquez votre adresse électronique : le lien pour reprendre le brouillon y sera envoyé.")
        form.add_error(name or None, message)
        return False
    _only_file_errors(form)
    try:
        draft = _store_draft(page, request, form, draft, email=email, removed=removed, answers=answers)
    except SubmissionRefused:
        raise
    except Exception:
        logger.exception("Saving a draft failed for call %s", page.pk)
        form.add_error(None, _("Le brouillon n'a pas pu être enregistré. Réessayez dans quelques minutes."))
        return False
    drafts.remember(request, draft)
    if form.errors:
        # A refused file (said beside its field): saved without it, and said at once.
        form.attach_draft(draft)
        form.add_error(
            None,
            _(
                "Brouillon enregistré et lien envoyé, mais sans les fichiers refusés : choisissez-en d'autres, puis "
                "enregistrez de nouveau."
            ),
        )
        return False
    saved = dict(request.session.get(DRAFT_SAVED_KEY, {}))
    saved[str(page.pk)] = email
    request.session[DRAFT_SAVED_KEY] = saved
    return True


def _keep_step(page, request, form, draft, removed):
    """Save the posted step in the browser's draft, with the address answered so far as its
    provisional owner: the applicant can come back to it from the space. Only « Enregistrer
    et reprendre plus tard » fixes the owner and emails the link: moving on never locks an
    address typed by mistake."""
    try:
        draft = _store_draft(page, request, form, draft, email=form.owner_email(), removed=removed, provisional=True)
    except SubmissionRefused:
        raise
    except Exception:
        logger.exception("Saving a step's draft failed for call %s", page.pk)
        return None
    drafts.remember(request, draft)
    return draft


def _serve_step_post(page, request, form, draft, removed, valid):
    """A POST of a form in steps: « Suivant », « Précédent », or « Envoyer » (the last step).
    Returns ``(response, draft, status)``; ``response`` None: render the form."""
    action = request.POST.get(ACTION_NAME)
    posted = form.posted_step
    if action == PREVIOUS_STEP:
        saved = _keep_step(page, request, form, draft, removed)
        if saved is not None:
            previous = form.previous_step(posted)
            return _redirect_303(_step_url(page, request, previous or 0)), saved, 200
        form.add_error(None, _("Vos réponses n'ont pas pu être enregistrées. Réessayez dans quelques minutes."))
        form.keep_errors_of_step(posted)
        return None, draft, 503
    if action == recap.RECAP and valid:
        # « Vérifier mes réponses »: every step complete; the recap reads them from the draft.
        saved = _keep_step(page, request, form, draft, removed)
        if saved is not None:
            return _redirect_303(f"{page.get_url(request)}?etape={recap.RECAP}#candidater"), saved, 200
        form.add_error(None, _("Vos réponses n'ont pas pu être enregistrées. Réessayez dans quelques minutes."))
        form.keep_errors_of_step(posted)
        return None, draft, 503
    if action == NEXT_STEP:
        if not form.step_errors(posted):
            saved = _keep_step(page, request, form, draft, removed)
            if saved is not None:
                # The next step the answers do not skip (a conditioned section).
                following = form.next_step(posted)
                return _redirect_303(_step_url(page, request, posted if following is None else following)), saved, 200
            form.add_error(None, _("Vos réponses n'ont pas pu être enregistrées. Réessayez dans quelques minutes."))
            form.keep_errors_of_step(posted)
            return None, draft, 503
        form.keep_errors_of_step(posted)
        form.update_files_to_reselect()
        return None, _keep_accepted_files(page, request, form, draft, removed), 200
    # « Envoyer »: every step was validated (from the draft for the other steps).
    if valid:
        return None, draft, 200
    target = posted if form.step_errors(posted) else form.first_step_in_error()
    if target is None:
        target = posted
    if target != posted:
        # An earlier step misses an answer: keep this step's, and show that one.
        draft = _keep_step(page, request, form, draft, removed) or draft
        form.show_step(target)
    form.keep_errors_of_step(target)
    form.update_files_to_reselect()
    if target == posted:
        draft = _keep_accepted_files(page, request, form, draft, removed)
    return None, draft, 200


def _serve_draft_post(page, request, form, draft, removed, valid, skipped, entry_change):
    """What a POST does before « Envoyer »: a repeatable section's button (``entry_change``,
    already applied to ``form``), « Enregistrer et reprendre plus tard », a step, or the form
    again after an error (files kept). Returns ``(response, draft, valid, status)``; raises
    ``SubmissionRefused`` past a draft budget."""
    status = 200
    if entry_change is not None:
        # « Ajouter un partenaire », « Retirer » without JavaScript: the same page again,
        # answers kept, nothing stored but the accepted files (as after an error).
        form.show_entry_change(entry_change)
        form.update_files_to_reselect(also=skipped)
        draft = _keep_accepted_files(page, request, form, draft, removed)
        valid = False
    elif request.POST.get(ACTION_NAME) == SAVE_DRAFT:
        if _save_draft(page, request, form, draft, removed):
            url = f"{page.get_url(request)}?etape={(form.posted_step or 0) + 1}#qc-brouillon-enregistre"
            return _redirect_303(url), draft, False, 303
        if form.posted_step is not None:
            form.keep_errors_of_step(form.posted_step)
        valid = False
        status = 200 if getattr(form, "ask_draft_email", "") == "missing" else 400
    elif form.posted_step is not None:
        response, draft, status = _serve_step_post(page, request, form, draft, removed, valid)
        if response is not None:
            return response, draft, False, status
        valid = valid and request.POST.get(ACTION_NAME) not in (NEXT_STEP, PREVIOUS_STEP, recap.RECAP)
    elif not valid:
        form.update_files_to_reselect(also=skipped)
        draft = _keep_accepted_files(page, request, form, draft, removed)
    return None, draft, valid, status


def serve_call_page(page, request, preview=False):
    state = CallState.OPEN if preview else page.state()
    context = page.get_context(request)
    context.update(call_state=state, preview=preview, image_long_side=settings.CALLS_BROWSER_IMAGE_LONG_SIDE)

    if state != CallState.OPEN:
        # Before the opening or after the closing, a POST is not read: nothing is stored.
        status = 403 if request.method == "POST" else 200
        return _no_store(TemplateResponse(request, page.get_template(request), context, status=status))

    draft = None if preview else drafts.draft_for(request, page)
    status = 200
    if request.method == "POST" and not preview:
        # Before the form is validated: the files of a refused POST are never checked,
        # re-encoded or stored (they sit in Django's temporary upload files until the
        # request ends, capped by calls.uploads).
        retry_after = refusal(page, request)
        if retry_after is not None:
            return too_many_submissions(request, page, retry_after)
        retry_after = count_validation(request)
        if retry_after is not None:
            return too_many_files_checked(request, page, retry_after)
        if request_too_large(request):
            # Every file part was skipped (see calls.uploads): the same French 413 page as
            # Django's own refusal of an oversized request.
            return bad_request(request, RequestDataTooBig())
        removed = drafts.removed_ids(request.POST)
        form = page.get_form(
            request.POST,
            request.FILES,
            page=page,
            user=request.user,
            in_steps=page.form_in_steps,
            step=_step_index(request.POST.get(STEP_NAME)),
            posted=True,
            stored=draft.data if draft else None,
            # « Envoyer » from the recap: the draft's answers only.
            every_answer_stored=request.POST.get(STEP_NAME) == recap.RECAP and draft is not None,
        )
        form.attach_draft(draft, removed=removed)
        # « Ajouter un partenaire », « Retirer »: the form bound to the entries changed.
        entry_change = form.change_entries(request.POST.get(ACTION_NAME))
        if entry_change is not None:
            form = entry_change.form
        valid = form.is_valid()
        # Files the streaming guard skipped (too big, too many): said beside their field.
        skipped = {
            name: messages
            for name, messages in upload_errors(request).items()
            if name in form.fields and name not in form.hidden_names
        }
        if skipped:
            form.refuse_files(skipped)
            valid = False
        try:
            response, draft, valid, status = _serve_draft_post(
                page, request, form, draft, removed, valid, skipped, entry_change
            )
        except SubmissionRefused as refused:
            # Over a draft budget (calls/submission.py): nothing stored, nothing emailed.
            return too_many_drafts(request, page, refused.retry_after)
        if response is not None:
            return response
        if valid:
            try:
                result = submit(page, form, request)
            except AttachmentStorageError:
                logger.exception("Storing an attachment failed for call %s; nothing was kept", page.pk)
                context["storage_failed"] = True
                form.ask_again_for_sent_files()
                status = 503
            except SubmissionRefused as refused:
                return too_many_submissions(request, page, refused.retry_after)
            else:
                drafts.forget(request, page)
                remember_application(request, page, result.application)
                response = HttpResponseRedirect(page.get_thanks_url(request))
                response.status_code = 303
                return response
    else:
        form = page.get_form(
            initial=dict(draft.data) if draft else None,
            page=page,
            user=request.user,
            in_steps=page.form_in_steps,
            step=_step_index(request.GET.get("etape")),
        )
        if draft is not None and "etape" not in request.GET:
            # A draft resumed (from the space, or the call's page again): its first step
            # still to complete, not step 1; « Précédent » still goes back.
            form.resume_draft(draft)
        form.attach_draft(draft)
        form.skip_hidden_step()
        if request.GET.get("etape") == recap.RECAP:
            context["recap"] = recap.steps(page, request, form, draft)
            if context["recap"] is None and draft is not None:
                form.resume_draft(draft)  # not complete: the first step to do

    context["form"] = form
    context["draft"] = draft
    context["draft_idle_minutes"] = settings.CALLS_DRAFT_SESSION_IDLE_MINUTES
    context["draft_email_name"] = DRAFT_EMAIL_NAME
    if request.method != "POST" and not preview:
        # « Enregistrer et reprendre plus tard » redirected here: its confirmation, once.
        saved = dict(request.session.get(DRAFT_SAVED_KEY, {}))
        context["draft_saved_to"] = saved.pop(str(page.pk), None)
        if context["draft_saved_to"] is not None:
            request.session[DRAFT_SAVED_KEY] = saved
            context["draft_link_days"] = settings.CALLS_DRAFT_LINK_MAX_AGE_DAYS
    return _no_store(TemplateResponse(request, page.get_template(request), context, status=status))


def serve_thanks(page, request, preview=False):
    reference = PREVIEW_REFERENCE if preview else request.session.get(SESSION_KEY, {}).get(str(page.pk))
    if not reference:
        return HttpResponseRedirect(page.get_url(request))
    context = page.get_context(request)
    # The application's page and PDF in the applicant's space (which checks the owner).
    application_id = (
        None if preview else page.applications.filter(reference=reference).values_list("pk", flat=True).first()
    )
    context.update(reference=reference, preview=preview, application_id=application_id)
    response = TemplateResponse(request, "calls/call_page_thanks.html", context)
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response
