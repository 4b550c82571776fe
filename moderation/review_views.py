"""Reviews of the applications, as plain Django views under /admin/moderation/: assigning a
reviewer (or replacing one who declared a conflict of interest), and the reviewer's form.
Access as in ``views.py``: ``access.applications_for`` and the team's roles."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from . import access, reviews
from .models import HistoryEntry
from .views import (
    answers_with_attachments,
    applicant_answers_context,
    application_or_404,
    index_url,
    inspect_url,
    who,
)


@require_POST
def assign_view(request, pk):
    if not access.can_assign(request.user):
        raise PermissionDenied
    application = application_or_404(request, pk)
    reviewer = reviews.eligible_reviewers().filter(pk=request.POST.get("reviewer") or 0).first()
    replaced = request.POST.get("replace", "")
    if reviewer is None:
        messages.error(request, _("Choisissez un évaluateur."))
    elif replaced:
        # A reviewer who declared a conflict of interest, replaced by ``reviewer``.
        conflicted = application.assignments.filter(reviewer_id=int(replaced) if replaced.isdigit() else 0).first()
        if conflicted is None:
            raise Http404
        if reviews.reassign(application, conflicted.reviewer, reviewer, request.user):
            messages.success(
                request,
                _("%(name)s évaluera la candidature %(who)s à la place de %(old)s.")
                % {
                    "name": reviews.display_name(reviewer),
                    "who": who(application),
                    "old": reviews.display_name(conflicted.reviewer),
                },
            )
        else:
            messages.error(
                request,
                _("%(name)s ne peut pas la recevoir : déjà assigné ou en conflit d'intérêts.")
                % {"name": reviews.display_name(reviewer)},
            )
    elif reviews.has_conflict(reviewer, application) and not request.POST.get("remove"):
        messages.error(
            request,
            _("%(name)s a déclaré un conflit d'intérêts sur cette candidature : choisissez un autre évaluateur.")
            % {"name": reviews.display_name(reviewer)},
        )
    elif request.POST.get("remove"):
        if reviews.unassign(application, reviewer, request.user):
            messages.success(
                request, _("%(name)s n'évalue plus cette candidature.") % {"name": reviews.display_name(reviewer)}
            )
    elif reviews.assign(application, reviewer, request.user):
        reviews.notify_assigned(reviewer, [application])
        messages.success(
            request,
            _("%(name)s évaluera la candidature %(who)s.")
            % {"name": reviews.display_name(reviewer), "who": who(application)},
        )
    return HttpResponseRedirect(inspect_url(application))


def review_view(request, pk):
    """A reviewer's form for an application assigned to them."""
    if not access.is_reviewer(request.user):
        raise PermissionDenied
    application = application_or_404(request, pk)
    if not access.is_assigned(request.user, application):
        raise Http404
    own = access.own_review(request.user, application)
    locked = not access.can_review(request.user, application) or (own is not None and own.conflict_of_interest)
    if request.method == "POST" and locked:
        raise PermissionDenied
    criteria = reviews.criteria_for(application)
    answers, orphan_attachments = answers_with_attachments(application)
    form = reviews.ReviewForm(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        initial=reviews.ReviewForm.initial_for(own),
    )
    if request.method == "POST" and form.is_valid():
        try:
            reviews.save_review(
                application,
                request.user,
                conflict_of_interest=form.cleaned_data["conflict_of_interest"],
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
            )
        except reviews.ReviewClosed:
            raise PermissionDenied from None
        if form.cleaned_data["conflict_of_interest"]:
            # The application is closed to this reviewer from now on (access.applications_for).
            messages.success(
                request,
                _(
                    "Conflit d'intérêts enregistré pour la candidature %(reference)s : elle ne vous est plus "
                    "accessible, et l'équipe est prévenue pour la confier à un autre évaluateur."
                )
                % {"reference": application.reference},
            )
            return HttpResponseRedirect(index_url())
        saved = _("Évaluation de %(who)s enregistrée.") % {"who": who(application)}
        next_url = reviews.next_to_review(request.user, application, request.GET)
        if next_url:
            messages.success(request, saved + " " + _("Voici la candidature suivante à évaluer."))
            return HttpResponseRedirect(next_url)
        messages.success(request, saved + " " + _("Il ne vous reste aucune candidature à évaluer."))
        return HttpResponseRedirect(index_url())
    return TemplateResponse(
        request,
        "moderation/review.html",
        {
            "application": application,
            "form": form,
            "own_review": own,
            "locked": locked,
            "inspect_url": inspect_url(application),
            "score_fields": [(form[reviews.ReviewForm.score_field(c)], reviews.level_lines(c)) for c in criteria],
            "answers": answers,
            "orphan_attachments": orphan_attachments,
            **reviews.neighbours(request.user, application, request.GET),
            **applicant_answers_context(
                list(application.history.filter(kind=HistoryEntry.Kind.APPLICANT_ANSWER)),
                [item for answer in answers for item in answer["attachments"]] + orphan_attachments,
                own,
            ),
        },
    )
