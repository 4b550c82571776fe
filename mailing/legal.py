"""The mailing list's processing of personal data, listed on the privacy page (home/legal.py).

Its retention is written from the settings ``manage.py purge_mailing_list`` uses.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home.legal import Processing, days, register_processing

register_processing(
    35,
    Processing(
        name=_("Liste « prévenez-moi du prochain appel »"),
        purpose=_("Vous écrire une fois quand un nouvel appel à candidatures ouvre."),
        legal_basis=_("Votre consentement, donné en confirmant votre inscription ; retirable à tout moment."),
        data=_(
            "Votre adresse électronique, votre région et votre rôle si vous les donnez, le texte du "
            "consentement et sa date."
        ),
        retention=lambda: (
            _(
                "Une inscription non confirmée est effacée après %(unconfirmed)s ; une inscription confirmée "
                "l'est après %(kept)s sans renouvellement, ou dès la désinscription (un lien dans chaque "
                "courriel)."
            )
            % {"unconfirmed": days(settings.MAILING_UNCONFIRMED_DAYS), "kept": days(settings.MAILING_SUBSCRIPTION_DAYS)}
        ),
        recipients=_("L'équipe du programme (GROUPE SOS)."),
        rights=_(
            "Vous désinscrire en un clic, sans vous connecter, par le lien de chaque courriel ; pour accéder à "
            "votre inscription ou la faire corriger, écrivez à l'adresse de contact du site."
        ),
    ),
)
