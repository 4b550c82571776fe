"""Demo news: an index and four news items that say they are examples (idempotent: found
by slug and updated)."""

import datetime

from home.demo import make_image, register
from home.demo_content import get_or_create_child, rich

from .models import Category, NewsIndexPage, NewsPage

EXAMPLE_NOTE = rich(
    "<p><em>Cette actualité est un exemple de démonstration : ni la date, ni les faits ne "
    "décrivent un événement réel.</em></p>"
)

EXAMPLES = [
    (
        "exemple-resultats-appel",
        "Exemple — Les résultats de l'appel à candidatures",
        Category.RESULTATS,
        (2026, 3, 12),
        "Exemple d'actualité : l'annonce des commerces retenus à l'issue d'un appel, avec le nombre de "
        "candidatures reçues et les prochaines étapes de l'accompagnement.",
    ),
    (
        "exemple-rencontre-laureats",
        "Exemple — Une rencontre entre lauréats",
        Category.LAUREATS,
        (2026, 1, 20),
        "Exemple d'actualité : une journée d'échanges entre commerces lauréats sur l'accueil des "
        "habitants et l'organisation d'animations de quartier.",
    ),
    (
        "exemple-atelier-gestion",
        "Exemple — Un atelier sur la gestion d'un café de quartier",
        Category.EVENEMENTS,
        (2025, 11, 5),
        "Exemple d'actualité : un atelier ouvert aux porteurs de projet sur les prix, les stocks et les "
        "horaires d'un café de quartier.",
    ),
    (
        "exemple-article-presse",
        "Exemple — Le programme dans la presse régionale",
        Category.PRESSE,
        (2025, 9, 18),
        "Exemple d'actualité : la reprise d'un article de presse régionale consacré à un commerce "
        "accompagné par le programme.",
    ),
]


@register(15)
def load(home, stdout):
    index = get_or_create_child(
        home,
        NewsIndexPage,
        "actualites",
        title="Actualités",
        show_in_menus=True,
        intro="Les nouvelles du programme : résultats des appels, lauréats, événements et presse.",
        search_description="Les actualités de Quartiers Cafés.",
    )
    for seed, (slug, title, category, day, summary) in enumerate(EXAMPLES):
        get_or_create_child(
            index,
            NewsPage,
            slug,
            title=title,
            category=category,
            date=datetime.date(*day),
            summary=summary,
            search_description=summary,
            image=make_image(title, seed=700 + seed, alt_text=""),
            body=[EXAMPLE_NOTE],
        )
    stdout.write(f"Actualités : {NewsPage.objects.child_of(index).count()} actualités d'exemple.")
