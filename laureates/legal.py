"""The laureates' processing of personal data, listed on the privacy page (home/legal.py).

Its retention is written from the same setting as ``manage.py purge_laureate_contacts``
(laureates/retention.py), so the page cannot say another thing than what the purge does.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home.legal import TEAM, Processing, months, register_processing

register_processing(
    25,
    Processing(
        name=_("Lauréats et accompagnement"),
        purpose=_(
            "Suivre chaque lauréat après la décision : la dotation et ses versements, le parcours "
            "d'accompagnement, les rappels d'échéance, les bilans périodiques que le lauréat envoie, le bilan "
            "du programme pour son mécène."
        ),
        legal_basis=_("La convention d'accompagnement entre le lauréat et le programme."),
        data=_(
            "Le nom et la commune du commerce, la personne à contacter, son adresse électronique, son "
            "téléphone, l'adresse du commerce, les montants accordés et versés, les étapes du parcours et "
            "les fichiers envoyés, les notes de l'équipe sur le lauréat."
        ),
        retention=lambda: (
            _(
                "Les coordonnées sont gardées tant que le lauréat fait partie du réseau, puis %(kept)s après "
                "sa sortie, puis effacées. Le nom du commerce, sa commune, sa région et les montants restent "
                "dans le bilan du programme. Les réponses aux bilans périodiques et leurs fichiers sont effacés avec "
                "les coordonnées ; restent la date d'envoi de chaque bilan et les seuls chiffres (nombres, montants, "
                "réponses par oui ou non ou par un choix) que le formulaire de bilan marque à garder. Les textes et "
                "fichiers envoyés avec les étapes du parcours sont effacés aussi ; restent les étapes, leur état et "
                "leurs dates. Le texte des notes de l'équipe sur le lauréat est effacé aussi ; restent leur auteur et "
                "leur date."
            )
            % {"kept": months(settings.LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING)}
        ),
        recipients=TEAM,
    ),
)
