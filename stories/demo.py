"""Demo content of the stories app, run by ``load_demo_content`` (see home/demo.py).

The three named laureates come from the programme's public facts (name, town, region);
what they do is drawn from the activities the programme reports, and the rest of their text
is marked as example text. The other stories are fictional examples (``is_example``), spread
across regions, kinds of business and themes so that the filters and the search have
something to show. Idempotent: stories are looked up by slug and refreshed.
"""

from decimal import Decimal

from home.demo import make_image, register
from home.demo_content import get_or_create_child, heading, rich
from home.models import HomeFeaturedStory, HomePage
from territory.picker import commune_centre

from .models import StoryGalleryImage, StoryIndexPage, StoryPage, Theme
from .taxonomy import SEED_THEMES, BusinessKind, OpeningStatus, Region

EXAMPLE_NOTE = (
    "<p><em>Texte d'exemple rédigé pour la démonstration du site, à partir des activités "
    "décrites par le programme Quartiers Cafés.</em></p>"
)

SUPPORT_TEXT = (
    "<p>Quartiers Cafés a financé une partie de l'investissement du lieu et l'accompagne en "
    "communication, en recherche de financements et dans la construction de partenariats locaux. "
    "{detail}</p><p>Le commerce participe au réseau des lauréats, où chacun apprend des autres.</p>"
)

# Each town's INSEE code (COG): the stories are placed at their commune's point known from
# the bundled territory data (territory.picker.commune_centre: the middle of the commune's
# QPV area), never at an invented street address, so that the map draws a dot per town.
TOWN_COMMUNES = {
    "Aubervilliers": "93001",
    "Toulouse": "31555",
    "Marseille": "13055",
    "Saint-Denis": "93066",
    "Grigny": "91286",
    "Strasbourg": "67482",
    "Mulhouse": "68224",
    "Roubaix": "59512",
    "Vaulx-en-Velin": "69256",
    "Bordeaux": "33063",
    "Rennes": "35238",
    "Nantes": "44109",
    "Rouen": "76540",
    "Nice": "06088",
    "Montpellier": "34172",
}


def commune_point(town):
    """The story's ``commune_code``, ``latitude`` and ``longitude`` for its town."""
    code = TOWN_COMMUNES[town]
    latitude, longitude = commune_centre(code)
    return {"commune_code": code, "latitude": Decimal(str(latitude)), "longitude": Decimal(str(longitude))}


