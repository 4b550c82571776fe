"""The laureates' key figures (``home/figures.py``): laureates, amounts awarded and paid,
régions, businesses opened. Per edition by the laureate's edition (the year its call opened,
or the year given to a record made by hand)."""

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from home import figures
from stories.models import StoryPage
from stories.taxonomy import OpeningStatus

from .models import Laureate, Milestone, MilestoneStatus, Payment, PaymentStatus

ZERO = 0


def laureates(edition=None):
    found = Laureate.objects.all()
    return found.filter(edition=edition) if edition else found


def laureate_count(edition=None):
    return laureates(edition).count()


def laureate_regions(edition=None):
    return laureates(edition).exclude(region="").values("region").distinct().count()


def amount_awarded(edition=None):
    return laureates(edition).aggregate(total=Sum("amount_awarded"))["total"] or ZERO


def amount_paid(edition=None):
    payments = Payment.objects.filter(status=PaymentStatus.PAYE)
    if edition:
        payments = payments.filter(laureate__edition=edition)
    return payments.aggregate(total=Sum("amount"))["total"] or ZERO


def opened_filter():
    """A laureate whose business is open: its « Ouverture » milestone is done, or its
    published story says « Ouvert »."""
    return Q(milestones__is_opening=True, milestones__status=MilestoneStatus.FAIT) | Q(
        story__live=True, story__opening_status=OpeningStatus.OUVERT
    )


def businesses_opened(edition=None):
    return laureates(edition).filter(opened_filter()).distinct().count()


WATCHED = (Laureate, Payment, Milestone, StoryPage)

figures.register("laureats", _("lauréats"), laureate_count, models=WATCHED)
figures.register("regions_laureats", _("régions des lauréats"), laureate_regions, models=WATCHED)
figures.register("montant_attribue", _("attribués aux lauréats"), amount_awarded, models=WATCHED, kind=figures.EUROS)
figures.register("montant_verse", _("versés aux lauréats"), amount_paid, models=WATCHED, kind=figures.EUROS)
figures.register("commerces_ouverts", _("commerces lauréats ouverts"), businesses_opened, models=WATCHED)
