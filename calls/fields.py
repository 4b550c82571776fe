"""The field and widget classes of a call's form: SIRET, RNA, legal form, phone, amount in
euros, IBAN, date range, yes/no, consent, files.

``calls.forms.CallFormBuilder`` creates them from the fields an editor set in the admin;
each cleans and validates one answer and says, in French, what is wrong with it.
"""

import datetime
import decimal
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from .attachments.kinds import accept_attribute, describe_kinds, format_size
from .attachments.validation import validate_upload

# --- SIRET -------------------------------------------------------------------------------


def normalise_siret(value):
    """Drop the spaces (also non-breaking), dots and dashes people type between digit groups."""
    return re.sub(r"[\s\u00a0\u202f.\-]", "", value or "")


def is_valid_siret(digits):
    """14 digits with a valid check digit, and their SIREN's (python-stdnum: the Luhn check,
    La Poste's establishments a digit sum)."""
    return bool(re.fullmatch(r"[0-9]{14}", digits)) and stdnum_siret.is_valid(digits)


class SiretField(forms.CharField):
    default_error_messages = {
        "length": _("Le numéro SIRET compte 14 chiffres (par exemple 123 456 789 00015)."),
        "invalid": _("Ce numéro SIRET n'existe pas : vérifiez les chiffres saisis."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})
        )
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = "20"

    def to_python(self, value):
        return normalise_siret(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        if not re.fullmatch(r"[0-9]{14}", value):
            raise ValidationError(self.error_messages["length"], code="length")
        if not is_valid_siret(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


def format_siret(digits):
    return f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}" if len(digits) == 14 else digits


# --- Phone -------------------------------------------------------------------------------

PHONE_RE = re.compile(r"^\+?[0-9 .\-()\u00a0]{6,25}$")


def is_french_phone(value):
    """Ten digits starting with 0 (06 12 34 56 78), or +33 / 0033 and nine digits, or an
    overseas department's own country code (+262, +590, +594, +596) and its nine digits."""
    return bool(national_phone(value))


# Overseas departments are dialled as French numbers (0262 …) but have their own country
# codes in E.164: the national prefix tells which one (ARCEP's numbering plan).
OVERSEAS_PREFIXES = {
    "262": "262",  # La Réunion, fixed
    "263": "262",  # La Réunion, fixed
    "269": "262",  # Mayotte, fixed
    "639": "262",  # Mayotte, mobile
    "692": "262",  # La Réunion, mobile
    "693": "262",  # La Réunion, mobile
    "590": "590",  # Guadeloupe, Saint-Martin, Saint-Barthélemy, fixed
    "690": "590",  # mobile
    "691": "590",  # mobile
    "594": "594",  # Guyane, fixed
    "694": "594",  # mobile
    "596": "596",  # Martinique, fixed
    "696": "596",  # mobile
    "697": "596",  # mobile
}


def national_phone(value):
    """The ten national digits (« 0612345678 ») of a French number, or "" when it is not one.

    Written internationally, a number is +33 / 0033 and nine digits, or an overseas
    department's country code (« +262 692 12 34 56 », « 00590 690 … ») and nine digits whose
    national prefix belongs to that code; « (0) » after the code, as some write it, is read."""
    digits = re.sub(r"[\s\u00a0\u202f.\-()]", "", value or "")
    international = re.fullmatch(r"(?:\+|00)(33|262|590|594|596)([0-9]+)", digits)
    if international:
        country, rest = international.groups()
        rest = rest.removeprefix("0") if len(rest) == 10 else rest
        if country != "33" and OVERSEAS_PREFIXES.get(rest[:3]) != country:
            return ""
        digits = "0" + rest
    return digits if re.fullmatch(r"0[1-9][0-9]{8}", digits) else ""


def phone_e164(value):
    """A French number in E.164: +33612345678, or +262262… for an overseas department."""
    national = national_phone(value)
    if not national:
        return ""
    country = OVERSEAS_PREFIXES.get(national[1:4], "33")
    return f"+{country}{national[1:]}"


def format_phone(value):
    """A stored number as people read it: « 06 12 34 56 78 » (any other text as it is)."""
    text = str(value or "")
    national = ""
    match = re.fullmatch(r"\+(33|262|590|594|596)([1-9][0-9]{8})", text)
    if match and (match.group(1) == "33" or OVERSEAS_PREFIXES.get(match.group(2)[:3]) == match.group(1)):
        national = "0" + match.group(2)
    if not national:
        national = national_phone(text)
    if not national:
        return text
    return " ".join(national[i : i + 2] for i in range(0, 10, 2))


class PhoneField(forms.CharField):
    """A French phone number, cleaned to E.164 (+33612345678)."""

    default_error_messages = {
        "invalid": _(
            "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78 : dix chiffres, ou +33 (+262, "
            "+590, +594, +596 outre-mer) suivi de neuf chiffres."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 25)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        if not PHONE_RE.match(value) or not is_french_phone(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")

    def clean(self, value):
        value = super().clean(value)
        return phone_e164(value) if value else value


# --- Postal code, amounts --------------------------------------------------------------------


# Metropolitan France, Corsica (2A, 2B as some people write them) and the overseas departments.
POSTAL_CODE_RE = re.compile(r"(0[1-9]|[1-8][0-9]|9[0-8])[0-9]{3}|2[AB][0-9]{3}")


class PostalCodeField(forms.CharField):
    default_error_messages = {"invalid": _("Le code postal compte cinq chiffres, par exemple 93300.")}

    def __init__(self, **kwargs):
        kwargs["max_length"] = 10
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})

    def to_python(self, value):
        return re.sub(r"[\s\u00a0\u202f]", "", super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value not in self.empty_values and not POSTAL_CODE_RE.fullmatch(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class AmountField(forms.DecimalField):
    """A number or an amount: never negative; « 12 000 » and « 1500,50 » are read as typed."""

    default_error_messages = {
        "invalid": _("Indiquez un nombre, par exemple 12000 ou 1500,50."),
        "min_value": _("Indiquez un nombre positif ou nul."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f€]", "", value).replace(",", ".")
        return super().to_python(value)


class EuroAmountField(AmountField):
    """An amount in euros: never negative, at most two decimals; « 12 000,50 », « 12000.5 »
    and « 12 000 € » are read as typed. Cleans to a Decimal with two decimals."""

    default_error_messages = {
        "invalid": _("Indiquez un montant en euros, par exemple 12 000 ou 1 500,50."),
        "min_value": _("Le montant ne peut pas être négatif."),
        "max_decimal_places": _("Indiquez au plus deux chiffres après la virgule (les centimes)."),
        "max_digits": _("Ce montant est trop grand."),
        "max_whole_digits": _("Ce montant est trop grand."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.hint = _("En euros, par exemple 12 000 ou 1 500,50.")

    def clean(self, value):
        value = super().clean(value)
        return value.quantize(decimal.Decimal("0.01")) if isinstance(value, decimal.Decimal) else value


def format_euros(value):
    """« 12 000,50 € » from a Decimal, a number or a stored string; other text as it is."""
    try:
        amount = decimal.Decimal(str(value).strip())
    except (decimal.InvalidOperation, ValueError):
        return str(value or "")
    if not amount.is_finite():
        return str(value)
    return f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)}\u00a0€"


# --- Legal form and the identifier it asks for ------------------------------------------------


class LegalForm(models.TextChoices):
    """The legal forms a call can ask about, stored as these stable codes."""

    ENTREPRISE_INDIVIDUELLE = "entreprise_individuelle", _("Entreprise individuelle (dont micro-entreprise)")
    SOCIETE = "societe", _("Société (SARL, SAS, EURL…)")
    ASSOCIATION = "association", _("Association")
    COOPERATIVE = "cooperative", _("Coopérative (SCOP, SCIC…)")
    AUTRE = "autre", _("Autre")


# Which identifier each legal form has: a business or a cooperative is registered with
# INSEE (SIRET); an association is registered with the prefecture (RNA). « Autre »: none
# is required.
IDENTIFIER_BY_LEGAL_FORM = {
    LegalForm.ENTREPRISE_INDIVIDUELLE: "siret",
    LegalForm.SOCIETE: "siret",
    LegalForm.COOPERATIVE: "siret",
    LegalForm.ASSOCIATION: "rna",
}

IDENTIFIER_FIELD_TYPES = ("siret", "rna")


def identifier_for_legal_form(code):
    """``"siret"``, ``"rna"`` or None: the identifier field type a legal form answers with."""
    return IDENTIFIER_BY_LEGAL_FORM.get(code)


def legal_form_label(code):
    try:
        return str(LegalForm(code).label)
    except ValueError:
        return str(code or "")


# --- RNA (Répertoire national des associations) ------------------------------------------------

# « W » and nine characters: three for the prefecture that registered the association
# (digits, or 2A / 2B for Corsica), then six digits, e.g. W751234567. Associations declared
# before the RNA (2010) may still quote their prefecture's old « numéro de dossier », which
# had no national format: digits in groups separated by dashes or slashes (0751-0012345,
# 2/12345). It is accepted as such: 5 to 14 digits in at most four groups.
RNA_RE = re.compile(r"W(?:[0-9]{3}|2[AB][0-9])[0-9]{6}")
OLD_RNA_RE = re.compile(r"[0-9]+(?:[-/][0-9]+){0,3}")


def normalise_rna(value):
    """Upper case, without spaces (also non-breaking) or dots."""
    return re.sub(r"[\s\u00a0\u202f.]", "", value or "").upper()


def is_valid_rna(value):
    if RNA_RE.fullmatch(value):
        return True
    return bool(OLD_RNA_RE.fullmatch(value)) and 5 <= len(re.sub(r"\D", "", value)) <= 14


class RnaField(forms.CharField):
    default_error_messages = {
        "invalid": _(
            "Le numéro RNA commence par W suivi de 9 chiffres (par exemple W751234567) ; une association "
            "plus ancienne peut indiquer son numéro de dossier de préfecture (chiffres et tirets)."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_rna(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value not in self.empty_values and not is_valid_rna(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


# --- IBAN ----------------------------------------------------------------------------------


def normalise_iban(value):
    return re.sub(r"[\s\u00a0\u202f.\-]", "", value or "").upper()


def format_iban(value):
    """« FR76 3000 6000 0112 3456 7890 189 »: groups of four."""
    text = normalise_iban(str(value or ""))
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


class IbanField(forms.CharField):
    """An IBAN: its country's length and format, then the mod 97 check (python-stdnum).
    Cleans to upper case without spaces."""

    default_error_messages = {
        "invalid": _(
            "Cet IBAN n'est pas valide : vérifiez les caractères saisis (par exemple FR76 3000 6000 0112 3456 "
            "7890 189)."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_iban(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        try:
            stdnum_iban.validate(value, check_country=True)
        except StdnumError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


# --- Date range ------------------------------------------------------------------------------


class DateRangeWidget(forms.MultiWidget):
    """Two labelled date inputs, « Du » and « Au », in the field's fieldset."""

    template_name = "calls/widgets/date_range.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        super().__init__([date_input, forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")], attrs)

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("start"), value.get("end")]
        return [None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], (_("Du"), _("Au")), strict=True):
            subwidget["label"] = label
        return context


class DateRangeField(forms.MultiValueField):
    """A period « du … au … », cleaned to ``{"start": date, "end": date}`` (end ≥ start)."""

    widget = DateRangeWidget
    default_error_messages = {
        "invalid": _("Indiquez une date valide, par exemple 15/03/2027."),
        "incomplete": _("Indiquez la date de début et la date de fin."),
        "order": _("La date de fin doit être le même jour que la date de début ou après."),
    }

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        date_errors = {
            "invalid": self.default_error_messages["invalid"],
            "incomplete": self.default_error_messages["incomplete"],
        }
        fields = (forms.DateField(error_messages=date_errors), forms.DateField(error_messages=date_errors))
        # Each date is required once the other is given (« incomplete »); both empty is
        # « required » only when the field is.
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or any(value in self.empty_values for value in data_list):
            return None
        start, end = data_list
        if end < start:
            raise ValidationError(self.error_messages["order"], code="order")
        return {"start": start, "end": end}


def parse_date_range(value):
    """``(start, end)`` dates of a stored range, ``(None, None)`` when it is not one."""
    if not isinstance(value, dict):
        return None, None
    try:
        return datetime.date.fromisoformat(str(value.get("start"))), datetime.date.fromisoformat(str(value.get("end")))
    except ValueError:
        return None, None


# --- Yes / no --------------------------------------------------------------------------------


class YesNoField(forms.TypedChoiceField):
    """« Oui » / « Non » radio buttons, cleaned to True or False (None when not answered).
    Required: one of them must be chosen (« Non » is an answer)."""

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        kwargs["choices"] = [("oui", _("Oui")), ("non", _("Non"))]
        kwargs["coerce"] = lambda value: value == "oui"
        kwargs["empty_value"] = None
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is True:
            return "oui"
        if value is False:
            return "non"
        return value


# --- Consent -----------------------------------------------------------------------------


class ConsentField(forms.BooleanField):
    default_error_messages = {"required": _("Cochez cette case pour pouvoir envoyer votre candidature.")}

    def __init__(self, *, text="", **kwargs):
        kwargs["required"] = True
        super().__init__(**kwargs)
        self.description = text


class ImageRightsField(forms.BooleanField):
    """« Droit à l'image et à la publication »: a checkbox with the editor's text above it.
    Not the RGPD consent: always optional (the applicant may refuse, and still apply); the
    answer decides whether the photos sent may go into a laureate's story
    (moderation/promote.py)."""

    def __init__(self, *, text="", **kwargs):
        kwargs["required"] = False
        super().__init__(**kwargs)
        self.description = text


# --- Files -------------------------------------------------------------------------------

MAX_FILES_PER_FIELD = 5


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentField(forms.Field):
    """One or several files, each checked by ``attachments.validation.validate_upload``.

    Cleans to a list of ``CleanFile`` objects (empty when nothing was chosen and the
    field is optional). ``max_size`` is in bytes, and never more than the server's cap.
    """

    default_error_messages = {
        "required": _("Choisissez un fichier."),
        "too_many": _("Vous pouvez joindre %(max)s fichiers au maximum dans ce champ."),
    }

    def __init__(self, *, kinds, max_size, multiple=False, max_files=MAX_FILES_PER_FIELD, **kwargs):
        self.kinds = list(kinds)
        # The upload guard (calls/uploads.py) drops any file part over the server's cap
        # before this field sees it: a larger limit would be a promise the server cannot
        # keep, in the hint and in the check alike.
        self.max_size = min(max_size, settings.CALLS_MAX_UPLOAD_SIZE)
        self.multiple = multiple
        self.max_files = max_files if multiple else 1
        widget_class = MultipleFileInput if multiple else forms.FileInput
        kwargs["widget"] = widget_class(attrs={"accept": accept_attribute(self.kinds)})
        kwargs.pop("initial", None)
        super().__init__(**kwargs)
        hint = ngettext(
            "Format accepté : %(kinds)s. Taille maximale : %(size)s par fichier.",
            "Formats acceptés : %(kinds)s. Taille maximale : %(size)s par fichier.",
            len(self.kinds),
        ) % {"kinds": describe_kinds(self.kinds), "size": format_size(self.max_size)}
        if multiple:
            hint += " " + _("Jusqu'à %(n)s fichiers.") % {"n": self.max_files}
        self.hint = hint

    def to_python(self, data):
        if data in self.empty_values:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in files if isinstance(f, UploadedFile) and f.name]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(value) > self.max_files:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"max": self.max_files})

    def clean(self, data):
        files = self.to_python(data)
        self.validate(files)
        cleaned, errors = [], []
        for uploaded in files:
            try:
                cleaned.append(validate_upload(uploaded, self.kinds, self.max_size))
            except ValidationError as exc:
                # The attachment helper's messages name the file and say what is accepted.
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def has_changed(self, initial, data):
        return bool(data)
