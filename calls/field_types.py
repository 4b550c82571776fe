"""The form builder's field types, each declared once: ``TYPES``.

An editor picks a type for each question of a call's form (``CallFormField.field_type``).
Everything the site does with a type reads its ``FieldType`` here: the admin's choices and
which options the field editor shows (``models.py``, ``field-options.js``), the Django form
field (``forms.CallFormBuilder``), how an answer is stored and read (``answers.py``: the
stored value and the text a person reads, the spreadsheet cells, the PDF), which questions
can decide a condition (``conditions.py``), which can be repeated or totalled
(``groups.py``), which is the applicant's identifier (the legal form's rule).

A type's ``name`` is what answers and fields store: it never changes (answers already in the
database name their type). Adding a type is one entry in ``TYPES`` and its tests
(``tests/calls/test_field_types.py`` checks that every entry has what the form, the exports
and the PDF ask for).
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES

from stories.taxonomy import BusinessKind, Region
from territory.forms import Address, AddressField

from .date_fields import DateRangeField, parse_date_range
from .fields import (
    AmountField,
    EuroAmountField,
    IbanField,
    LegalForm,
    PhoneField,
    PostalCodeField,
    RnaField,
    SiretField,
    format_euros,
    format_iban,
    format_phone,
    format_siret,
    legal_form_label,
    to_decimal,
)
from .file_fields import AttachmentField
from .yes_no_fields import ConsentField, ImageRightsField, YesNoField

SINGLELINE_MAX_LENGTH = 255
MULTILINE_MAX_LENGTH = 5000

# The field editor's options that apply to some types only (the others apply to every type).
FILE_OPTIONS = ("allowed_kinds", "max_size_mb", "multiple_files")
SECTION_OPTIONS = ("repeatable", "min_entries", "max_entries", "entry_label", "entry_label_feminine")
EDITOR_OPTIONS = ("choices", "default_value", "purpose", "description", *FILE_OPTIONS, *SECTION_OPTIONS)

# The message of a required question left empty (a file or a consent has its field's own).
REQUIRED = _("Ce champ est obligatoire.")
CHOOSE = _("Choisissez une réponse.")
TICK = _("Cochez cette case.")
NO_ANSWER = _("(sans réponse)")

WAGTAIL_LABELS = dict(FORM_FIELD_CHOICES)


# --- How answers are stored: ``serialise(cleaned value) -> (JSON value, display)`` -----------


def serialise_plain(value):
    """The stored value and text of an answer of no particular type, by its Python type."""
    if isinstance(value, Address):
        return value.as_json(), value.display()
    if isinstance(value, list):
        return [str(v) for v in value], ", ".join(str(v) for v in value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(), date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return value.isoformat(), date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return str(value), number_format(value, use_l10n=True, force_grouping=True)
    return value, str(value)


def serialise_boolean(value):
    return bool(value), gettext("Oui") if value else gettext("Non")


def serialise_date_range(value):
    start, end = value["start"], value["end"]
    display = gettext("du %(start)s au %(end)s") % {
        "start": date_format(start, "SHORT_DATE_FORMAT"),
        "end": date_format(end, "SHORT_DATE_FORMAT"),
    }
    return {"start": start.isoformat(), "end": end.isoformat()}, display


def serialise_with(display):
    """The value kept as cleaned, shown through ``display``."""
    return lambda value: (value, display(value))


def serialise_choice_of(taxonomy):
    return lambda value: (value, str(taxonomy(value).label))


# --- How a stored answer is read: the text (CSV, PDF) and the typed XLSX cell ----------------


def stored_text(answer):
    """The text a person reads: the one stored with the answer."""
    return answer.get("display", "")


def files_text(answer):
    """A file answer without its attachments at hand: the names stored with it."""
    value = answer.get("value") or []
    return ", ".join(str(name) for name in value) if isinstance(value, list) else str(value)


NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


class Euros(Decimal):
    """An amount in euros: a number in the XLSX, with a euro format."""


def text_cell(answer, text):
    return text


def euros_cell(answer, text):
    try:
        amount = Euros(str(answer.get("value")))
    except (InvalidOperation, ValueError):
        return text
    return amount if amount.is_finite() else text


def number_cell(answer, text):
    """The stored value (« 15000 »), else the text as shown, whose thousands separator is a
    no-break space (« 15 000 »): a number either way, so that a column of budgets adds up."""
    number = to_decimal(answer.get("value"))
    if number is None and NUMBER.match(re.sub(r"[\s\u00a0\u202f]", "", text)):
        number = to_decimal(text)
    return text if number is None else number


def date_cell(answer, text):
    value = str(answer.get("value") or text)
    for parse in (lambda v: datetime.date.fromisoformat(v[:10]), lambda v: datetime.datetime.strptime(v, "%d/%m/%Y")):
        try:
            parsed = parse(value)
        except ValueError:
            continue
        return parsed.date() if isinstance(parsed, datetime.datetime) else parsed
    return text


def datetime_cell(answer, text):
    """A date and time in Paris time (a spreadsheet has no time zones)."""
    try:
        moment = datetime.datetime.fromisoformat(str(answer.get("value")))
    except ValueError:
        return date_cell(answer, text)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment).replace(tzinfo=None)
    return moment


def period_parts(answer):
    """``{"start": date, "end": date}`` of a stored period, or None."""
    start, end = parse_date_range(answer.get("value"))
    return None if start is None else {"start": start, "end": end}


# --- Form fields: ``form_field(builder, field model, options) -> forms.Field`` -----------------


def wagtail_field(name):
    """Wagtail's own field for its type ``name`` (``FormBuilder.create_<name>_field``)."""
    return lambda builder, model, options: getattr(FormBuilder, f"create_{name}_field")(builder, model, options)


