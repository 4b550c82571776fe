"""What changes a laureate's record: its creation (from an announced decision, or by hand),
its award, its payments, leaving the network. Each change writes one history entry (who,
when, what) in the same transaction.

Amounts are Decimal euros with two decimals from the form to the database; a refused change
raises ``ValidationError`` with a French message and writes nothing.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.fields import EuroAmountField, format_euros
from calls.models import Status
from moderation.models import StoryLink

from .models import Actor, Laureate, LaureateHistoryEntry, Milestone, MilestoneTemplate, Payment, PaymentStatus


def write_history(laureate, action, detail="", user=None, actor=Actor.EQUIPE):
    return LaureateHistoryEntry.objects.create(laureate=laureate, action=action, detail=detail, user=user, actor=actor)


def empty_history_details(laureate, action):
    """Empty the detail of ``laureate``'s entries written by the laureate for ``action`` (an
    untranslated « Étape faite : %(label)s »): what they wrote, never the fact. An update of the
    append-only history, as ``moderation/rgpd.erase`` empties its history comments."""
    prefix = _(action).partition("%")[0]
    entries = LaureateHistoryEntry.objects.filter(laureate=laureate, actor=Actor.LAUREAT, action__startswith=prefix)
    return entries.exclude(detail="").update(detail="")


def clean_amount(value, *, allow_empty=False):
    """A Decimal with two decimals from a Decimal or a typed text (« 12 500,50 », « 12500 € »);
    ``ValidationError`` in French for text that is not an amount, a negative or null amount."""
    if isinstance(value, Decimal):
        value = str(value)
    amount = EuroAmountField(required=not allow_empty, max_digits=10).clean(value)
    if amount is None:
        return None
    if amount <= 0:
        raise ValidationError(_("Le montant doit être supérieur à zéro."), code="min_value")
    return amount


# --- Creation -------------------------------------------------------------------------------


def _answer(application, kind):
    for answer in (application.form_data or {}).values():
        if isinstance(answer, dict) and answer.get("type") == kind and answer.get("display"):
            return str(answer["display"])
    return ""


def edition_of(call):
    return timezone.localtime(call.opens_at).year


def create_from_decision(decision, user=None):
    """The laureate's record of an announced « lauréate » decision: ``(laureate, created)``.

    Keyed on the application (a unique column): announcing again, a retried task or two
    workers at once find the record the first one made. The milestones of the call's plan
    are copied with it, and the creation is in the history."""
    application = decision.application
    existing = Laureate.objects.filter(application_id=application.pk).first()
    if existing is not None:
        return existing, False
    call = application.page
    story_link = StoryLink.objects.filter(application_id=application.pk).select_related("story").first()
    fields = {
        "call": call,
        "edition": edition_of(call),
        "business_name": application.business_name or application.reference,
        "town": application.town,
        "commune_code": application.commune_code,
        "region": application.region,
        "business_kind": application.business_kind,
        "qpv_summary": str(application.qpv_text or "")[:500],
        "contact_name": application.applicant_name,
        "contact_email": application.applicant_email,
        "contact_phone": _answer(application, "tel")[:40],
        "address": _answer(application, "address")[:500],
        "amount_awarded": decision.amount,
        "story": story_link.story if story_link else None,
        "created_by": user,
    }
    try:
        with transaction.atomic():
            laureate = Laureate.objects.create(application=application, **fields)
            _copy_plan(laureate, call)
            write_history(
                laureate,
                _("Lauréat enregistré"),
                _("Décision « lauréate » annoncée pour la candidature %(reference)s ; montant accordé : %(amount)s.")
                % {
                    "reference": application.reference,
                    "amount": format_euros(decision.amount) if decision.amount is not None else _("non indiqué"),
                },
                user=user,
                actor=Actor.SYSTEME,
            )
    except IntegrityError:
        # Another worker made it between the look-up and the insert: theirs is the record.
        return Laureate.objects.get(application_id=application.pk), False
    return laureate, True


def _copy_plan(laureate, call):
    start = timezone.localdate()
    Milestone.objects.bulk_create(
        [
            Milestone(
                laureate=laureate,
                label=template.label,
                sort_order=template.sort_order,
                is_opening=template.is_opening,
                due_on=(
                    start + timezone.timedelta(days=template.days_after_award)
                    if template.days_after_award is not None
                    else None
                ),
            )
            for template in MilestoneTemplate.objects.filter(call=call)
        ]
    )


def on_decision_announced(decision, user=None):
    """The receiver's work: only « lauréate » decisions make a record."""
    if decision.outcome != Status.LAUREATE:
        return None
    return create_from_decision(decision, user=user)[0]


def record_created_by_hand(laureate, user):
    write_history(
        laureate, _("Lauréat créé à la main"), _("Édition %(edition)s.") % {"edition": laureate.edition}, user
    )


