"""The members' directory's processing of personal data, listed on the privacy page
(home/legal.py). Its retention is the laureates' contact data's (the profile is deleted when
``laureates.retention`` erases them: ``directory.forget_erased``), written from the same
setting, so the page cannot say another thing than what is done."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home.legal import Processing, months, register_processing

register_processing(
    27,
    Processing(
        name=_("Annuaire des membres du réseau"),
        purpose=_(
            "Permettre aux lauréats membres du réseau de se trouver et de s'entraider : ce que chacun peut "
            "apporter et cherche, et les coordonnées qu'il choisit de montrer aux autres membres."
        ),
        legal_basis=_(
            "Le consentement du lauréat pour chaque coordonnée montrée (le courriel, le téléphone, l'adresse, le "
            "site internet : chacune cochée par le lauréat, décochable à tout moment depuis son espace) ; la "
            "convention d'accompagnement pour le reste de la fiche."
        ),
        data=_(
            "Le nom, la commune, la région et le type du commerce, ce que le lauréat peut apporter et cherche, ses "
            "thèmes, son site internet, et les coordonnées qu'il a choisi de montrer."
        ),
        retention=lambda: (
            _(
                "La fiche n'est plus montrée dès la sortie du réseau ; elle est effacée avec les coordonnées du "
                "lauréat, %(kept)s après sa sortie."
            )
            % {"kept": months(settings.LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING)}
        ),
        recipients=_(
            "les autres lauréats membres du réseau, connectés à leur espace, et l'équipe du programme (GROUPE SOS). "
            "Jamais public, ni dans la recherche du site."
        ),
    ),
)