def singleline_field(builder, model, options):
    if model.purpose == "postal-code":
        return PostalCodeField(**options)
    options["max_length"] = SINGLELINE_MAX_LENGTH
    return forms.CharField(**options)


def multiline_field(builder, model, options):
    options["max_length"] = MULTILINE_MAX_LENGTH
    options.setdefault("widget", forms.Textarea(attrs={"rows": 8}))
    formfield = forms.CharField(**options)
    formfield.hint = _("%(n)s caractères au maximum.") % {"n": number_format(MULTILINE_MAX_LENGTH, force_grouping=True)}
    return formfield


def email_field(builder, model, options):
    options["max_length"] = 254
    options.setdefault("widget", forms.EmailInput(attrs={"spellcheck": "false"}))
    return forms.EmailField(**options)


def number_field(builder, model, options):
    options.setdefault("max_digits", 14)
    options.setdefault("decimal_places", 2)
    return AmountField(**options)


def date_field(builder, model, options):
    options.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    return forms.DateField(**options)


def datetime_field(builder, model, options):
    options.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    return forms.DateTimeField(**options)


def dropdown_field(builder, model, options):
    options["choices"] = [("", _("Choisir…"))] + builder.get_formatted_field_choices(model)
    return forms.ChoiceField(**options)


def taxonomy_field(taxonomy, empty=None, widget=None):
    """A choice among ``taxonomy``'s (a select with ``empty`` first, or radio buttons)."""

    def create(builder, model, options):
        options["choices"] = ([("", empty)] if empty else []) + list(taxonomy.choices)
        options["initial"] = None
        if widget is not None:
            options.setdefault("widget", widget)
        return forms.ChoiceField(**options)

    return create


def plain_field(field_class):
    """``field_class(**options)``, never pre-filled by the editor's default value."""

    def create(builder, model, options):
        options["initial"] = None
        return field_class(**options)

    return create


def own_field(field_class):
    """``field_class(**options)``, the editor's default value kept."""
    return lambda builder, model, options: field_class(**options)


def address_field(builder, model, options):
    options["initial"] = None
    options.pop("error_messages", None)  # the field's own: « Indiquez l'adresse du commerce… »
    return AddressField(**options)


def text_field(field_class):
    """A checkbox under the editor's text (the field's « texte détaillé »)."""

    def create(builder, model, options):
        options["initial"] = False
        return field_class(text=model.description, **options)

    return create


