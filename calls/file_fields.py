"""The file answers of a call's form: one or several files per field, each checked by
``attachments.validation.validate_upload`` (kind from the content, size, antivirus)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .attachments.kinds import accept_attribute, describe_kinds, format_size
from .attachments.validation import validate_upload

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
