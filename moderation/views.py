"""The queue's actions, as plain Django views under /admin/moderation/ (registered by
``wagtail_hooks.py``, so Wagtail's admin login applies).

Each view finds its objects through ``access.applications_for(request.user)``: an id the
user may not open gives 404, an action the user may not do gives 403, and a bulk
selection holding a single id outside what the user may touch (another call's
application, someone else's assignment) is refused whole.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from calls.attachments.names import content_disposition
from calls.attachments.storage import signed_url
from calls.models import Attachment, Status, status_label

from . import access, award, reviews, rgpd
from .bidi import isolate
from .models import Decision, HistoryEntry, Review, Score
from .workflow import (
    DECISIONS,
    DecisionLocked,
    TransitionNotAllowed,
    action_label,
    allowed_targets,
    bulk_transition,
    stage_decision,
    transition,
)


def inspect_url(application):
    return reverse("moderation:application", args=[application.pk])


def index_url():
    return reverse("moderation:queue")


def application_or_404(request, pk):
    application = access.visible_application(request.user, pk)
    if application is None:
        raise Http404
    return application


def back_to(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def who(application):
    """How an application is named in messages: its reference and its applicant (escaped
    by the message template, like any text; isolated, so that bidirectional control
    characters in the name never reorder the message)."""
    if application.applicant_name:
        return f"{application.reference} ({isolate(application.applicant_name)})"
    return application.reference


# --- The inspect view's content ------------------------------------------------------------


def answers_with_attachments(application):
    """``(answers, other attachments)``: each answer with the files sent in its field, each
    file marked ``inline`` when it can open in the page (PDF, image)."""
    by_field = {}
    for attachment in application.attachments.all():
        attachment.inline = is_inline(attachment)
        by_field.setdefault(attachment.field_key, []).append(attachment)
    answers = [{**answer, "attachments": by_field.pop(answer["key"], [])} for answer in application.answers()]
    return answers, [item for items in by_field.values() for item in items]


def application_context(request, application):
    """What the inspect view shows, filtered by what ``request.user`` may see and do."""

    user = request.user
    answers, orphan_attachments = answers_with_attachments(application)

    own = access.own_review(user, application)
    see_all = access.can_see_all_reviews(user, application, own)
    review_qs = Review.objects.filter(application=application).select_related("reviewer")
    review_qs = review_qs.prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
    visible_reviews = list(review_qs if see_all else review_qs.filter(reviewer=user))
    can_decide = access.can_decide(user)
    can_assign = access.can_assign(user)
    assignments = list(application.assignments.select_related("reviewer"))
    # Those who may assign are moderators, who see every review.
    conflicted = {review.reviewer_id for review in visible_reviews if review.conflict_of_interest and can_assign}
    for assignment in assignments:
        assignment.conflict = assignment.reviewer_id in conflicted
    assignable = list(reviews.assignable_reviewers(application)) if can_assign else []
    story_link = getattr(application, "story_link", None) if hasattr(application, "story_link") else None
    history = list(application.history.select_related("user"))
    attachments = [item for answer in answers for item in answer["attachments"]] + orphan_attachments
    decision = Decision.objects.filter(application=application).first()
    return {
        **applicant_answers_context(history, attachments, own),
        "decision": decision,
        "award": (
            award.staging_context(application, decision)
            if can_decide and Status.LAUREATE in allowed_targets(application.status)
            else None
        ),
        "announce_url": reverse("moderation:announce", args=[application.page_id]) if can_decide else "",
        "application": application,
        "status_label": status_label(application.status),
        "answers": answers,
        "orphan_attachments": orphan_attachments,
        "history": history,
        "assignments": assignments,
        "reviews": visible_reviews,
        "reviews_hidden": not see_all,
        "own_review": own,
        "can_review": access.can_review(user, application),
        "criteria": reviews.criteria_for(application),
        "transitions": (
            [(target, action_label(application.status, target)) for target in allowed_targets(application.status)]
            if can_decide and not application.is_spam
            else []
        ),
        "can_assign": can_assign,
        "assignable": assignable,
        "can_erase": access.can_erase(user),
        "erased": rgpd.is_erased(application),
        "story_link": story_link,
        "can_promote": access.can_promote(user) and application.status == Status.LAUREATE and story_link is None,
        "index_url": index_url(),
    }


def applicant_answers_context(history, attachments, own_review):
    """The applicant's answers to requests for information, and what came in after the
    user's own review (answers, attachments), for a reviewer to look at again."""
    answers = [entry for entry in history if entry.kind == HistoryEntry.Kind.APPLICANT_ANSWER]
    since = own_review.updated_at if own_review is not None else None
    return {
        "applicant_answers": answers,
        "changed_since_review": [entry for entry in answers if since and entry.created_at > since],
        "new_attachments_since_review": [item for item in attachments if since and item.created_at > since],
    }


# --- Attachments ------------------------------------------------------------------------------


