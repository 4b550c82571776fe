"""The applicant's space (/espace-candidat/): sign-in by emailed link, the applicant's
page, and what an applicant can do with what they own.

Every response is ``no-store`` (``private_view``); every object is found through
``space.py`` with the signed-in address; the forms keep Django's CSRF protection.
"""

import functools
import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from calls import drafts
from calls.models import Status
from calls.pdf import application_pdf, pdf_filename
from calls.submission import count_validation
from calls.views import too_many_files_checked
from home.private import private_view
from laureates.space import laureates_for_space
from moderation import rgpd

from . import actions, auth, space, space_links
from .forms import LinkRequestForm
from .limits import count_link_request
from .links import safe_next
from .tasks import enqueue_draft_link_now, queue_link_request

logger = logging.getLogger(__name__)


def signed_in(view):
    """The signed-in address as ``request.applicant_email``; else the sign-in page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        email = auth.signed_in_email(request)
        if email is None:
            # The sign-in page, with this page as the next step (an emailed link to an
            # application or its PDF opens it once signed in: links.safe_next checks it).
            space_url = reverse("applicants:space")
            if request.method in ("GET", "HEAD"):
                space_url += "?" + urlencode({"suite": request.path})
            return HttpResponseRedirect(space_url)
        request.applicant_email = email
        return view(request, *args, **kwargs)

    return private_view(wrapped)


def redirect_303(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# --- Sign-in ---------------------------------------------------------------------------------


@private_view
@require_http_methods(["GET", "HEAD", "POST"])
def space_view(request):
    email = auth.signed_in_email(request)
    if email is not None:
        request.applicant_email = email
        return applicant_page(request)
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = auth.normalise_email(form.cleaned_data["email"])
        retry_after = count_link_request(request, email)
        if retry_after is not None:
            context = {"retry_after_minutes": max(1, -(-retry_after // 60))}
            response = render(request, "applicants/too_many.html", context, status=429)
            response["Retry-After"] = str(retry_after)
            return response
        # Known address or not, the same work: the request is stored and queued, and the
        # task decides after the response (tasks.handle_link_request).
        queue_link_request(email, safe_next(request.POST.get("suite", "")) if request.POST.get("suite") else "")
        return redirect_303(reverse("applicants:link_sent"))
    status = 400 if request.method == "POST" else 200
    suite = request.POST.get("suite", "") if request.method == "POST" else request.GET.get("suite", "")
    suite = safe_next(suite) if suite else ""
    context = {
        "form": form,
        "suite": suite,
        "to_application": suite.startswith(reverse("applicants:space") + "candidatures/"),
    }
    return render(request, "applicants/sign_in.html", context, status=status)


@private_view
def link_sent_view(request):
    return render(request, "applicants/link_sent.html", {"max_age_minutes": settings.SESAME_MAX_AGE // 60})


@private_view
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_view(request, token):
    """GET shows a button; the POST uses the link. Mail scanners that open links (GET)
    therefore never use up the single-use token."""
    next_path = safe_next(request.GET.get("suite", ""))
    if request.method == "POST":
        account = auth.account_from_token(token)
        if account is not None:
            auth.sign_in(request, account)
            return redirect_303(next_path)
        context = {"form": LinkRequestForm(), "suite": next_path if next_path != reverse("applicants:space") else ""}
        return render(request, "applicants/link_invalid.html", context, status=400)
    return render(request, "applicants/sign_in_confirm.html", {"token": token, "suite": next_path})


@private_view
@require_POST
def sign_out_view(request):
    auth.sign_out(request)
    return redirect_303(reverse("applicants:space"))


# --- The applicant's page ----------------------------------------------------------------------


def applicant_page(request):
    applications = space.applications_with_history(request.applicant_email)
    items = [
        {
            "application": application,
            "steps": space.steps(application),
            "request": space.team_request(application),
        }
        for application in applications
    ]
    laureates = laureates_for_space(request.applicant_email)
    context = {
        "items": items,
        "drafts": space.drafts_with_files(request.applicant_email),
        "laureates": laureates,
        "network_links": space_links.member_links(request, laureates),
        "applicant_email": request.applicant_email,
        "now": timezone.now(),
    }
    return render(request, "applicants/space.html", context)


# --- Drafts -----------------------------------------------------------------------------------


@signed_in
def draft_view(request, pk):
    """Resume a draft: it becomes this browser's draft of its call, then the call's form
    (on its first step still to complete). Its address is fixed from now on: an application's
    address cannot be changed from the space."""
    draft = space.owned_draft(request.applicant_email, pk)
    if draft is None:
        raise Http404
    drafts.confirm_owner(draft)
    drafts.remember(request, draft)
    return redirect_303(draft.page.get_url(request) + "#candidater")


@private_view
@require_http_methods(["GET", "HEAD", "POST"])
def draft_resume_view(request, token):
    """The emailed link to resume a draft (calls/drafts.py): it opens that draft only, in
    this browser, without signing in to the space. GET shows a button (mail scanners open
    links); the POST confirms the address, which puts the draft in its owner's space."""
    draft = drafts.draft_from_token(token)
    if draft is None:
        return render(request, "applicants/draft_link_invalid.html", {"form": LinkRequestForm()}, status=400)
    if request.method == "POST":
        drafts.confirm_from_link(draft)
        drafts.remember(request, draft)
        return redirect_303(draft.page.get_url(request) + "#candidater")
    context = {"draft": draft, "idle_minutes": settings.CALLS_DRAFT_SESSION_IDLE_MINUTES}
    return render(request, "applicants/draft_resume_confirm.html", context)


