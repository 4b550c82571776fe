"""The team's forms: a laureate's record (created by hand or edited) and a payment."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from calls.admin_forms import check_conditions
from calls.fields import EuroAmountField
from calls.models import check_repeatable_sections, ordered_forms, repeated_fields

from .models import Laureate, PaymentStatus
from .services import check_award

RECORD_FIELDS = [
    "edition",
    "call",
    "business_name",
    "town",
    "commune_code",
    "region",
    "business_kind",
    "qpv_summary",
    "contact_name",
    "contact_email",
    "contact_phone",
    "address",
    "amount_awarded",
    "story",
    "coaching_areas",
]


class LaureateForm(WagtailAdminModelForm):
    """Created by hand for an edition without applications here (2020), or edited."""

    amount_awarded = EuroAmountField(label=_("Montant accordé (€)"), required=False, max_digits=10)

    class Meta:
        model = Laureate
        fields = RECORD_FIELDS
        widgets = {"coaching_areas": forms.CheckboxSelectMultiple}

    def clean_edition(self):
        edition = self.cleaned_data.get("edition")
        if edition is not None and not 2000 <= edition <= 2100:
            raise ValidationError(_("Indiquez l'année de l'édition, par exemple 2020."))
        return edition

    def clean_amount_awarded(self):
        amount = self.cleaned_data.get("amount_awarded")
        if amount is not None and amount <= 0:
            raise ValidationError(_("Le montant accordé doit être supérieur à zéro."))
        if self.instance.pk:
            check_award(self.instance, amount)
        return amount


class PaymentForm(forms.Form):
    """A tranche: typed amount (checked by ``services.record_payment``), dates, status."""

    label = forms.CharField(label=_("Tranche"), max_length=120, required=False)
    planned_on = forms.DateField(label=_("Date prévue"), widget=AdminDateInput)
    amount = forms.CharField(
        label=_("Montant (€)"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    paid_on = forms.DateField(label=_("Versé le"), required=False, widget=AdminDateInput)
    status = forms.ChoiceField(label=_("Statut"), choices=PaymentStatus.choices, initial=PaymentStatus.PREVU)


class ReportFormAdminForm(WagtailAdminModelForm):
    """A report form's editor: the call form's checks on its questions (conditions read
    against the questions placed before, repeatable sections)."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("form_fields")
        if formset is not None:
            check_conditions(formset)
            check_repeatable_sections(self, formset)
            check_kept_figures(self, formset)
        return cleaned


def check_kept_figures(form, formset):
    """A question of a repeatable section cannot be kept after the erasure: its answers are
    stored in its section's entries, which the erasure empties (``progress_reports.kept_answers``).
    The box ticked there is refused at the question's card, not ignored."""
    children = ordered_forms(formset)
    by_instance = {id(child.instance): child for child in children}
    refused = [field for field in repeated_fields([child.instance for child in children]) if field.kept_after_erasure]
    for field in refused:
        by_instance[id(field)].add_error(
            "kept_after_erasure",
            _(
                "La question « %(field)s » fait partie d'une section répétable : ses réponses ne peuvent pas "
                "être gardées après l'effacement. Décochez la case ou placez la question avant la section."
            )
            % {"field": field.label},
        )
    if refused:
        form.add_error(None, _("Une question d'une section répétable ne peut pas être gardée après l'effacement."))
