"""The applicant's rights from their space: erasing their data, asking for a correction.

What is decided is ``moderation/rights.py``'s (at once, or a request the team carries out
within a month); these views only ask for the confirmation and say what happened. Every
object is found through ``space.py``: another applicant's application is a 404.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from calls.forms import CallBoundField
from laureates.space import is_laureate
from moderation import rgpd, rights
from moderation.models import HistoryEntry

from . import auth, space
from .views import _owned_or_404, redirect_303, signed_in


class CorrectionForm(forms.Form):
    bound_field_class = CallBoundField  # the call form's help, hints and errors
    text = forms.CharField(
        label=gettext_lazy("Ce qui est inexact et la correction à faire"),
        max_length=rights.CORRECTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": gettext_lazy("Écrivez ce qui est inexact et la correction que vous demandez."),
            "max_length": gettext_lazy("Votre demande est trop longue : %(limit_value)d caractères au plus."),
        },
    )


def _erasable(email):
    applications = list(
        space.owned_applications(email)
        .annotate(erased=rgpd.erased_filter())
        .filter(erased=False)
        .select_related("page")
        .order_by("-submit_time", "-pk")
    )
    for application in applications:
        application.shown_status_label = space.shown_status(application.status).label
    return applications, list(space.owned_drafts(email).select_related("page").order_by("-updated_at", "-pk"))


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def erase_view(request):
    """GET: what would be erased, and whether it is at once or a request to the team. POST: do it."""
    email = request.applicant_email
    waiting = rights.open_request(email)
    needs_team = rights.needs_the_team(email, laureate=is_laureate(email))
    if request.method == "POST" and waiting is None:
        if needs_team:
            rights.request_erasure(email)
            messages.success(
                request,
                _(
                    "Votre demande d'effacement est enregistrée. L'équipe y répond dans un délai d'un mois ; "
                    "vous recevrez un courriel quand ce sera fait."
                ),
            )
            return redirect_303(reverse("applicants:erase"))
        rgpd.erase_applicant(email, None, reason=_("Effacement demandé par le candidat depuis son espace."))
        auth.sign_out(request)
        messages.success(request, _("Vos données sont effacées : vos candidatures, leurs fichiers et vos brouillons."))
        return redirect_303(reverse("applicants:space"))
    if request.method == "POST":
        return redirect_303(reverse("applicants:erase"))
    applications, drafts = _erasable(email)
    context = {
        "applications": applications,
        "drafts": drafts,
        "needs_team": needs_team,
        "waiting": waiting,
        "deadline": rights.deadline(waiting) if waiting else None,
        "laureate": is_laureate(email),
    }
    return render(request, "applicants/erase.html", context)


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def correction_view(request, pk):
    """« Demander une correction »: the text goes to the team and into the application's history."""
    application = _owned_or_404(request, pk)  # an erased one has no address left: a 404 too
    form = CorrectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            rights.request_correction(application, form.cleaned_data["text"])
            messages.success(
                request,
                _("Votre demande de correction est envoyée à l'équipe, qui vous répond dans un délai d'un mois."),
            )
            return redirect_303(reverse("applicants:application", args=[application.pk]))
        status = 400
    sent = HistoryEntry.objects.filter(application=application, kind=HistoryEntry.Kind.CORRECTION_REQUEST).order_by(
        "created_at", "pk"
    )
    context = {"application": application, "form": form, "sent": list(sent)}
    return render(request, "applicants/correction.html", context, status=status)