@signed_in
@require_POST
def draft_link_view(request, pk):
    """A new resume link (``nouveau``, emailed; the old one stops working) or none at all
    (``revoquer``: a link forwarded or left on a shared computer)."""
    draft = space.owned_draft(request.applicant_email, pk)
    if draft is None:
        raise Http404
    if request.POST.get("action") == "nouveau":
        drafts.new_resume_token(draft)
        enqueue_draft_link_now(request.applicant_email, draft)
        messages.success(request, _("Un nouveau lien vers ce brouillon vient d'être envoyé ; l'ancien ne marche plus."))
    else:
        drafts.revoke_link(draft)
        messages.success(
            request, _("Le lien vers ce brouillon ne marche plus. Vous le retrouvez ici, dans votre espace.")
        )
    return redirect_303(reverse("applicants:space"))


@signed_in
@require_POST
def draft_delete_view(request, pk):
    draft = space.owned_draft(request.applicant_email, pk)
    if draft is None:
        raise Http404
    drafts.forget(request, draft.page)
    drafts.discard(draft)
    messages.success(request, _("Brouillon supprimé, avec ses fichiers."))
    return redirect_303(reverse("applicants:space"))


# --- One application ---------------------------------------------------------------------------


def _owned_or_404(request, pk):
    application = space.owned_application(request.applicant_email, pk)
    if application is None:
        raise Http404
    return application


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def application_view(request, pk):
    """One application: its answers' history, and the answer form when the team asked."""
    application = _owned_or_404(request, pk)
    status = 200
    form = None
    if application.status == Status.INFORMATIONS_DEMANDEES:
        if request.method == "POST":
            # Before the files are checked: they count in the client's budget.
            retry_after = count_validation(request)
            if retry_after is not None:
                return too_many_files_checked(request, None, retry_after)
        form = actions.AnswerForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if form.is_valid():
                try:
                    actions.answer(application, form.cleaned_data["text"], form.cleaned_data["files"])
                except actions.ActionRefused:
                    messages.error(request, _("Cette candidature n'attend plus de réponse."))
                else:
                    messages.success(
                        request, _("Réponse envoyée à l'équipe. Votre candidature est de nouveau en instruction.")
                    )
                return redirect_303(reverse("applicants:application", args=[application.pk]))
            status = 400
    elif request.method == "POST":
        messages.error(request, _("Cette candidature n'attend plus de réponse."))
        return redirect_303(reverse("applicants:application", args=[application.pk]))
    application = space.application_with_history(request.applicant_email, pk)
    context = {
        "application": application,
        "steps": space.steps(application),
        "team_request": space.team_request(application),
        "answers": space.applicant_answers(application),
        "form_answers": application.answers(),
        "attachments": list(application.attachments.all()),
        "form": form,
        "can_withdraw": actions.can_withdraw(application),
    }
    return render(request, "applicants/application.html", context, status=status)


@signed_in
@require_POST
def withdraw_view(request, pk):
    application = _owned_or_404(request, pk)
    if request.POST.get("confirmer") != "oui":
        messages.error(request, _("Cochez la case pour confirmer le retrait de votre candidature."))
    else:
        try:
            actions.withdraw(application)
        except actions.ActionRefused:
            messages.error(request, _("Cette candidature ne peut plus être retirée : la décision est prise."))
        else:
            messages.success(request, _("Votre candidature est retirée."))
    return redirect_303(reverse("applicants:application", args=[application.pk]))


@signed_in
@require_POST
def data_view(request, pk):
    """The applicant's data, as the RGPD export gives it to moderators (recorded)."""
    application = _owned_or_404(request, pk)
    data = rgpd.applicant_data(application, None)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="donnees-{application.reference}.json"'
    return response


@signed_in
def pdf_view(request, pk):
    application = _owned_or_404(request, pk)
    response = HttpResponse(application_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(application)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