def download_attachment(request, pk):
    """Send an attachment to someone who may open its application: a signed URL of at most
    five minutes on S3, the file streamed from the private folder otherwise."""
    if not access.can_list(request.user):
        raise PermissionDenied
    attachment = (
        Attachment.objects.select_related("application")
        .filter(pk=pk, application__in=access.applications_for(request.user))
        .first()
    )
    if attachment is None:
        raise Http404
    url = signed_url(attachment.file.name, expires=300, display_name=attachment.display_name)
    if url:
        response = HttpResponseRedirect(url)
    else:
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(handle, content_type=attachment.content_type or "application/octet-stream")
        response["Content-Disposition"] = content_disposition(attachment.display_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


def is_inline(attachment):
    """PDFs and raster images open in the page (never SVG: it can carry scripts)."""
    return attachment.content_type in INLINE_TYPES


@xframe_options_sameorigin
def preview_attachment(request, pk):
    """The same checks as the download, shown inline in the admin's own pages: an iframe
    (PDF) or an image. Always streamed by this view, never from a storage URL.

    The response sandboxes itself (``Content-Security-Policy: sandbox``: an opaque origin,
    no script, no form, no popup), and the iframe carries no ``sandbox`` attribute: Chromium
    blocks its PDF viewer in any sandboxed frame, but renders a PDF whose own response is
    sandboxed (tests/e2e/test_moderation_pages.py checks both in Chromium)."""
    if not access.can_list(request.user):
        raise PermissionDenied
    attachment = (
        Attachment.objects.select_related("application")
        .filter(pk=pk, application__in=access.applications_for(request.user))
        .first()
    )
    if attachment is None or not is_inline(attachment):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.display_name).replace("attachment", "inline", 1)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Transitions -----------------------------------------------------------------------------


@require_POST
def transition_view(request, pk):
    if not access.can_decide(request.user):
        raise PermissionDenied
    application = application_or_404(request, pk)
    target = request.POST.get("status", "")
    if target not in Status.values or application.is_spam:
        raise PermissionDenied
    comment = request.POST.get("comment", "")[:2000]
    if target in DECISIONS:
        try:
            amount = None
            if target == Status.LAUREATE:
                amount = award.check_amount(
                    application, request.POST.get("amount", ""), request.POST.get("over_envelope") == "1"
                )
            stage_decision(application, target, request.user, comment, amount=amount)
        except award.AmountRefused as refusal:
            messages.error(request, str(refusal))
        except (TransitionNotAllowed, DecisionLocked) as refusal:
            messages.error(request, str(refusal) or _("Cette décision est déjà annoncée."))
        else:
            messages.success(
                request,
                _(
                    "Décision « %(status)s » préparée pour %(who)s. Rien n'est envoyé : elle partira avec les "
                    "autres décisions de l'appel (« Annoncer les décisions »)."
                )
                % {"who": who(application), "status": status_label(target)},
            )
        return HttpResponseRedirect(inspect_url(application))
    try:
        transition(application, target, request.user, comment)
    except TransitionNotAllowed as refusal:  # MessageRequired too: asking needs a message
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Candidature %(who)s : « %(status)s ».") % {"who": who(application), "status": status_label(target)},
        )
    return HttpResponseRedirect(inspect_url(application))


def _selected(request):
    """The selected applications, all of them within what the user may touch, or 403."""
    raw_ids = request.POST.getlist("ids")
    try:
        ids = {int(value) for value in raw_ids}
    except ValueError:
        raise PermissionDenied from None
    if not ids:
        return None
    queryset = access.applications_for(request.user).filter(pk__in=ids)
    call = request.POST.get("call", "")
    if call:
        if not call.isdigit():
            raise PermissionDenied
        queryset = queryset.filter(page_id=int(call))
    applications = list(queryset.select_related("page").order_by("pk"))
    if len(applications) != len(ids):
        raise PermissionDenied
    return applications


@require_POST
def bulk_view(request):
    action = request.POST.get("action", "")
    if action == "status":
        if not access.can_decide(request.user):
            raise PermissionDenied
    elif action == "assign":
        if not access.can_assign(request.user):
            raise PermissionDenied
    else:
        raise PermissionDenied
    applications = _selected(request)
    if applications is None:
        messages.warning(request, _("Sélectionnez au moins une candidature."))
        return back_to(request, index_url())
    if action == "status":
        target = request.POST.get("status", "")
        if target not in Status.values:
            raise PermissionDenied
        result = bulk_transition(
            [a for a in applications if not a.is_spam], target, request.user, request.POST.get("comment", "")[:2000]
        )
        refused = result.refused + [a for a in applications if a.is_spam]
        if result.done and target in DECISIONS:
            messages.success(
                request,
                ngettext(
                    "%(count)s décision « %(status)s » préparée, à annoncer avec les autres.",
                    "%(count)s décisions « %(status)s » préparées, à annoncer avec les autres.",
                    len(result.done),
                )
                % {"count": len(result.done), "status": status_label(target)},
            )
        elif result.done:
            messages.success(
                request,
                ngettext(
                    "%(count)s candidature passée à « %(status)s ».",
                    "%(count)s candidatures passées à « %(status)s ».",
                    len(result.done),
                )
                % {"count": len(result.done), "status": status_label(target)},
            )
        if refused:
            messages.error(
                request,
                _("Non modifiées (changement impossible depuis leur statut) : %(list)s.")
                % {"list": ", ".join(who(a) for a in refused)},
            )
    else:
        reviewer = reviews.eligible_reviewers().filter(pk=request.POST.get("reviewer") or 0).first()
        if reviewer is None:
            messages.error(request, _("Choisissez un évaluateur."))
            return back_to(request, index_url())
        newly = [a for a in applications if reviews.assign(a, reviewer, request.user)]
        reviews.notify_assigned(reviewer, newly)
        added = len(newly)
        messages.success(
            request,
            ngettext(
                "%(name)s évalue %(count)s candidature de plus.",
                "%(name)s évalue %(count)s candidatures de plus.",
                added,
            )
            % {"name": reviews.display_name(reviewer), "count": added},
        )
    return back_to(request, index_url())
