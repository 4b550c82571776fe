"""The applicant's record, as plain Django views under /admin/moderation/: their data as
JSON (right of access), the erasure of their personal data (RGPD), and the story promoted
from a laureate's application. Access as in ``views.py``."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from . import access, promote, rgpd, rights
from .models import ErasureRequest
from .views import application_or_404, inspect_url


@require_POST
def applicant_data_view(request, pk):
    """One applicant's data as JSON (right of access), recorded in the history."""

    if not access.can_erase(request.user):
        raise PermissionDenied
    application = application_or_404(request, pk)
    data = rgpd.applicant_data(application, request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="candidature-{application.reference}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


def erase_view(request, pk):

    if not access.can_erase(request.user):
        raise PermissionDenied
    application = application_or_404(request, pk)
    if request.method == "POST":
        if rgpd.is_erased(application):
            messages.warning(request, _("Les données de cette candidature sont déjà effacées."))
        else:
            rgpd.erase(application, request.user, reason=request.POST.get("reason", "")[:500])
            messages.success(
                request, _("Données personnelles de la candidature %(ref)s effacées.") % {"ref": application.reference}
            )
        return HttpResponseRedirect(inspect_url(application))
    return TemplateResponse(
        request,
        "moderation/erase.html",
        {"application": application, "inspect_url": inspect_url(application), "erased": rgpd.is_erased(application)},
    )


def erasure_request_view(request, pk):
    """An applicant's erasure request: what it erases, then one action carries it out."""
    if not access.can_erase(request.user):
        raise PermissionDenied
    erasure_request = get_object_or_404(ErasureRequest, pk=pk)
    if request.method == "POST":
        try:
            references = rights.carry_out(erasure_request.pk, request.user)
        except rights.AlreadyDone:
            messages.warning(request, _("Cette demande d'effacement a déjà été traitée."))
        else:
            messages.success(
                request,
                ngettext(
                    "Données effacées (%(count)s candidature). Le candidat va recevoir un courriel.",
                    "Données effacées (%(count)s candidatures). Le candidat va recevoir un courriel.",
                    len(references),
                )
                % {"count": len(references)},
            )
        return redirect("wagtailadmin_home")
    applications, drafts = rights.concerned(erasure_request) if erasure_request.done_at is None else ([], 0)
    context = {
        "erasure_request": erasure_request,
        "deadline": rights.deadline(erasure_request),
        "applications": applications,
        "drafts": drafts,
    }
    return TemplateResponse(request, "moderation/erasure_request.html", context)


def promotion_photo_messages(promotion):
    """What the promotion did with the applicant's photos, for the moderator: (``"success"`` or ``"warning"``, text)."""
    found = []
    if not promotion.consent_given:
        if promotion.asked:
            text = _("Le candidat n'a pas donné son accord pour la publication de ses photos : aucune photo copiée.")
        else:
            text = _("L'appel ne demandait pas le droit à l'image : aucune photo du candidat copiée.")
        return [("warning", text)]
    if promotion.photos:
        found.append(
            (
                "success",
                ngettext(
                    "%(count)s photo du candidat copiée dans la galerie du récit (avec son accord) : "
                    "écrivez son texte alternatif avant de publier.",
                    "%(count)s photos du candidat copiées dans la galerie du récit (avec son accord) : "
                    "écrivez leur texte alternatif avant de publier.",
                    len(promotion.photos),
                )
                % {"count": len(promotion.photos)},
            )
        )
    for name, reason in promotion.skipped:
        text = _("La photo « %(name)s » n'a pas été copiée : %(reason)s") % {"name": name, "reason": reason}
        found.append(("warning", text))
    return found


@require_POST
def promote_view(request, pk):

    if not access.can_promote(request.user):
        raise PermissionDenied
    application = application_or_404(request, pk)
    similar = [story.title for story in promote.similar_stories(application)]
    try:
        promotion = promote.promote(application, request.user)
    except promote.CannotPromote as refusal:
        messages.error(request, str(refusal))
        return HttpResponseRedirect(inspect_url(application))
    story = promotion.story
    messages.success(
        request,
        _("Brouillon du récit « %(title)s » créé sous les lauréats.") % {"title": story.title},
    )
    for level, message in promotion_photo_messages(promotion):
        getattr(messages, level)(request, message)
    if similar:
        messages.warning(
            request,
            _("Un récit existe déjà pour ce commerce : %(titles)s. Vérifiez avant de publier.")
            % {"titles": ", ".join(f"« {title} »" for title in similar)},
        )
    if story.permissions_for_user(request.user).can_edit():
        return redirect("wagtailadmin_pages:edit", story.pk)
    # A moderator who does not edit pages stays on the application; the editors write the story.
    return HttpResponseRedirect(inspect_url(application))
