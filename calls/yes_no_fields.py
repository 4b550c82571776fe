"""The yes/no answers of a call's form: « Oui » / « Non » radio buttons, the RGPD consent
(required) and the image rights (always optional), each checkbox with the editor's text."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
