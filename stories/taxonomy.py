"""Fixed lists shared by the stories and calls apps: regions and kinds of business.

Codes are stable slugs (stored in the database and used in query strings); labels are
French. Themes are editable (the Theme snippet), so they are not here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """The 18 regions of France (13 in mainland France, 5 overseas), by INSEE order of name."""

    AUVERGNE_RHONE_ALPES = "auvergne-rhone-alpes", _("Auvergne-Rhône-Alpes")
    BOURGOGNE_FRANCHE_COMTE = "bourgogne-franche-comte", _("Bourgogne-Franche-Comté")
    BRETAGNE = "bretagne", _("Bretagne")
    CENTRE_VAL_DE_LOIRE = "centre-val-de-loire", _("Centre-Val de Loire")
    CORSE = "corse", _("Corse")
    GRAND_EST = "grand-est", _("Grand Est")
    HAUTS_DE_FRANCE = "hauts-de-france", _("Hauts-de-France")
    ILE_DE_FRANCE = "ile-de-france", _("Île-de-France")
    NORMANDIE = "normandie", _("Normandie")
    NOUVELLE_AQUITAINE = "nouvelle-aquitaine", _("Nouvelle-Aquitaine")
    OCCITANIE = "occitanie", _("Occitanie")
    PAYS_DE_LA_LOIRE = "pays-de-la-loire", _("Pays de la Loire")
    PROVENCE_ALPES_COTE_D_AZUR = "provence-alpes-cote-d-azur", _("Provence-Alpes-Côte d'Azur")
    GUADELOUPE = "guadeloupe", _("Guadeloupe")
    MARTINIQUE = "martinique", _("Martinique")
    GUYANE = "guyane", _("Guyane")
    LA_REUNION = "la-reunion", _("La Réunion")
    MAYOTTE = "mayotte", _("Mayotte")


# INSEE codes, for exports and statistics that must match official data.
REGION_INSEE_CODES = {
    Region.AUVERGNE_RHONE_ALPES: "84",
    Region.BOURGOGNE_FRANCHE_COMTE: "27",
    Region.BRETAGNE: "53",
    Region.CENTRE_VAL_DE_LOIRE: "24",
    Region.CORSE: "94",
    Region.GRAND_EST: "44",
    Region.HAUTS_DE_FRANCE: "32",
    Region.ILE_DE_FRANCE: "11",
    Region.NORMANDIE: "28",
    Region.NOUVELLE_AQUITAINE: "75",
    Region.OCCITANIE: "76",
    Region.PAYS_DE_LA_LOIRE: "52",
    Region.PROVENCE_ALPES_COTE_D_AZUR: "93",
    Region.GUADELOUPE: "01",
    Region.MARTINIQUE: "02",
    Region.GUYANE: "03",
    Region.LA_REUNION: "04",
    Region.MAYOTTE: "06",
}


class BusinessKind(models.TextChoices):
    CAFE = "cafe", _("Café")
    RESTAURANT = "restaurant", _("Restaurant")
    TIERS_LIEU = "tiers-lieu", _("Tiers-lieu")
    EPICERIE = "epicerie", _("Épicerie")
    AUTRE = "autre", _("Autre")


class OpeningStatus(models.TextChoices):
    """Whether the business already welcomes customers; some laureates open in the coming weeks."""

    OUVERT = "ouvert", _("Ouvert")
    OUVERTURE_PROCHAINE = "ouverture-prochaine", _("Ouverture prochaine")


# The themes editors start from (the Theme snippet is editable): slug, name.
SEED_THEMES = [
    ("acces-au-numerique", "Accès au numérique"),
    ("inclusion-des-femmes", "Inclusion des femmes"),
    ("formation-des-jeunes", "Formation des jeunes"),
    ("alimentation-durable", "Alimentation durable"),
    ("lien-intergenerationnel", "Lien intergénérationnel"),
    ("parentalite", "Parentalité"),
    ("emploi", "Emploi"),
]
