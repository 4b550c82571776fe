"""The laureate's part of the applicant's space (/espace-candidat/laureat/…).

Same sign-in, same session as the applicant's space (``views.signed_in``): the part appears
once the signed-in address is the contact address of a laureate still in the network. Every
object comes from ``laureates.space`` with that address; another laureate's id is a 404.
The laureate reads their record, payments and coaching plan, and marks a milestone done
(``laureates.plan.mark_milestone_done``); the team's notes are never read here.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.attachments.storage import download_response
from calls.submission import count_validation
from calls.uploads import upload_errors
from calls.views import too_many_files_checked
from laureates import plan
from laureates import space as laureate_space
from laureates.models import MilestoneStatus
from laureates.plan_forms import MilestoneDoneForm

from .views import redirect_303, signed_in


def _page(request, laureate, bound=None, status=200):
    """The laureate's page; ``bound``: the milestone whose « fait » form came back with errors."""
    for milestone in laureate.plan:
        if milestone.status == MilestoneStatus.A_FAIRE:
            milestone.done_form = (
                bound[1] if bound and bound[0] == milestone.pk else MilestoneDoneForm(prefix=f"etape-{milestone.pk}")
            )
    context = {
        "laureate": laureate,
        "payments": laureate.shown_payments,
        "milestones": laureate.plan,
        "areas": list(laureate.coaching_areas.all()),
        "has_errors": bound is not None,
    }
    return render(request, "applicants/laureate.html", context, status=status)


@signed_in
def laureate_view(request, pk):
    laureate = laureate_space.owned_laureate(request.applicant_email, pk)
    if laureate is None:
        raise Http404
    return _page(request, laureate)


@signed_in
@require_POST
def milestone_done_view(request, pk):
    milestone = laureate_space.owned_milestone(request.applicant_email, pk)
    if milestone is None:
        raise Http404
    page_url = reverse("applicants:laureate", args=[milestone.laureate_id])
    if milestone.status == MilestoneStatus.FAIT:
        messages.error(request, _("Cette étape est déjà marquée comme faite."))
        return redirect_303(page_url)
    # Before the files are checked: they count in the client's budget (as an application's).
    retry_after = count_validation(request)
    if retry_after is not None:
        return too_many_files_checked(request, None, retry_after)
    form = MilestoneDoneForm(request.POST, request.FILES, prefix=f"etape-{milestone.pk}")
    valid = form.is_valid()
    for name, field_messages in upload_errors(request).items():
        # The streaming guard skipped a file (too big, too many): said beside the field.
        if name == form.add_prefix("files"):
            form.add_error("files", field_messages)
            valid = False
    if valid:
        try:
            plan.mark_milestone_done(milestone, form.cleaned_data["text"], form.cleaned_data["files"] or [])
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            done = _("Étape « %(label)s » marquée comme faite. Merci !") % {"label": milestone.label}
            messages.success(request, done)
        return redirect_303(page_url + f"#etape-{milestone.pk}")
    laureate = laureate_space.owned_laureate(request.applicant_email, milestone.laureate_id)
    return _page(request, laureate, bound=(milestone.pk, form), status=400)


@signed_in
def milestone_file_view(request, pk):
    milestone_file = laureate_space.owned_milestone_file(request.applicant_email, pk)
    if milestone_file is None:
        raise Http404
    return download_response(milestone_file.file, milestone_file.original_name, milestone_file.content_type)
