from django import forms
from django.utils.translation import gettext_lazy as _


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        max_length=254,
        help_text=_("Celle que vous avez donnée dans votre candidature ou votre brouillon."),
        error_messages={
            "required": _("Indiquez votre adresse électronique."),
            "invalid": _("Indiquez une adresse électronique valide, par exemple nom@exemple.fr."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}),
    )
