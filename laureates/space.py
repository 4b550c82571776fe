"""What a signed-in laureate owns, always found through the signed-in address.

The applicant's space (``applicants/``) shows its laureate part from here: every object is
looked up among the laureates whose ``contact_email`` is the signed-in address and who are
still members of the network (``LaureateQuerySet.for_email``). Another laureate's id is
``None`` here, a 404 in the view, exactly like an id that does not exist.
"""

from django.db.models import Prefetch

from .models import Laureate, Milestone, MilestoneFile, Payment, PaymentStatus


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
