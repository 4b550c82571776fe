"""The field classes of a call's typed text answers: SIRET, RNA, legal form, phone, postal
code, amount in euros, IBAN. The others have their module: ``date_fields.py`` (a period),
``yes_no_fields.py`` (yes/no, consent, image rights), ``file_fields.py`` (files).

``calls.builder.CallFormBuilder`` creates them from the fields an editor set in the admin;
each cleans and validates one answer and says, in French, what is wrong with it.
"""

import decimal
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

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


def to_decimal(value):
    """A stored or typed number as a Decimal, else None (« 1 500,50 » reads as typed)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    text = str(value).replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "").replace(",", ".")
    try:
        number = decimal.Decimal(text)
    except decimal.InvalidOperation:
        return None
    return number if number.is_finite() else None


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
