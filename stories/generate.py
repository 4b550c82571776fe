"""Generate many realistic, fictional stories (for load tests, benchmarks and trying the filters).

Used by ``manage.py generate_stories``. The same seed gives the same stories: names, towns
(Faker's fr_FR towns, which are fictional), regions, kinds, themes and years all come from
generators seeded with it. Every generated story is marked as an example.

Speed: pages are added to Wagtail's tree the way treebeard's ``add_child`` does it, but
with the parent locked and its last position read once for the whole batch, in one
transaction, without revisions and without per-page validation (the generated values are
valid by construction), and with the per-save search-index and reference-index updates
switched off; the search index is then filled in bulk per backend. Pages are live and
render like any other story; ``Page.find_problems()`` finds nothing wrong with the tree.
https://docs.wagtail.org/en/stable/reference/pages/model_reference.html
"""

import random
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from home.demo import make_image

from .models import StoryPage, Theme
from .taxonomy import SEED_THEMES, BusinessKind, OpeningStatus, Region

# Most applications came from these four regions (programme facts); the others share the rest.
MAIN_REGIONS = {
    Region.ILE_DE_FRANCE: 8,
    Region.PROVENCE_ALPES_COTE_D_AZUR: 5,
    Region.OCCITANIE: 4,
    Region.GRAND_EST: 4,
}
KIND_WEIGHTS = {
    BusinessKind.CAFE: 5,
    BusinessKind.RESTAURANT: 4,
    BusinessKind.TIERS_LIEU: 3,
    BusinessKind.EPICERIE: 3,
    BusinessKind.AUTRE: 1,
}
NAME_PATTERNS = {
    BusinessKind.CAFE: ["Café {place}", "Le Comptoir {place}", "Chez {first}", "Le Bistrot {place}"],
    BusinessKind.RESTAURANT: ["La Table {place}", "La Cantine {place}", "La Marmite de {first}", "Les Saveurs {place}"],
    BusinessKind.TIERS_LIEU: ["La Fabrique {place}", "La Maison {place}", "L'Atelier {place}", "La Ruche {place}"],
    BusinessKind.EPICERIE: ["L'Épicerie {place}", "Le Panier {place}", "Au Marché de {first}"],
    BusinessKind.AUTRE: ["La Laverie-café {place}", "Le Kiosque {place}", "La Boutique {place}"],
}
PLACES = [
    "des Tilleuls", "des Lilas", "des Platanes", "des Cerisiers", "des Glycines", "des Coquelicots",
    "des Moulins", "des Sources", "des Collines", "des Terrasses", "des Jardins", "de la Place",
    "du Marché", "du Canal", "de la Gare", "du Parc", "des Écoles", "du Port",
]  # fmt: skip
QUARTERS = ["Les {noun}", "Cité des {noun}", "Quartier {last}", "Le Haut-{town}", "{last} - {noun}"]
QUARTER_NOUNS = ["Peupliers", "Bosquets", "Acacias", "Mimosas", "Tours", "Aubépines", "Sablons", "Genêts"]
ACTIVITIES = {
    "acces-au-numerique": "des ordinateurs ouverts au public et une aide aux démarches en ligne",
    "inclusion-des-femmes": "des après-midis réservés aux femmes du quartier",
    "formation-des-jeunes": "l'accueil de jeunes en formation au service et à la cuisine",
    "alimentation-durable": "des produits frais venus d'un jardin partagé",
    "lien-intergenerationnel": "des rencontres avec les résidents d'un EHPAD voisin",
    "parentalite": "des ateliers parents-enfants le mercredi",
    "emploi": "des permanences emploi avec France Travail",
}
KIND_PHRASES = {
    BusinessKind.CAFE: "un café",
    BusinessKind.RESTAURANT: "un restaurant",
    BusinessKind.TIERS_LIEU: "un tiers-lieu",
    BusinessKind.EPICERIE: "une épicerie",
    BusinessKind.AUTRE: "un commerce",
}
IMAGE_COUNT = 12


def _weighted(rng, weights):
    values = list(weights)
    return rng.choices(values, weights=[weights[value] for value in values])[0]


def _faker(seed):
    try:
        from faker import Faker
    except ImportError as error:  # pragma: no cover - Faker is a runtime dependency
        raise RuntimeError("Le paquet Faker est nécessaire : pip install -r requirements.txt") from error
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    return fake