def record_changes(laureate, user, changed):
    """One history entry for an edit of the record: the names of the fields changed (never
    their values: the contact data are personal)."""
    if not changed:
        return None
    names = [str(Laureate._meta.get_field(name).verbose_name) for name in changed if _is_field(name)]
    detail = _("Champs modifiés : %(fields)s.") % {"fields": ", ".join(names)}
    if "amount_awarded" in changed:
        detail += " " + _("Montant accordé : %(amount)s.") % {"amount": format_euros(laureate.amount_awarded)}
    return write_history(laureate, _("Fiche modifiée"), detail, user)


def _is_field(name):
    try:
        Laureate._meta.get_field(name)
    except Exception:
        return False
    return True


def check_award(laureate, amount):
    """The award may not drop below what the non-cancelled payments already hold."""
    if amount is None:
        return
    planned = committed_payments(laureate)
    if amount < planned:
        raise ValidationError(
            _("Le montant accordé ne peut pas être inférieur aux versements déjà prévus ou payés (%(total)s).")
            % {"total": format_euros(planned)}
        )


# --- Payments -------------------------------------------------------------------------------


def committed_payments(laureate, excluding=None):
    payments = Payment.objects.filter(laureate=laureate).exclude(status=PaymentStatus.ANNULE)
    if excluding is not None:
        payments = payments.exclude(pk=excluding.pk)
    return payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def _check_within_award(laureate, amount, excluding=None):
    if laureate.amount_awarded is None:
        raise ValidationError(
            _("Indiquez d'abord le montant accordé au lauréat : aucun versement sans montant accordé.")
        )
    total = committed_payments(laureate, excluding) + amount
    if total > laureate.amount_awarded:
        left = laureate.amount_awarded - committed_payments(laureate, excluding)
        raise ValidationError(
            _("Ce versement dépasserait le montant accordé (%(award)s) : il reste %(left)s à prévoir pour ce lauréat.")
            % {"award": format_euros(laureate.amount_awarded), "left": format_euros(left)}
        )


def _check_status(status, paid_on):
    if status not in PaymentStatus.values:
        raise ValidationError(_("Choisissez un statut dans la liste."))
    if status == PaymentStatus.PAYE and paid_on is None:
        raise ValidationError(_("Indiquez la date du versement pour un versement payé."))


def record_payment(laureate, user, *, amount, planned_on, label="", paid_on=None, status=PaymentStatus.PREVU):
    """Add a tranche; ``ValidationError`` (French) and nothing stored when the amount is not
    a positive amount or the tranches would exceed the award."""
    amount = clean_amount(amount)
    if planned_on is None:
        raise ValidationError(_("Indiquez la date prévue du versement."))
    _check_status(status, paid_on)
    with transaction.atomic():
        locked = Laureate.objects.select_for_update().get(pk=laureate.pk)
        _check_within_award(locked, amount)
        payment = Payment.objects.create(
            laureate=locked,
            label=label.strip(),
            planned_on=planned_on,
            amount=amount,
            paid_on=paid_on,
            status=status,
            created_by=user,
        )
        write_history(locked, _("Versement enregistré"), describe_payment(payment), user)
    return payment


def change_payment(payment, user, *, amount, planned_on, label, paid_on, status):
    """Change a tranche (the same checks as ``record_payment``, without counting itself)."""
    amount = clean_amount(amount)
    if planned_on is None:
        raise ValidationError(_("Indiquez la date prévue du versement."))
    _check_status(status, paid_on)
    with transaction.atomic():
        locked = Laureate.objects.select_for_update().get(pk=payment.laureate_id)
        current = Payment.objects.select_for_update().get(pk=payment.pk, laureate=locked)
        if status != PaymentStatus.ANNULE:
            _check_within_award(locked, amount, excluding=current)
        before = describe_payment(current)
        current.amount, current.planned_on, current.label = amount, planned_on, label.strip()
        current.paid_on, current.status = paid_on, status
        current.save()
        write_history(
            locked,
            _("Versement modifié"),
            _("Avant : %(before)s. Après : %(after)s.") % {"before": before, "after": describe_payment(current)},
            user,
        )
    return current


def describe_payment(payment):
    text = _("%(label)s %(amount)s, prévu le %(planned)s, %(status)s") % {
        "label": payment.label or _("tranche"),
        "amount": format_euros(payment.amount),
        "planned": payment.planned_on.strftime("%d/%m/%Y"),
        "status": PaymentStatus(payment.status).label.lower(),
    }
    if payment.paid_on:
        text += _(" (versé le %(date)s)") % {"date": payment.paid_on.strftime("%d/%m/%Y")}
    return text


# --- Leaving the network --------------------------------------------------------------------


def leave_network(laureate, user, when=None):
    """The laureate leaves the network: the retention period of its contact data starts."""
    with transaction.atomic():
        locked = Laureate.objects.select_for_update().get(pk=laureate.pk)
        if locked.left_at is not None:
            return False
        locked.left_at = when or timezone.now()
        locked.save(update_fields=["left_at"])
        write_history(locked, _("Sortie du réseau"), "", user)
    laureate.left_at = locked.left_at
    return True