# The three named laureates: facts are the name, the town and the region.
NAMED = [
    {
        "slug": "la-blague",
        "title": "La Blague",
        "kind": BusinessKind.CAFE,
        "town": "Aubervilliers",
        "region": Region.ILE_DE_FRANCE,
        "themes": ["acces-au-numerique", "inclusion-des-femmes", "emploi"],
        "summary": (
            "À Aubervilliers, La Blague est un café de quartier où l'on vient aussi pour se servir "
            "d'un ordinateur, préparer une démarche en ligne ou offrir un « repas suspendu »."
        ),
        "body": [
            heading("Un comptoir et des ordinateurs"),
            rich(
                "<p>Au fond de la salle, des ordinateurs sont ouverts au public. On y imprime un CV, on "
                "remplit un dossier administratif, on apprend à envoyer un courriel, avec l'aide de "
                "l'équipe quand il le faut.</p>"
            ),
            heading("Des repas suspendus"),
            rich(
                "<p>Un client peut payer un repas d'avance pour une personne qui en a besoin : c'est le "
                "principe du « repas suspendu ». L'ardoise près du comptoir indique combien de repas "
                "attendent d'être servis.</p>"
            ),
            {
                "type": "quote",
                "value": {
                    "text": "Exemple de témoignage : ici, on vient pour un café et on repart avec un coup de main.",
                    "author": "Une habituée (texte d'exemple)",
                    "role": "",
                },
            },
            rich(EXAMPLE_NOTE),
        ],
        "support": "Le soutien a servi, à titre d'exemple, à équiper l'espace numérique.",
        "seed": 101,
        "gallery": ["Les ordinateurs en libre accès de La Blague", "Le comptoir de La Blague"],
    },
    {
        "slug": "la-passerelle-negreneys",
        "title": "La Passerelle Négreneys",
        "kind": BusinessKind.TIERS_LIEU,
        "town": "Toulouse",
        "neighbourhood": "Négreneys",
        "region": Region.OCCITANIE,
        "themes": ["lien-intergenerationnel", "parentalite", "inclusion-des-femmes"],
        "summary": (
            "À Toulouse, La Passerelle Négreneys réunit les générations : ateliers parents-enfants, "
            "rencontres avec un EHPAD voisin et une grande table ouverte à tout le quartier."
        ),
        "body": [
            heading("Un lieu où les générations se croisent"),
            rich(
                "<p>Le tiers-lieu a noué un partenariat avec un EHPAD : des résidents viennent partager "
                "un goûter, des enfants du quartier leur rendent visite. Le mercredi, des ateliers "
                "parents-enfants occupent la grande salle.</p>"
            ),
            heading("Construit avec les habitants", "h3"),
            rich(
                "<p>Le programme des activités se décide avec les habitants, selon la méthode de "
                "co-construction travaillée lors des sessions du programme.</p>"
            ),
            rich(EXAMPLE_NOTE),
        ],
        "support": "Le soutien a permis, par exemple, d'aménager la salle des ateliers.",
        "seed": 102,
        "gallery": ["Un atelier parents-enfants à La Passerelle Négreneys"],
    },
    {
        "slug": "la-marmite-joyeuse",
        "title": "La Marmite Joyeuse",
        "kind": BusinessKind.RESTAURANT,
        "town": "Marseille",
        "region": Region.PROVENCE_ALPES_COTE_D_AZUR,
        "themes": ["alimentation-durable", "formation-des-jeunes", "emploi"],
        "summary": (
            "À Marseille, La Marmite Joyeuse cuisine les légumes d'un jardin partagé et forme des "
            "jeunes du quartier aux métiers de la restauration, avec France Travail."
        ),
        "body": [
            heading("Du jardin à l'assiette"),
            rich(
                "<p>Un jardin partagé fournit une partie des produits frais du restaurant. Les habitants "
                "y cultivent leur parcelle et retrouvent leurs légumes au menu du jour.</p>"
            ),
            heading("Un premier métier"),
            rich(
                "<p>En lien avec France Travail, le restaurant accueille des jeunes du quartier qui "
                "découvrent la cuisine et le service en salle.</p>"
            ),
            rich(EXAMPLE_NOTE),
        ],
        "support": "Le soutien a financé, à titre d'exemple, une partie de l'équipement de la cuisine.",
        "seed": 103,
        "gallery": ["Le jardin partagé de La Marmite Joyeuse", "La cuisine de La Marmite Joyeuse"],
    },
]

