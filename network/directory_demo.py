"""The directory's demo content (run by ``load_demo_content`` through ``demo.py``): a profile
for each laureate of the example call (« Appel 2025 (exemple) », whose records
``laureates/demo.py`` makes by the real announcement), written as the laureate would through
``directory.save_profile``. Every text reads as an example; the websites are example.org. The
three real laureates of 2020 get no profile: nothing is invented about them (the directory
lists them with their name, commune and région only). Idempotent: a laureate with a profile
is left alone.
"""

from home.demo import register
from laureates.models import Laureate
from moderation.demo import EXAMPLE_CALL_SLUG
from stories.models import Theme

from . import directory
from .models import DirectoryProfile

# Per example laureate (in reference order): what they offer, look for, their themes' slugs,
# the contact details they chose to show.
PROFILES = [
    {
        "offer": "Exemple — Nous prêtons notre salle le lundi aux associations du quartier, et partageons notre "
        "fournisseur de café torréfié localement.",
        "need": "Exemple — Des conseils pour lancer des ateliers numériques avec France Travail.",
        "themes": ["acces-au-numerique", "emploi"],
        "website": "https://cafe.example.org/",
        "shown": {"show_email", "show_website"},
    },
    {
        "offer": "Exemple — Notre expérience des repas suspendus : l'affiche, la caisse, le suivi avec les "
        "associations.",
        "need": "Exemple — Un partenaire pour un jardin partagé et des produits frais à petits prix.",
        "themes": ["alimentation-durable", "lien-intergenerationnel"],
        "website": "",
        "shown": {"show_email", "show_phone"},
    },
    {
        "offer": "Exemple — Des ateliers parents-enfants le mercredi, que nous pouvons présenter aux autres membres.",
        "need": "Exemple — Des idées pour faire venir les jeunes du quartier en formation.",
        "themes": ["parentalite", "formation-des-jeunes"],
        "website": "",
        "shown": set(),
    },
]


@register(60)
def load_directory(home, stdout):
    laureates = Laureate.objects.members().filter(call__slug=EXAMPLE_CALL_SLUG).order_by("application__reference")
    made = 0
    for laureate, data in zip(laureates, PROFILES, strict=False):
        if DirectoryProfile.objects.filter(laureate=laureate).exists():
            continue
        cleaned = {
            "offer": data["offer"],
            "need": data["need"],
            "themes": list(Theme.objects.filter(slug__in=data["themes"])),
            "website": data["website"],
            **{box: box in data["shown"] for box in directory.OPT_IN_FIELDS},
        }
        directory.save_profile(laureate, cleaned)
        made += 1
    stdout.write(f"Annuaire du réseau : {made} fiche(s) d'exemple créée(s).\n")
