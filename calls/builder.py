"""The call form's builder: Wagtail's ``FormBuilder`` with the project's field types, and the
form class of one call (its layout, steps, conditions and repeatable sections).

Wagtail builds a Django form from the page's fields; ``CallFormBuilder`` adds the types
(file, region, kind of business, SIRET, RNA, legal form, amount in euros, IBAN, date range,
yes/no, consent, image rights, phone, section heading) and bounds long texts.
``get_form_class`` makes a subclass of ``forms.CallForm`` with its own values: nothing of a
call is held by the base class. https://docs.wagtail.org/en/stable/reference/contrib/forms/customisation.html
"""

from types import MappingProxyType

from django import forms
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder

from stories.taxonomy import BusinessKind, Region
from territory.forms import AddressField

from . import conditions
from .date_fields import DateRangeField
from .fields import (
    AmountField,
    EuroAmountField,
    IbanField,
    LegalForm,
    PhoneField,
    PostalCodeField,
    RnaField,
    SiretField,
)
from .file_fields import AttachmentField
from .forms import CHOICE_FIELD_TYPES, CallForm
from .repeatable import RepeatableGroup
from .steps import StepPlan
from .yes_no_fields import ConsentField, ImageRightsField, YesNoField

SINGLELINE_MAX_LENGTH = 255
MULTILINE_MAX_LENGTH = 5000


