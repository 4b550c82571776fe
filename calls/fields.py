"""The field and widget classes of a call's form: SIRET, phone, consent, files.

``calls.forms.CallFormBuilder`` creates them from the fields an editor set in the admin;
each cleans and validates one answer and says, in French, what is wrong with it.
"""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .attachments.kinds import accept_attribute, describe_kinds, format_size
from .attachments.validation import validate_upload

# --- SIRET -------------------------------------------------------------------------------

LA_POSTE_SIREN = "356000000"


def normalise_siret(value):
    """Drop the spaces (also non-breaking), dots and dashes people type between digit groups."""
    return re.sub(r"[\s\u00a0\u202f.\-]", "", value or "")


def is_valid_siret(digits):
    """14 digits passing the Luhn check (La Poste's establishments use a digit-sum rule)."""
    if not re.fullmatch(r"[0-9]{14}", digits):
        return False
    if digits.startswith(LA_POSTE_SIREN):
        return sum(int(d) for d in digits) % 5 == 0
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


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
    """Ten digits starting with 0 (06 12 34 56 78), or +33 / 0033 and nine digits."""
    digits = re.sub(r"[\s\u00a0\u202f.\-()]", "", value or "")
    for prefix in ("+33", "0033"):
        if digits.startswith(prefix):
            # « +33 (0)6 … »: the national 0 some people keep after the country code.
            digits = "0" + digits[len(prefix) :].removeprefix("0")
    return bool(re.fullmatch(r"0[1-9][0-9]{8}", digits))


class PhoneField(forms.CharField):
    default_error_messages = {
        "invalid": _(
            "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78 : dix chiffres, ou +33 suivi "
            "de neuf chiffres."
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
        if value not in self.empty_values and not re.fullmatch(
            r"(0[1-9]|[1-8][0-9]|9[0-8])[0-9]{3}|2[AB][0-9]{3}", value
        ):
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