def story_data(fake, rng, themes):
    """One story's fields (without tree or image), drawn from the seeded generators."""
    kind = _weighted(rng, KIND_WEIGHTS)
    region = rng.choice(list(Region)) if rng.random() < 0.35 else _weighted(rng, MAIN_REGIONS)
    town = fake.city()
    name = rng.choice(NAME_PATTERNS[kind]).format(place=rng.choice(PLACES), first=fake.first_name())
    quarter = rng.choice(QUARTERS).format(noun=rng.choice(QUARTER_NOUNS), last=fake.last_name(), town=town)
    chosen = rng.sample(themes, k=rng.choice([1, 2, 2, 3]))
    soon = rng.random() < 0.12
    laureate_year = rng.randint(2020, 2025)
    founded = None if soon else rng.randint(1995, laureate_year)
    activities = ", ".join(ACTIVITIES.get(theme.slug, theme.name.lower()) for theme in chosen)
    summary = f"À {town}, {name} est {KIND_PHRASES[kind]} de quartier qui propose {activities}."
    return {
        "title": name,
        "business_name": name,
        "kind": kind,
        "town": town,
        "neighbourhood": quarter,
        "region": region,
        "opening_status": OpeningStatus.OUVERTURE_PROCHAINE if soon else OpeningStatus.OUVERT,
        "year_founded": founded,
        "laureate_year": laureate_year,
        "summary": summary,
        "search_description": summary,
        "themes": chosen,
        "body": [
            {"type": "heading", "value": {"text": "Le projet", "level": "h2"}},
            {
                "type": "paragraph",
                "value": f"<p>{summary} {fake.paragraph(nb_sentences=3)}</p>"
                "<p><em>Récit fictif généré automatiquement pour les essais.</em></p>",
            },
        ],
        "is_example": True,
    }


@contextmanager
def bulk_indexing_off():
    """Switch off the per-save search and reference index updates (restored afterwards)."""
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    post_save.disconnect(post_save_signal_handler, sender=StoryPage)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.connect(post_save_signal_handler, sender=StoryPage)


def index_in_bulk(pages):
    from wagtail.search.backends import get_search_backends

    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(StoryPage, pages)


def generate_stories(index, count, seed=None, progress=None, batch=200):
    """Add ``count`` live example stories under ``index``; return them.

    ``progress(done, total)`` is called as stories are created.
    """
    seed = random.randrange(1_000_000) if seed is None else seed
    rng = random.Random(seed)
    fake = _faker(seed)
    themes = list(Theme.objects.order_by("slug"))
    if not themes:
        themes = [Theme.objects.create(slug=slug, name=name) for slug, name in SEED_THEMES]
    images = [
        make_image(
            f"Illustration de lauréat {number + 1}",
            seed=5000 + number,
            alt_text="Illustration d'une tasse de café dans un commerce de quartier",
            width=1200,
            height=800,
        )
        for number in range(IMAGE_COUNT)
    ]
    taken = set(index.get_children().values_list("slug", flat=True))
    now = timezone.now()
    created = []
    with transaction.atomic(), bulk_indexing_off():
        # What treebeard's add_child does for each page (MP_AddChildHandler.process), done
        # once for the batch: lock the parent, find the last child's position, then give
        # the new pages the following paths and raise numchild by the number added.
        # Page.save(clean=False) still sets url_path from the (cached) parent.
        index = Page.objects.select_for_update().get(pk=index.pk).specific
        last = index.get_last_child()
        position = last._get_lastpos_in_path() if last else 0
        depth = index.depth + 1
        for number in range(count):
            data = story_data(fake, rng, themes)
            base = slugify(data["title"])[:70] or "laureat"
            slug, suffix = base, 2
            while slug in taken:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            taken.add(slug)
            position += 1
            page = StoryPage(
                slug=slug,
                hero_image=images[rng.randrange(IMAGE_COUNT)],
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                draft_title=data["title"],
                locale_id=index.locale_id,
                depth=depth,
                path=StoryPage._get_path(index.path, depth, position),
                **data,
            )
            page._cached_parent_obj = index
            page.save(clean=False)
            created.append(page)
            if progress:
                progress(number + 1, count)
        Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(created))
        for start in range(0, len(created), batch):
            index_in_bulk(created[start : start + batch])
    return created