def file_field(builder, model, options):
    return AttachmentField(
        kinds=model.allowed_kinds or ["pdf"],
        max_size=(model.max_size_mb or 5) * 1024 * 1024,
        multiple=model.multiple_files,
        **options,
    )


# --- The registry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldType:
    name: str  # stored in fields and answers: never renamed
    label: Any
    form_field: Any = None  # (builder, field model, options) -> a Django form field; None: no answer
    options: tuple = ()  # the field editor's options (EDITOR_OPTIONS) shown for this type
    serialise: Any = serialise_plain  # cleaned value -> (JSON value, text); never given an empty value
    text: Any = stored_text  # stored answer -> the text of the CSV and the PDF (attachments: their names)
    cell: Any = text_cell  # (stored answer, its text) -> the XLSX cell (text, number, Euros, date)
    parts: Any = None  # stored answer -> {part: date} when it takes several columns (a period), else None
    empty_text: Any = NO_ANSWER  # what the PDF prints for an empty answer
    required_message: Any = REQUIRED  # a required question left empty; None: the field's own message
    required: Any = None  # True or False: forced whatever the editor ticks
    autocomplete: str = ""  # the browser's autocomplete token when the editor sets no « donnée attendue »
    taxonomy: Any = None  # the TextChoices its answer is a code of
    applicant_column: str = ""  # the Application column its answer fills (région, type de commerce)
    numeric: bool = False  # a number: totalled in repeatable sections, a number in the XLSX
    choice: bool = False  # answered by picking among choices
    boolean: bool = False  # answered « Oui » or « Non » (a condition reads it so)
    decides: bool = True  # its answer can decide whether another question is asked
    repeatable: bool = True  # may be a question of a repeatable section
    identifier: bool = False  # the identifier a legal form asks for (SIRET, RNA)
    layout: bool = False  # holds no answer: it structures the form
    section: bool = False  # starts a section (a step, possibly repeatable)
    files: bool = False  # answered by attached files
    keeps_text: bool = False  # its answer stores the editor's text as shown (the proof of a consent)
    consent: bool = False  # the RGPD consent a call needs before it opens

    @property
    def editor_choices(self):
        """Its choices are the editor's lines (« choix »)."""
        return "choices" in self.options


def choice_type(name, label, form_field, **declared):
    return FieldType(name, label, form_field, choice=True, required_message=CHOOSE, **declared)


DEFAULTS = ("default_value",)
TEXTS = ("default_value", "purpose")
CHOICES = ("choices", "default_value")