class CallFormBuilder(FormBuilder):
    def __init__(self, fields):
        self.all_fields = list(fields)
        super().__init__([f for f in self.all_fields if f.field_type != "section"])

    # Wagtail's types, bounded and with mobile-friendly inputs.

    def create_singleline_field(self, field, options):
        if field.purpose == "postal-code":
            return PostalCodeField(**options)
        options["max_length"] = SINGLELINE_MAX_LENGTH
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = MULTILINE_MAX_LENGTH
        options.setdefault("widget", forms.Textarea(attrs={"rows": 8}))
        formfield = forms.CharField(**options)
        limit = number_format(MULTILINE_MAX_LENGTH, force_grouping=True)
        formfield.hint = _("%(n)s caractères au maximum.") % {"n": limit}
        return formfield

    def create_email_field(self, field, options):
        options["max_length"] = 254
        options.setdefault("widget", forms.EmailInput(attrs={"spellcheck": "false"}))
        return forms.EmailField(**options)

    def create_number_field(self, field, options):
        options.setdefault("max_digits", 14)
        options.setdefault("decimal_places", 2)
        return AmountField(**options)

    def create_date_field(self, field, options):
        options.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        return forms.DateField(**options)

    def create_datetime_field(self, field, options):
        options.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        return forms.DateTimeField(**options)

    def create_dropdown_field(self, field, options):
        options["choices"] = [("", _("Choisir…"))] + self.get_formatted_field_choices(field)
        return forms.ChoiceField(**options)

    # The project's types.

    def create_tel_field(self, field, options):
        return PhoneField(**options)

    def create_region_field(self, field, options):
        options["choices"] = [("", _("Choisir une région"))] + list(Region.choices)
        options["initial"] = None
        return forms.ChoiceField(**options)

    def create_business_kind_field(self, field, options):
        options["choices"] = list(BusinessKind.choices)
        options["initial"] = None
        options.setdefault("widget", forms.RadioSelect)
        return forms.ChoiceField(**options)

    def create_address_field(self, field, options):
        options["initial"] = None
        options.pop("error_messages", None)  # the field's own: « Indiquez l'adresse du commerce… »
        return AddressField(**options)

    def create_siret_field(self, field, options):
        options["initial"] = None
        return SiretField(**options)

    def create_rna_field(self, field, options):
        options["initial"] = None
        return RnaField(**options)

    def create_legal_form_field(self, field, options):
        options["choices"] = list(LegalForm.choices)
        options["initial"] = None
        options.setdefault("widget", forms.RadioSelect)
        return forms.ChoiceField(**options)

    def create_amount_field(self, field, options):
        return EuroAmountField(**options)

    def create_iban_field(self, field, options):
        options["initial"] = None
        return IbanField(**options)

    def create_date_range_field(self, field, options):
        options["initial"] = None
        return DateRangeField(**options)

    def create_yes_no_field(self, field, options):
        options["initial"] = None
        return YesNoField(**options)

    def create_consent_field(self, field, options):
        options["initial"] = False
        return ConsentField(text=field.description, **options)

    def create_image_rights_field(self, field, options):
        options["initial"] = False
        return ImageRightsField(text=field.description, **options)

    def create_file_field(self, field, options):
        return AttachmentField(
            kinds=field.allowed_kinds or ["pdf"],
            max_size=(field.max_size_mb or 5) * 1024 * 1024,
            multiple=field.multiple_files,
            **options,
        )

    def get_field_options(self, field):
        options = super().get_field_options(field)
        # Wagtail escapes the help text already (WAGTAILFORMS_HELP_TEXT_ALLOW_HTML = False).
        options["help_text"] = conditional_escape(field.help_text)
        if field.field_type in CHOICE_FIELD_TYPES:
            options["error_messages"] = {"required": _("Choisissez une réponse.")}
        elif field.field_type == "checkbox":
            options["error_messages"] = {"required": _("Cochez cette case.")}
        elif field.field_type not in {"file", "consent", "image_rights"}:
            options["error_messages"] = {"required": _("Ce champ est obligatoire.")}
        return options

    @property
    def formfields(self):
        formfields = super().formfields
        for field in self.fields:
            formfield = formfields[field.clean_name or field.get_field_clean_name()]
            token = field.purpose or {"email": "email", "tel": "tel"}.get(field.field_type, "")
            if token and not isinstance(formfield, AttachmentField):
                formfield.widget.attrs["autocomplete"] = token
            if field.purpose == "email" or field.field_type == "email":
                formfield.widget.attrs.setdefault("inputmode", "email")
            if field.purpose == "tel":
                formfield.widget.attrs.setdefault("inputmode", "tel")
        return formfields

    def get_form_class(self):
        formfields = self.formfields
        layout, field_models, groups = [], {}, {}
        attrs = dict(formfields)
        group = None
        # Conditions (calls/conditions.py): a section's apply to every field until the next one.
        section_rules, field_rules, section_rule, before = {}, {}, None, []
        for field in self.all_fields:
            # Questions of a repeatable section are answered once per entry: none decides another
            # question, and none is conditional (the editor is told so: ``repeatable_problems``).
            in_group = group is not None and field.field_type != "section"
            rule = None if in_group else conditions.parse_quietly(field.conditions, field.condition_match, before)
            if field.field_type == "section" and field.repeatable:
                rule = None
            if not in_group:
                before.append(field)
            name = field.clean_name or field.get_field_clean_name()
            if field.field_type == "section":
                layout.append(("section", field))
                section_rule = rule
                if rule is not None:
                    section_rules[id(field)] = rule
                group = None
                if field.repeatable:
                    group = RepeatableGroup(field, [])
                    groups[group.key] = group
                    layout.append(("group", group))
            elif group is not None:
                # A field of a repeatable section: copied once per entry (RepeatableMixin.build_groups).
                group.members.append((name, field, attrs.pop(name)))
            else:
                layout.append(("field", name))
                field_models[name] = field
                if section_rule is not None or rule is not None:
                    field_rules[name] = (section_rule, rule)
        for key, group in list(groups.items()):
            if not group.members:  # a repeatable section without fields: a plain heading
                del groups[key]
                layout.remove(("group", group))
        # The class's own values, read-only: every form of the call shares them.
        attrs.update(
            layout=tuple(layout),
            field_models=MappingProxyType(field_models),
            section_rules=MappingProxyType(section_rules),
            field_rules=MappingProxyType(field_rules),
            groups=MappingProxyType(groups),
            step_plan=StepPlan(layout),
        )
        return type("BuiltCallForm", (CallForm,), attrs)
