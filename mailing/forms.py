from django import forms
from django.utils.translation import gettext_lazy as _

from stories.taxonomy import Region

from .models import Role

CONSENT_TEXT = _(
    "J'accepte que Quartiers Cafés (GROUPE SOS) conserve mon adresse électronique, et la région et "
    "le profil que j'indique, pour me prévenir de l'ouverture des prochains appels à candidatures. "
    "Je peux me désinscrire en un clic depuis chaque courriel."
)

# Domains typed wrong often enough that an address there is almost surely a typo.
DOMAIN_TYPOS = {
    "gmial.com": "gmail.com",
    "gmal.com": "gmail.com",
    "gmail.fr": "gmail.com",
    "gamil.com": "gmail.com",
    "hotmial.com": "hotmail.com",
    "hotmail.con": "hotmail.com",
    "orange.com": "orange.fr",
    "wanadoo.com": "wanadoo.fr",
    "free.com": "free.fr",
    "laposte.com": "laposte.net",
    "yahoo.con": "yahoo.com",
}


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        max_length=254,
        help_text=_("Par exemple : nom@exemple.fr"),
        error_messages={
            "required": _("Indiquez votre adresse électronique."),
            "invalid": _("Cette adresse électronique n'est pas valide : elle s'écrit comme nom@exemple.fr."),
        },
    )
    region = forms.ChoiceField(
        label=_("Votre région (facultatif)"),
        choices=[("", _("— Toutes les régions —")), *Region.choices],
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Vous êtes (facultatif)"),
        choices=[("", _("— Non précisé —")), *Role.choices],
        required=False,
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Cochez la case pour accepter que nous conservions votre adresse.")},
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        domain = email.rpartition("@")[2]
        if domain in DOMAIN_TYPOS:
            raise forms.ValidationError(
                _("Le domaine « %(domain)s » semble mal écrit : vouliez-vous dire « %(fix)s » ?"),
                params={"domain": domain, "fix": DOMAIN_TYPOS[domain]},
            )
        return email

    @property
    def consent_text(self):
        """The consent as shown, stored with ``MAILING_CONSENT_VERSION``."""
        return str(CONSENT_TEXT)