# Fictional examples: (slug, title, kind, town, neighbourhood, region, themes, status, founded, summary)
EXAMPLES = [
    (
        "le-comptoir-des-tilleuls",
        "Le Comptoir des Tilleuls",
        BusinessKind.EPICERIE,
        "Saint-Denis",
        "Franc-Moisin",
        Region.ILE_DE_FRANCE,
        ["alimentation-durable", "emploi"],
        OpeningStatus.OUVERT,
        2016,
        "Une épicerie solidaire qui vend des produits de première nécessité à 10 % de leur prix réel "
        "aux familles du quartier.",
    ),
    (
        "cafe-des-grands-ensembles",
        "Café des Grands Ensembles",
        BusinessKind.CAFE,
        "Grigny",
        "La Grande Borne",
        Region.ILE_DE_FRANCE,
        ["formation-des-jeunes", "acces-au-numerique"],
        OpeningStatus.OUVERTURE_PROCHAINE,
        None,
        "Un café qui ouvre dans les prochaines semaines, avec un coin numérique et des soirées d'aide aux devoirs.",
    ),
    (
        "le-bistrot-du-neuhof",
        "Le Bistrot du Neuhof",
        BusinessKind.RESTAURANT,
        "Strasbourg",
        "Neuhof",
        Region.GRAND_EST,
        ["emploi", "inclusion-des-femmes"],
        OpeningStatus.OUVERT,
        2011,
        "Un restaurant de quartier qui existe depuis plus de dix ans et forme des femmes éloignées "
        "de l'emploi aux métiers de la cuisine.",
    ),
    (
        "la-fabrique-de-bourtzwiller",
        "La Fabrique de Bourtzwiller",
        BusinessKind.TIERS_LIEU,
        "Mulhouse",
        "Bourtzwiller",
        Region.GRAND_EST,
        ["acces-au-numerique", "formation-des-jeunes"],
        OpeningStatus.OUVERT,
        2019,
        "Un tiers-lieu avec des ordinateurs ouverts au public et des ateliers pour les jeunes qui "
        "cherchent une formation.",
    ),
    (
        "le-cafe-de-l-alma",
        "Le Café de l'Alma",
        BusinessKind.CAFE,
        "Roubaix",
        "L'Alma",
        Region.HAUTS_DE_FRANCE,
        ["lien-intergenerationnel", "parentalite"],
        OpeningStatus.OUVERT,
        2014,
        "Un café familial où grands-parents, parents et enfants se retrouvent autour de jeux et "
        "d'ateliers parents-enfants.",
    ),
    (
        "l-epicerie-du-mas",
        "L'Épicerie du Mas",
        BusinessKind.EPICERIE,
        "Vaulx-en-Velin",
        "Mas du Taureau",
        Region.AUVERGNE_RHONE_ALPES,
        ["alimentation-durable", "inclusion-des-femmes"],
        OpeningStatus.OUVERT,
        2018,
        "Une épicerie tenue par des habitantes, qui propose des produits frais venus d'un jardin partagé.",
    ),
    (
        "la-table-des-aubiers",
        "La Table des Aubiers",
        BusinessKind.RESTAURANT,
        "Bordeaux",
        "Les Aubiers",
        Region.NOUVELLE_AQUITAINE,
        ["alimentation-durable", "formation-des-jeunes"],
        OpeningStatus.OUVERT,
        2020,
        "Un restaurant qui sert des repas suspendus et accueille des apprentis du quartier.",
    ),
    (
        "le-kiosque-de-maurepas",
        "Le Kiosque de Maurepas",
        BusinessKind.CAFE,
        "Rennes",
        "Maurepas",
        Region.BRETAGNE,
        ["acces-au-numerique", "lien-intergenerationnel"],
        OpeningStatus.OUVERT,
        2017,
        "Un petit café où des jeunes aident les plus âgés à se servir d'un smartphone.",
    ),
    (
        "la-maison-de-bellevue",
        "La Maison de Bellevue",
        BusinessKind.TIERS_LIEU,
        "Nantes",
        "Bellevue",
        Region.PAYS_DE_LA_LOIRE,
        ["parentalite", "emploi"],
        OpeningStatus.OUVERTURE_PROCHAINE,
        None,
        "Un tiers-lieu en préparation : espace parents-enfants, permanences emploi et cantine associative.",
    ),
    (
        "le-relais-des-hauts",
        "Le Relais des Hauts",
        BusinessKind.AUTRE,
        "Rouen",
        "Les Hauts de Rouen",
        Region.NORMANDIE,
        ["emploi", "acces-au-numerique"],
        OpeningStatus.OUVERT,
        2012,
        "Une laverie-café où l'on patiente en préparant ses démarches d'emploi sur les ordinateurs du lieu.",
    ),
    (
        "le-cafe-des-moulins",
        "Le Café des Moulins",
        BusinessKind.CAFE,
        "Nice",
        "Les Moulins",
        Region.PROVENCE_ALPES_COTE_D_AZUR,
        ["inclusion-des-femmes", "lien-intergenerationnel"],
        OpeningStatus.OUVERT,
        2015,
        "Un café qui réserve ses après-midis aux femmes du quartier : cours de français, couture et discussions.",
    ),
    (
        "la-cantine-de-la-mosson",
        "La Cantine de la Mosson",
        BusinessKind.RESTAURANT,
        "Montpellier",
        "La Mosson",
        Region.OCCITANIE,
        ["alimentation-durable", "parentalite"],
        OpeningStatus.OUVERT,
        2013,
        "Une cantine de quartier qui propose des ateliers de cuisine parents-enfants le samedi.",
    ),
]


