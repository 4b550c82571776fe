"""The team's forms: a laureate's record (created by hand or edited) and a payment."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from calls.admin_forms import check_conditions
from calls.fields import EuroAmountField
from calls.models import check_repeatable_sections

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
        return cleaned
