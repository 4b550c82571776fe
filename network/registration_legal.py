"""The sessions' registrations on the privacy page (home/legal.py), their retention written from
the settings the confirmation, the purge and the rate limit use."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from home.legal import Processing, months, register_processing


def _hours(number):
    return ngettext("%(n)s heure", "%(n)s heures", number) % {"n": number}


register_processing(
    27,
    Processing(
        name=_("Réseau et séances"),
        purpose=_(
            "Gérer les inscriptions aux séances du réseau (accompagnement collectif, rencontres, sessions de "
            "co-construction avec les habitants) : les places, la liste d'attente, les courriels de confirmation, "
            "de rappel et de changement, l'agenda personnel, la liste de présence."
        ),
        legal_basis=_(
            "Votre demande d'inscription ; pour les lauréats, la convention d'accompagnement entre le lauréat et "
            "le programme."
        ),
        data=_(
            "Pour un habitant ou un partenaire : le nom et l'adresse électronique donnés, la séance, l'état de "
            "l'inscription et ses dates, la présence. Pour un lauréat : la fiche du lauréat, la séance, l'état de "
            "l'inscription et la présence."
        ),
        retention=lambda: (
            _(
                "Une inscription dont l'adresse n'est pas confirmée dans les %(hours)s expire ; elle est effacée, "
                "comme une inscription annulée, une fois la séance passée. Les autres perdent le nom et l'adresse "
                "%(kept)s après la séance : seuls restent les nombres d'inscrits et de présents. Un lien d'agenda "
                "personnel s'arrête à votre demande, et il est effacé quand il ne sert plus."
            )
            % {
                "hours": _hours(settings.NETWORK_CONFIRMATION_HOURS),
                "kept": months(settings.NETWORK_REGISTRATION_RETENTION_MONTHS),
            }
        ),
        recipients=_("L'équipe du programme (GROUPE SOS) et les personnes qui animent la séance."),
    ),
)
