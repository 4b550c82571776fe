"""The team's decisions on a call, as plain Django views under /admin/moderation/: cancelling
a staged decision, « Annoncer les décisions » (now or at a chosen time), the call's ranking.
Access as in ``views.py``: ``access.applications_for`` and the team's roles."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from calls.models import CallPage, Status

from . import access, announce, ranking
from .views import application_or_404, back_to, index_url, inspect_url, who
from .workflow import (
    DecisionLocked,
    action_label,
    cancel_decision,
)


@require_POST
def cancel_decision_view(request, pk):
    if not access.can_decide(request.user):
        raise PermissionDenied
    application = application_or_404(request, pk)
    try:
        cancelled = cancel_decision(application, request.user)
    except DecisionLocked:
        messages.error(request, _("Cette décision est déjà annoncée ou programmée : elle ne peut plus être annulée."))
    else:
        if cancelled:
            messages.success(request, _("Décision préparée annulée pour %(who)s.") % {"who": who(application)})
    return back_to(request, inspect_url(application))


def _call_or_404(pk):
    call = CallPage.objects.filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def announce_view(request, pk):
    """« Annoncer les décisions » of one call: what will go, a preview of each email, the
    warnings, and sending now or at a chosen time (Paris time)."""
    if not access.can_decide(request.user):
        raise PermissionDenied
    call = _call_or_404(pk)
    # Catch up with what is due (where the task queue cannot defer a task).
    announce.run_due_announcements()
    form = announce.AnnounceForm(request.POST or None)
    items = announce.summary(call)
    warned = any(item.warnings for item in items if item.count)
    if request.method == "POST" and request.POST.get("cancel"):
        pending = announce.pending_announcements(call).filter(pk=request.POST.get("cancel") or 0).first()
        if pending is None:
            raise Http404
        if announce.cancel_announcement(pending, request.user):
            messages.success(request, _("Annonce programmée annulée : les décisions restent à annoncer."))
        return HttpResponseRedirect(reverse("moderation:announce", args=[call.pk]))
    if request.method == "POST" and form.is_valid():
        if warned and not form.cleaned_data["confirm_warnings"]:
            form.add_error("confirm_warnings", _("Relisez les avertissements et cochez cette case pour envoyer."))
        else:
            try:
                done = announce.announce(call, request.user, when=form.when())
            except announce.NothingToAnnounce:
                messages.warning(request, _("Aucune décision préparée à annoncer pour cet appel."))
            else:
                if form.when() is None:
                    messages.success(request, _("Décisions annoncées : les courriels partent."))
                else:
                    messages.success(
                        request,
                        _("Annonce programmée le %(date)s (heure de Paris).")
                        % {"date": announce.paris(done.scheduled_for)},
                    )
            return HttpResponseRedirect(reverse("moderation:announce", args=[call.pk]))
    return TemplateResponse(
        request,
        "moderation/announce.html",
        {
            "call": call,
            "form": form,
            "items": items,
            "total": sum(item.count for item in items),
            "emails": sum(item.emails for item in items),
            "warned": warned,
            "pending": list(announce.pending_announcements(call)),
            "done": list(call.announcements.filter(done_at__isnull=False).order_by("-done_at")[:10]),
            "queue_url": f"{index_url()}?call={call.pk}",
        },
    )


def ranking_view(request, pk):
    """The call's ranking, for moderators; bulk shortlist or staged decisions from it."""
    if not access.is_moderator(request.user):
        raise PermissionDenied
    call = _call_or_404(pk)
    status = request.GET.get("status", "")
    rows = ranking.ranking(call, status)
    return TemplateResponse(
        request,
        "moderation/ranking.html",
        {
            "call": call,
            "rows": rows,
            "status": status,
            "statuses": Status.choices,
            "can_decide": access.can_decide(request.user),
            "bulk_statuses": [
                (Status.PRESELECTIONNEE, action_label(Status.EN_INSTRUCTION, Status.PRESELECTIONNEE)),
                (Status.LAUREATE, action_label(Status.PRESELECTIONNEE, Status.LAUREATE)),
                (Status.NON_RETENUE, action_label(Status.PRESELECTIONNEE, Status.NON_RETENUE)),
            ],
            "movable": any(row["moves"] for row in rows),
            "bulk_url": reverse("moderation:bulk"),
            "announce_url": reverse("moderation:announce", args=[call.pk]),
            "queue_url": f"{index_url()}?call={call.pk}",
            "disagreement": ranking.DISAGREEMENT,
        },
    )
