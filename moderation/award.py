"""The amount granted with a « lauréate » decision, and what is left of the call's envelope.

The staging form is prefilled with the applicant's « Aide demandée » answer (an amount
field); the team may change it. The envelope (``CallPage.envelope``) is shared by the call's
« lauréate » decisions, staged or announced: an amount above what the others leave is
refused unless the moderator confirms it (``views.transition_view``).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext

from calls.fields import EuroAmountField, format_euros
from home.folding import fold

from .models import Decision, DecisionOutcome


def requested_amount(application):
    """The « Aide demandée » answer as a Decimal (the first amount answer whose label speaks
    of « aide » or « montant », else the only amount answer); None when there is none."""
    amounts = [
        answer
        for answer in (application.form_data or {}).values()
        if isinstance(answer, dict) and answer.get("type") == "amount"
    ]
    named = [answer for answer in amounts if any(word in fold(answer.get("label", "")) for word in ("aide", "montant"))]
    chosen = named[:1] or (amounts if len(amounts) == 1 else [])
    if not chosen:
        return None
    try:
        value = Decimal(str(chosen[0].get("value")))
    except (InvalidOperation, ValueError):
        return None
    return value.quantize(Decimal("0.01")) if value.is_finite() and value >= 0 else None


def committed(page, excluding_application_id=None):
    """The sum of the amounts of the call's « lauréate » decisions (staged or announced)."""
    decisions = Decision.objects.filter(application__page=page, outcome=DecisionOutcome.LAUREATE)
    if excluding_application_id is not None:
        decisions = decisions.exclude(application_id=excluding_application_id)
    return decisions.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def remainder(page, excluding_application_id=None):
    """What the call's envelope leaves for one more decision; None without an envelope."""
    if page.envelope is None:
        return None
    return page.envelope - committed(page, excluding_application_id)


class AmountRefused(ValueError):
    """The amount typed is not an amount of euros (the message says why, in French)."""


def parse_amount(text):
    """A Decimal with two decimals from what a moderator typed, None when empty; raises
    ``AmountRefused`` with the field's French message (negative, not a number, too big)."""
    field = EuroAmountField(required=False, max_digits=10)
    try:
        return field.clean(text)
    except ValidationError as error:
        raise AmountRefused(" ".join(error.messages)) from None


def staging_context(application, decision):
    """What the staging form shows beside « Préparer : lauréate »: the amount to prefill (the
    staged one, else the applicant's request), the envelope and what it leaves."""
    staged = decision.amount if decision is not None and decision.outcome == DecisionOutcome.LAUREATE else None
    page = application.page
    return {
        "amount": staged if staged is not None else requested_amount(application),
        "requested": requested_amount(application),
        "envelope": page.envelope,
        "remainder": remainder(page, excluding_application_id=application.pk),
    }


def check_amount(application, text, confirmed):
    """The amount to stage from the form's text: returns the Decimal (or None when empty);
    raises ``AmountRefused`` when it is not an amount, or is above the envelope's remainder
    and ``confirmed`` is false."""
    amount = parse_amount(text)
    left = remainder(application.page, excluding_application_id=application.pk)
    if amount is not None and left is not None and amount > left and not confirmed:
        raise AmountRefused(
            gettext(
                "Ce montant (%(amount)s) dépasse ce qui reste de l'enveloppe de l'appel (%(left)s). "
                "Cochez « Dépasser l'enveloppe » pour le préparer quand même."
            )
            % {"amount": format_euros(amount), "left": format_euros(left)}
        )
    return amount
