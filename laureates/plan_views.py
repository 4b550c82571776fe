"""The team's page of one laureate's coaching plan, in the admin (/admin/laureats/parcours/<id>/):
milestones (add, change the date or the status), coaching areas, team notes (never shown to
the laureate), the files the laureate sent. Every change goes through ``plan`` (checked,
recorded in the laureate's history with who and when).

Reading needs ``laureates.view_laureate``; each change its own permission (``add_milestone``,
``change_milestone``, ``change_laureate`` for the areas, ``add_teamnote``); the notes are
read with ``view_teamnote``. « Modérateurs » hold them all (``groups.py``); reviewers none.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.attachments.storage import download_response

from . import plan
from .models import Laureate, Milestone, MilestoneFile
from .plan_forms import CoachingAreasForm, MilestoneForm, NoteForm

HISTORY_SHOWN = 30


def _require(request, codename):
    if not request.user.has_perm(f"laureates.{codename}"):
        raise PermissionDenied


def plan_url(laureate_id):
    return reverse("laureates_plan:plan", args=[laureate_id])


def _laureate(pk):
    milestones = Milestone.objects.order_by("sort_order", "due_on", "pk").prefetch_related("files")
    return get_object_or_404(
        Laureate.objects.select_related("call", "story").prefetch_related(
            Prefetch("milestones", queryset=milestones, to_attr="plan"), "coaching_areas"
        ),
        pk=pk,
    )


def _render(request, laureate, forms=None, status=200):
    forms = forms or {}
    user = request.user
    for milestone in laureate.plan:
        milestone.form = forms.get(("milestone", milestone.pk)) or MilestoneForm(
            initial={
                "label": milestone.label,
                "due_on": milestone.due_on,
                "status": milestone.status,
                "is_opening": milestone.is_opening,
            },
            prefix=f"etape-{milestone.pk}",
        )
        # The label and the opening flag are set when the milestone is added.
        for name in ("label", "is_opening"):
            milestone.form.fields[name].disabled = True
    context = {
        "laureate": laureate,
        "milestones": laureate.plan,
        "add_form": forms.get("add") or MilestoneForm(prefix="nouvelle"),
        "areas_form": forms.get("areas")
        or CoachingAreasForm(initial={"areas": list(laureate.coaching_areas.all())}, prefix="domaines"),
        "note_form": forms.get("note") or NoteForm(prefix="note"),
        "notes": list(laureate.notes.select_related("author")) if user.has_perm("laureates.view_teamnote") else None,
        "history": list(laureate.history.order_by("-created_at", "-pk")[:HISTORY_SHOWN]),
        "can": {
            "add": user.has_perm("laureates.add_milestone"),
            "change": user.has_perm("laureates.change_milestone"),
            "areas": user.has_perm("laureates.change_laureate"),
            "note": user.has_perm("laureates.add_teamnote") and laureate.contact_erased_at is None,
        },
        "earliest_due_on": plan.earliest_due_on(laureate),
        "note_after_erasure": plan.NOTE_AFTER_ERASURE,
    }
    return TemplateResponse(request, "laureates/admin/plan.html", context, status=status)


def plan_view(request, pk):
    _require(request, "view_laureate")
    return _render(request, _laureate(pk))


def _refused(form, field, error):
    for message in error.messages:
        form.add_error(field, message)


@require_POST
def milestone_add_view(request, pk):
    _require(request, "add_milestone")
    laureate = _laureate(pk)
    form = MilestoneForm(request.POST, prefix="nouvelle")
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan.add_milestone(laureate, request.user, data["label"], data["due_on"], data["is_opening"])
        except ValidationError as error:
            _refused(form, "due_on", error)
        else:
            messages.success(request, _("Étape « %(label)s » ajoutée.") % {"label": data["label"]})
            return HttpResponseRedirect(plan_url(laureate.pk))
    return _render(request, laureate, {"add": form}, status=400)


@require_POST
def milestone_change_view(request, pk):
    _require(request, "change_milestone")
    milestone = get_object_or_404(Milestone, pk=pk)
    laureate = _laureate(milestone.laureate_id)
    form = MilestoneForm(request.POST, prefix=f"etape-{milestone.pk}", initial={"label": milestone.label})
    form.fields["label"].disabled = True
    form.fields["is_opening"].disabled = True
    if form.is_valid():
        try:
            plan.change_milestone(milestone, request.user, form.cleaned_data["due_on"], form.cleaned_data["status"])
        except ValidationError as error:
            _refused(form, "due_on", error)
        else:
            messages.success(request, _("Étape « %(label)s » enregistrée.") % {"label": milestone.label})
            return HttpResponseRedirect(plan_url(laureate.pk))
    return _render(request, laureate, {("milestone", milestone.pk): form}, status=400)


@require_POST
def areas_view(request, pk):
    _require(request, "change_laureate")
    laureate = _laureate(pk)
    form = CoachingAreasForm(request.POST, prefix="domaines")
    if not form.is_valid():
        return _render(request, laureate, {"areas": form}, status=400)
    if plan.set_coaching_areas(laureate, request.user, list(form.cleaned_data["areas"])):
        messages.success(request, _("Domaines d'accompagnement enregistrés."))
    return HttpResponseRedirect(plan_url(laureate.pk))


@require_POST
def note_view(request, pk):
    _require(request, "add_teamnote")
    laureate = _laureate(pk)
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return _render(request, laureate, {"note": form}, status=400)
    try:
        plan.add_note(laureate, request.user, form.cleaned_data["text"])
    except ValidationError as error:
        _refused(form, "text", error)
        return _render(request, laureate, {"note": form}, status=400)
    messages.success(request, _("Note ajoutée."))
    return HttpResponseRedirect(plan_url(laureate.pk))


def file_view(request, pk):
    _require(request, "view_laureate")
    milestone_file = MilestoneFile.objects.filter(pk=pk).first()
    if milestone_file is None:
        raise Http404
    return download_response(milestone_file.file, milestone_file.original_name, milestone_file.content_type)


app_name = "laureates_plan"
urlpatterns = [
    path("<int:pk>/", plan_view, name="plan"),
    path("<int:pk>/etapes/ajouter/", milestone_add_view, name="milestone_add"),
    path("etapes/<int:pk>/", milestone_change_view, name="milestone_change"),
    path("<int:pk>/domaines/", areas_view, name="areas"),
    path("<int:pk>/notes/", note_view, name="note"),
    path("fichiers/<int:pk>/", file_view, name="file"),
]