TYPES = (
    # Wagtail's types, bounded and with mobile-friendly inputs.
    FieldType("singleline", WAGTAIL_LABELS["singleline"], singleline_field, TEXTS),
    FieldType("multiline", WAGTAIL_LABELS["multiline"], multiline_field, TEXTS),
    FieldType("email", WAGTAIL_LABELS["email"], email_field, TEXTS, autocomplete="email"),
    FieldType("number", WAGTAIL_LABELS["number"], number_field, DEFAULTS, cell=number_cell, numeric=True),
    FieldType("url", WAGTAIL_LABELS["url"], wagtail_field("url"), DEFAULTS),
    FieldType(
        "checkbox",
        WAGTAIL_LABELS["checkbox"],
        wagtail_field("checkbox"),
        DEFAULTS,
        serialise=serialise_boolean,
        required_message=TICK,
        boolean=True,
    ),
    choice_type("checkboxes", WAGTAIL_LABELS["checkboxes"], wagtail_field("checkboxes"), options=CHOICES),
    choice_type("dropdown", WAGTAIL_LABELS["dropdown"], dropdown_field, options=CHOICES),
    choice_type("multiselect", WAGTAIL_LABELS["multiselect"], wagtail_field("multiselect"), options=CHOICES),
    choice_type("radio", WAGTAIL_LABELS["radio"], wagtail_field("radio"), options=CHOICES),
    FieldType("date", WAGTAIL_LABELS["date"], date_field, DEFAULTS, cell=date_cell, decides=False),
    FieldType("datetime", WAGTAIL_LABELS["datetime"], datetime_field, DEFAULTS, cell=datetime_cell, decides=False),
    FieldType("hidden", WAGTAIL_LABELS["hidden"], wagtail_field("hidden"), DEFAULTS, decides=False),
    # The project's types.
    FieldType(
        "tel",
        _("Téléphone"),
        own_field(PhoneField),
        TEXTS,
        serialise=serialise_with(format_phone),
        autocomplete="tel",
    ),
    FieldType(
        "file",
        _("Fichier(s) à joindre"),
        file_field,
        FILE_OPTIONS,
        text=files_text,
        empty_text=_("(aucun fichier)"),
        required_message=None,
        decides=False,
        repeatable=False,
        files=True,
    ),
    choice_type(
        "region",
        _("Région"),
        taxonomy_field(Region, empty=_("Choisir une région")),
        serialise=serialise_choice_of(Region),
        taxonomy=Region,
        applicant_column="region",
    ),
    FieldType("address", _("Adresse (rue, code postal, commune)"), address_field, decides=False, repeatable=False),
    choice_type(
        "business_kind",
        _("Type de commerce"),
        taxonomy_field(BusinessKind, widget=forms.RadioSelect),
        serialise=serialise_choice_of(BusinessKind),
        taxonomy=BusinessKind,
        applicant_column="business_kind",
    ),
    FieldType(
        "siret", _("Numéro SIRET"), plain_field(SiretField), serialise=serialise_with(format_siret), identifier=True
    ),
    FieldType(
        "consent",
        _("Consentement (RGPD)"),
        text_field(ConsentField),
        ("description",),
        serialise=serialise_boolean,
        required_message=None,
        required=True,
        decides=False,
        repeatable=False,
        keeps_text=True,
        consent=True,
    ),
    FieldType(
        "image_rights",
        _("Droit à l'image et à la publication"),
        text_field(ImageRightsField),
        ("description",),
        serialise=serialise_boolean,
        required_message=None,
        required=False,
        boolean=True,
        repeatable=False,
        keeps_text=True,
    ),
    FieldType(
        "section",
        _("Titre de section"),
        None,
        ("description", *SECTION_OPTIONS),
        required=False,
        decides=False,
        repeatable=False,
        layout=True,
        section=True,
    ),
    choice_type(
        "legal_form",
        _("Forme juridique"),
        taxonomy_field(LegalForm, widget=forms.RadioSelect),
        serialise=serialise_with(legal_form_label),
        taxonomy=LegalForm,
    ),
    FieldType("rna", _("Numéro RNA"), plain_field(RnaField), identifier=True),
    FieldType(
        "amount",
        _("Montant en euros"),
        own_field(EuroAmountField),
        DEFAULTS,
        serialise=lambda value: (str(value), format_euros(value)),
        cell=euros_cell,
        numeric=True,
    ),
    FieldType("iban", _("IBAN"), plain_field(IbanField), serialise=serialise_with(format_iban)),
    FieldType(
        "date_range",
        _("Période (du … au …)"),
        plain_field(DateRangeField),
        serialise=serialise_date_range,
        parts=period_parts,
        decides=False,
        repeatable=False,
    ),
    choice_type("yes_no", _("Oui / Non"), plain_field(YesNoField), serialise=serialise_boolean, boolean=True),
)

BY_NAME = {field_type.name: field_type for field_type in TYPES}

# What an answer whose type is no longer (or never was) in TYPES is read as: its stored text.
UNKNOWN = FieldType("", "")


def get(name):
    """The ``FieldType`` named ``name``; an unknown name (a type removed since an answer was
    given, a stored repeatable section's « group », a field not typed yet) reads as text."""
    return BY_NAME.get(name or "", UNKNOWN)


def choices():
    """``(name, label)`` of every type, in the admin's order (the model field's choices)."""
    return tuple((field_type.name, field_type.label) for field_type in TYPES)


def editor_options():
    """``{option: [type names]}``: which of the field editor's options each type shows."""
    return {option: [t.name for t in TYPES if option in t.options] for option in EDITOR_OPTIONS}


def names(**flags):
    """The names of the types whose flags have these values, e.g. ``names(decides=False)``."""
    return sorted(t.name for t in TYPES if all(getattr(t, flag) == value for flag, value in flags.items()))