def seed_themes():
    return {slug: Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in SEED_THEMES}


def example_body(title, town, summary):
    return [
        heading("Le projet"),
        rich(f"<p>{summary}</p>"),
        rich(
            f"<p>{title} répond à un besoin quotidien des habitants de {town}. Ce récit est un exemple : "
            "le commerce, les personnes et les chiffres sont fictifs.</p>"
        ),
    ]


def load_named(index, themes, stdout):
    stories = []
    for number, data in enumerate(NAMED):
        hero = make_image(
            f"{data['title']}, vue du lieu",
            seed=data["seed"],
            alt_text=f"Illustration du commerce {data['title']} à {data['town']}",
        )
        gallery = [
            StoryGalleryImage(
                image=make_image(caption, seed=data["seed"] * 10 + i, alt_text=f"Illustration : {caption.lower()}"),
                caption=caption + " (illustration)",
                sort_order=i,
            )
            for i, caption in enumerate(data["gallery"])
        ]
        story = get_or_create_child(
            index,
            StoryPage,
            data["slug"],
            title=data["title"],
            business_name=data["title"],
            kind=data["kind"],
            town=data["town"],
            neighbourhood=data.get("neighbourhood", ""),
            region=data["region"],
            opening_status=OpeningStatus.OUVERT,
            year_founded=None,
            laureate_year=2021 if number else 2020,
            themes=[themes[slug] for slug in data["themes"]],
            summary=data["summary"],
            search_description=data["summary"],
            hero_image=hero,
            body=data["body"],
            support_received=SUPPORT_TEXT.format(detail=data["support"]),
            gallery_images=gallery,
            is_example=False,
            **commune_point(data["town"]),
        )
        stories.append(story)
    return stories


def load_examples(index, themes):
    for number, (slug, title, kind, town, quarter, region, theme_slugs, status, founded, summary) in enumerate(
        EXAMPLES
    ):
        hero = make_image(
            f"{title}, illustration",
            seed=200 + number,
            alt_text=f"Illustration du commerce {title} à {town}",
        )
        get_or_create_child(
            index,
            StoryPage,
            slug,
            title=title,
            business_name=title,
            kind=kind,
            town=town,
            neighbourhood=quarter,
            region=region,
            opening_status=status,
            year_founded=founded,
            laureate_year=2021 + number % 4,
            themes=[themes[s] for s in theme_slugs],
            summary=summary,
            search_description=summary,
            hero_image=hero,
            body=example_body(title, town, summary),
            support_received=SUPPORT_TEXT.format(detail="Les montants et les étapes de ce récit sont des exemples."),
            is_example=True,
            **commune_point(town),
        )


@register(10)
def load(home, stdout):
    index = get_or_create_child(
        home,
        StoryIndexPage,
        "laureats",
        title="Les lauréats",
        show_in_menus=True,
        intro=(
            "Cafés, restaurants, tiers-lieux et épiceries : découvrez les commerces récompensés par "
            "Quartiers Cafés et ce qu'ils apportent à leur quartier."
        ),
        search_description=(
            "Les lauréats de Quartiers Cafés : cafés, restaurants, tiers-lieux et épiceries des quartiers prioritaires."
        ),
    )
    themes = seed_themes()
    named = load_named(index, themes, stdout)
    load_examples(index, themes)
    stdout.write(f"Lauréats : {StoryPage.objects.child_of(index).count()} récits.")

    home = HomePage.objects.get(pk=home.pk)
    if not home.featured_stories.exists():
        home.featured_stories = [HomeFeaturedStory(page=story, sort_order=i) for i, story in enumerate(named)]
        home.save_revision().publish()
