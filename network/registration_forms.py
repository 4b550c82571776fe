from django import forms
from django.utils.translation import gettext_lazy as _

from mailing.forms import DOMAIN_TYPOS


class PersonRegistrationForm(forms.Form):
    """A resident's or partner's registration: a name and an address to confirm."""

    name = forms.CharField(
        label=_("Votre nom"),
        max_length=200,
        help_text=_("Prénom et nom, ou le nom de votre structure : il figure sur la liste des inscrits."),
        error_messages={"required": _("Indiquez votre nom.")},
    )
    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        max_length=254,
        help_text=_("Par exemple : nom@exemple.fr. Nous y envoyons le lien qui confirme l'inscription."),
        error_messages={
            "required": _("Indiquez votre adresse électronique."),
            "invalid": _("Cette adresse électronique n'est pas valide : elle s'écrit comme nom@exemple.fr."),
        },
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Indiquez votre nom."))
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        domain = email.rpartition("@")[2]
        if domain in DOMAIN_TYPOS:
            raise forms.ValidationError(
                _("Le domaine « %(domain)s » semble mal écrit : vouliez-vous dire « %(fix)s » ?"),
                params={"domain": domain, "fix": DOMAIN_TYPOS[domain]},
            )
        return email
