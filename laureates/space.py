"""What a signed-in laureate owns, always found through the signed-in address.

The applicant's space (``applicants/``) shows its laureate part from here: every object is
looked up among the laureates whose ``contact_email`` is the signed-in address and who are
still members of the network (``LaureateQuerySet.for_email``). Another laureate's id is
``None`` here, a 404 in the view, exactly like an id that does not exist.
"""

from django.db.models import Prefetch

from .models import Laureate, Milestone, MilestoneFile, Payment, PaymentStatus, Report, ReportFile, ReportForm


def owned_laureates(email):
    return Laureate.objects.for_email(email)


def is_laureate(email):
    return owned_laureates(email).exists()


def laureates_for_space(email):
    """The laureate records of the address, for the space's overview (one query)."""
    return list(owned_laureates(email).select_related("call").order_by("-edition", "pk"))


def owned_laureate(email, pk):
    """The laureate's record with what their page shows, or ``None``: payments (not the
    cancelled ones), milestones with their files, coaching areas. Never the team's notes."""
    milestones = Milestone.objects.order_by("sort_order", "due_on", "pk").prefetch_related(
        Prefetch("files", queryset=MilestoneFile.objects.order_by("uploaded_at", "pk"))
    )
    payments = Payment.objects.exclude(status=PaymentStatus.ANNULE).order_by("planned_on", "pk")
    return (
        owned_laureates(email)
        .filter(pk=pk)
        .select_related("call", "story")
        .prefetch_related(
            Prefetch("milestones", queryset=milestones, to_attr="plan"),
            Prefetch("payments", queryset=payments, to_attr="shown_payments"),
            Prefetch("reports", queryset=Report.objects.order_by("sent_at", "pk"), to_attr="sent_reports"),
            "coaching_areas",
        )
        .first()
    )


def owned_milestone(email, pk):
    return Milestone.objects.filter(pk=pk, laureate__in=owned_laureates(email)).select_related("laureate").first()


def owned_milestone_file(email, pk):
    return (
        MilestoneFile.objects.filter(pk=pk, milestone__laureate__in=owned_laureates(email))
        .select_related("milestone")
        .first()
    )


def report_forms(laureate):
    """The report forms of the laureate's call with the one report sent for each, or None:
    ``[(form, report)]`` (one query; ``laureate.sent_reports`` from ``owned_laureate``)."""
    if laureate.call_id is None:
        return []
    sent = {report.report_form_id: report for report in laureate.sent_reports}
    forms = ReportForm.objects.filter(call_id=laureate.call_id).order_by("sort_order", "pk")
    return [(form, sent.get(form.pk)) for form in forms]


def owned_report_form(email, laureate_pk, form_pk):
    """``(laureate, report form, report or None)`` or ``None``: the form must be of the call of
    one of the address's member laureates."""
    laureate = owned_laureates(email).filter(pk=laureate_pk).select_related("call").first()
    if laureate is None or laureate.call_id is None:
        return None
    report_form = ReportForm.objects.filter(pk=form_pk, call_id=laureate.call_id).select_related("call").first()
    if report_form is None:
        return None
    report = Report.objects.filter(laureate=laureate, report_form=report_form).prefetch_related("files").first()
    return laureate, report_form, report


def owned_report_file(email, pk):
    return ReportFile.objects.filter(pk=pk, report__laureate__in=owned_laureates(email)).first()
