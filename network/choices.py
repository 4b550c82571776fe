"""The choices of the network's models (a module of their own: the admin form reads them too)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    SUR_PLACE = "sur_place", _("Sur place")
    EN_LIGNE = "en_ligne", _("En ligne")


class Audience(models.TextChoices):
    LAUREATS = "laureats", _("Lauréats seulement")
    LAUREATS_PARTENAIRES = "laureats_partenaires", _("Lauréats et partenaires")
    TOUS = "tous", _("Tout le monde")


class Role(models.TextChoices):
    LAUREAT = "laureat", _("Lauréat")
    PARTENAIRE = "partenaire", _("Partenaire")
    HABITANT = "habitant", _("Habitant")


class RegistrationStatus(models.TextChoices):
    EN_ATTENTE_CONFIRMATION = "en_attente_confirmation", _("En attente de confirmation")
    CONFIRMEE = "confirmee", _("Confirmée")
    LISTE_ATTENTE = "liste_attente", _("Liste d'attente")
    ANNULEE = "annulee", _("Annulée")
    EXPIREE = "expiree", _("Expirée")
    # The team cancelled the session itself (unpublished it before it began): not the person.
    SEANCE_ANNULEE = "seance_annulee", _("Séance annulée par l'équipe")


# The registrations that still count: one of them per person and session at most.
ACTIVE_STATUSES = (
    RegistrationStatus.EN_ATTENTE_CONFIRMATION,
    RegistrationStatus.CONFIRMEE,
    RegistrationStatus.LISTE_ATTENTE,
)


class Attendance(models.TextChoices):
    INCONNUE = "inconnue", _("Non renseignée")
    PRESENT = "present", _("Présent")
    ABSENT = "absent", _("Absent")
    EXCUSE = "excuse", _("Excusé")


class EmailKind(models.TextChoices):
    VERIFICATION = "verification", _("Vérification de l'adresse")
    CONFIRMATION = "confirmation", _("Confirmation")
    RAPPEL = "rappel", _("Rappel")
    CHANGEMENT = "changement", _("Changement")
    PROMOTION = "promotion", _("Place libérée")
    ANNULATION = "annulation", _("Annulation")
    SEANCE_ANNULEE = "seance_annulee", _("Séance annulée")
