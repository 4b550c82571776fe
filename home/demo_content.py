"""The programme's own pages for the demo site, built from the programme's published facts
(GROUPE SOS, Coca-Cola's support, the 2020 edition's 50 laureates from 87 applications, the
named laureates). Figures about the data on this site are computed (``home/figures.py``).

Text beyond those facts is written as example text ("exemple", "à titre d'illustration").
"""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.models import Page, Site

from . import figures
from .demo import make_image, register
from .links import site_host_and_port
from .models import (
    AccessibilityPage,
    CookiesPage,
    HomePage,
    HomePartner,
    LegalNoticePage,
    Partner,
    PrivacyPage,
    ProgrammePage,
    SiteSettings,
)

# What the programme says of its first edition: typed, and labelled as the 2020 edition's (no
# application of 2020 was sent through this site, and only its three named laureates have a
# record here). Everything else the demo states is computed from the data (home/figures.py).
PROGRAMME_SUPPORT = {"value": "625 000 €", "label": "de soutien de Coca-Cola au programme"}
EDITION_2020 = [
    {"value": "50", "label": "lauréats récompensés lors de l'édition 2020"},
    {"value": "87", "label": "candidatures reçues en 2020"},
    {"value": "12", "label": "régions d'où venaient les candidatures de 2020"},
]


def computed(key, edition=None, label=""):
    return {"figure": key, "edition": edition, "value": "", "label": label}


def key_figures(title, items):
    return {"type": "key_figures", "value": {"title": title, "figures": items}}


def home_key_figures(edition, laureate_edition):
    """The home page's figures: the sponsor's support, the 2020 edition as the programme gives
    it, the latest edition's applications, the laureates of the latest edition that has some
    and the stories published, computed from the data."""
    return key_figures(
        "Le programme en chiffres",
        [
            PROGRAMME_SUPPORT,
            EDITION_2020[0],
            EDITION_2020[1],
            computed("candidatures", edition),
            computed("laureats", laureate_edition),
            computed("recits"),
        ],
    )


def programme_key_figures(edition):
    return key_figures(
        "Les éditions en chiffres",
        [
            *EDITION_2020,
            computed("candidatures", edition),
            computed("regions_candidatures", edition),
            computed("commerces_ouverts"),
        ],
    )


def partner_key_figures(edition):
    return key_figures(
        "Ce que le soutien finance",
        [
            PROGRAMME_SUPPORT,
            computed("montant_attribue", edition),
            computed("montant_verse", edition),
            computed("commerces_ouverts"),
        ],
    )


def latest_edition(figure=None):
    """The year of the latest call (the calls' demo has run: see ``build_closing_pages``); with
    ``figure``, of the latest call for which that figure is not zero (a call still open has no
    laureate yet, and a figure at zero is not shown)."""
    known = [year for year in figures.editions() if figure is None or figures.compute(figure, year)]
    return known[-1] if known else None


def rich(html):
    return {"type": "paragraph", "value": html}


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def get_or_create_child(parent, model, slug, **fields):
    """Find the child page by slug, or create it; refresh its fields and publish it."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        page = existing.specific
        if not isinstance(page, model):
            raise RuntimeError(f"/{slug}/ existe déjà avec un autre type de page ({type(page).__name__}).")
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision().publish()
        return page
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_logo(name, seed):
    """A partner logo: the partner's name set in a coloured band, drawn with Pillow."""
    from wagtail.images import get_image_model

    Image = get_image_model()
    title = f"Logo {name}"
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    img = PILImage.new("RGB", (480, 240), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    colour = [(138, 47, 16), (11, 87, 208), (29, 107, 53)][seed % 3]
    draw.rounded_rectangle((10, 10, 470, 230), radius=28, outline=colour, width=10)
    font = ImageFont.load_default(size=44)
    box = draw.textbbox((0, 0), name, font=font)
    draw.text(((480 - (box[2] - box[0])) / 2, (240 - (box[3] - box[1])) / 2 - 8), name, fill=colour, font=font)
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    image = Image(title=title, alt_text=name, credit="")
    image.file = ImageFile(buffer, name=f"logo-{seed}.png")
    image.save()
    return image


def build_site(stdout):
    """Create or refresh the home page and the programme pages; return the home page."""
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.first()
    if home is None:
        # Replace Wagtail's "Welcome" placeholder page with the programme's home page.
        for placeholder in root.get_children().filter(slug="home"):
            if type(placeholder.specific) is Page:
                if site and site.root_page_id == placeholder.pk:
                    site.root_page = root
                    site.save()
                placeholder.delete()
        hero = make_image(
            "Un café de quartier au petit matin",
            seed=1,
            alt_text="Illustration d'une tasse de café sur le comptoir d'un commerce de quartier",
        )
        home = HomePage(title="Accueil", slug="home", hero_title="Quartiers Cafés", hero_image=hero)
        root.add_child(instance=home)
        stdout.write("Page d'accueil créée.")
    if site is None:
        site = Site(is_default_site=True, root_page=home)
    # The demo's site is where it is served (WAGTAILADMIN_BASE_URL, set by `make run` from HOST
    # and PORT): its pages' full URLs agree with the links in the emails (home.links).
    site.hostname, site.port = site_host_and_port()
    site.root_page = home
    site.site_name = "Quartiers Cafés"
    site.save()

    home.hero_title = "Les commerces qui font vivre les quartiers"
    home.hero_text = (
        "Quartiers Cafés, une initiative du GROUPE SOS soutenue par Coca-Cola, récompense et "
        "accompagne les cafés, restaurants, tiers-lieux et épiceries situés dans ou près des "
        "quartiers prioritaires de la politique de la ville."
    )
    home.seo_title = "Quartiers Cafés, les commerces qui font vivre les quartiers"
    home.search_description = (
        "Quartiers Cafés récompense et accompagne depuis décembre 2020 les cafés, restaurants, "
        "tiers-lieux et épiceries des quartiers prioritaires."
    )
    home.call_teaser_title = "L'appel à candidatures"
    home.call_teaser_text = (
        "Vous tenez un café, un restaurant, un tiers-lieu ou une épicerie qui répond à un besoin "
        "de votre quartier ? Présentez votre projet en quelques minutes, depuis votre téléphone."
    )
    home.stories_title = "Ils ont été récompensés"
    home.partners_title = "Une initiative soutenue par"
    home.body = [
        heading("Un programme pour les commerces de proximité"),
        rich(
            "<p>Dès sa première édition, en 2020, Quartiers Cafés a récompensé 50 commerces de proximité. "
            "Certains ouvrent dans les prochaines semaines, d'autres existent depuis plus de dix ans. "
            "Tous répondent à un besoin quotidien de leur quartier : accès au numérique, inclusion "
            "sociale des femmes, formation professionnelle des jeunes.</p>"
        ),
    ]
    programme = get_or_create_child(
        home,
        ProgrammePage,
        "le-programme",
        title="Le programme",
        show_in_menus=True,
        intro=(
            "Quartiers Cafés finance l'investissement des commerces lauréats et les accompagne "
            "pour qu'ils deviennent des lieux ressources de leur quartier."
        ),
        image=make_image(
            "Atelier entre lauréats",
            seed=2,
            alt_text="Illustration d'une table de travail partagée entre commerçants",
        ),
        search_description="Ce que fait Quartiers Cafés : financement, accompagnement, réseau de lauréats.",
        body=[
            heading("Une initiative du GROUPE SOS"),
            rich(
                "<p>Quartiers Cafés est une initiative du GROUPE SOS, soutenue par Coca-Cola à hauteur "
                "de 625 000 euros au total. Le programme s'adresse aux cafés, restaurants, tiers-lieux "
                "et épiceries implantés dans les quartiers prioritaires de la politique de la ville "
                "(QPV) ou à proximité.</p>"
            ),
            programme_key_figures(None),
            heading("Des projets qui répondent aux besoins du quartier"),
            rich(
                "<p>Les lauréats ouvrent des ordinateurs au public, proposent des « repas suspendus », "
                "cultivent des jardins partagés pour des produits frais, vendent des produits de "
                "première nécessité à 10 % de leur prix réel, nouent des partenariats avec des EHPAD "
                "ou France Travail, animent des ateliers parents-enfants.</p>"
            ),
            {
                "type": "quote",
                "value": {
                    "text": "Exemple de témoignage : le café est devenu l'endroit où le quartier se retrouve.",
                    "author": "Une lauréate (texte d'exemple)",
                    "role": "",
                },
            },
            {
                "type": "faq",
                "value": {
                    "title": "Questions fréquentes",
                    "items": [
                        {
                            "question": "Qui peut candidater ?",
                            "answer": "<p>Les cafés, restaurants, tiers-lieux et épiceries situés dans "
                            "ou près d'un quartier prioritaire, qu'ils soient déjà ouverts ou en projet.</p>",
                        },
                        {
                            "question": "Que reçoivent les lauréats ?",
                            "answer": "<p>Un financement de leurs investissements et un accompagnement en "
                            "communication, recherche de financements et partenariats locaux.</p>",
                        },
                        {
                            "question": "Comment nous contacter ?",
                            "answer": '<p>Écrivez à <a href="mailto:contact@quartierscafes.org">'
                            "contact@quartierscafes.org</a>.</p>",
                        },
                    ],
                },
            },
        ],
    )
    get_or_create_child(
        programme,
        ProgrammePage,
        "accompagnement",
        title="L'accompagnement",
        intro=(
            "Au-delà du financement, chaque lauréat est accompagné en communication, en recherche, "
            "en financement et dans la construction de partenariats locaux."
        ),
        search_description="L'accompagnement des lauréats : communication, financement, partenariats locaux.",
        body=[
            heading("Ce que comprend l'accompagnement"),
            rich(
                "<ul><li>Communication : raconter son projet, être visible dans le quartier.</li>"
                "<li>Recherche : mieux connaître les besoins des habitants.</li>"
                "<li>Financement : trouver les aides et les financeurs adaptés.</li>"
                "<li>Partenariats locaux : EHPAD, France Travail, associations, écoles.</li></ul>"
            ),
            heading("Des sessions de méthode"),
            rich(
                "<p>Des sessions de méthode sur la co-construction avec les habitants aident les "
                "lauréats à associer leur quartier à leur projet. Leurs dates et leurs lieux sont "
                "annoncés dans l'agenda du réseau.</p>"
            ),
        ],
    )
    get_or_create_child(
        programme,
        ProgrammePage,
        "reseau",
        title="Le réseau des lauréats",
        intro="Les lauréats forment un réseau où chacun apprend des autres.",
        search_description="Le réseau des lauréats de Quartiers Cafés : entraide et partage d'expériences.",
        body=[
            rich(
                "<p>Rencontres, visites et échanges de pratiques : le réseau permet aux lauréats de "
                "partager ce qui marche, des ateliers parents-enfants aux jardins partagés. "
                "Les prochaines rencontres sont annoncées dans l'agenda du réseau.</p>"
            ),
        ],
    )
    home.hero_cta_label = home.hero_cta_label or "Découvrir le programme"
    home.hero_cta_page = home.hero_cta_page or programme
    home.save_revision().publish()
    return home


@register(100)
def build_closing_pages(home, stdout):
    """Partners, contact and legal notice: created after the other apps' sections."""
    groupe_sos, _ = Partner.objects.get_or_create(
        name="GROUPE SOS",
        defaults={"description": "Porteur de l'initiative Quartiers Cafés.", "logo": make_logo("GROUPE SOS", 0)},
    )
    coca, _ = Partner.objects.get_or_create(
        name="Coca-Cola",
        defaults={
            "description": "Soutient le programme à hauteur de 625 000 euros.",
            "logo": make_logo("Coca-Cola", 1),
        },
    )
    partners_block = {"type": "partner_logos", "value": {"title": "", "partners": [groupe_sos.pk, coca.pk]}}
    # Every app's demo has run: the figures of the latest edition can name its year.
    edition = latest_edition()
    get_or_create_child(
        home,
        ProgrammePage,
        "partenaires",
        title="Partenaires",
        show_in_menus=True,
        intro="Quartiers Cafés est une initiative du GROUPE SOS, soutenue par Coca-Cola.",
        search_description="Les partenaires de Quartiers Cafés : GROUPE SOS et Coca-Cola.",
        body=[
            partners_block,
            rich(
                "<p>Coca-Cola soutient le programme à hauteur de 625 000 euros au total. Les "
                "partenaires locaux des lauréats (EHPAD, France Travail, associations) sont présentés "
                "dans leurs récits.</p>"
            ),
            partner_key_figures(latest_edition("montant_attribue")),
        ],
    )
    get_or_create_child(
        home,
        ProgrammePage,
        "contact",
        title="Contact",
        show_in_menus=True,
        intro="Une question sur le programme ou sur l'appel à candidatures ? Écrivez-nous.",
        search_description="Contacter l'équipe de Quartiers Cafés.",
        body=[
            rich(
                '<p>Par courriel : <a href="mailto:contact@quartierscafes.org">contact@quartierscafes.org</a>. '
                "Nous répondons en général sous quelques jours ouvrés (délai donné à titre d'exemple).</p>"
            ),
        ],
    )
    build_legal_pages(home)
    site = Site.objects.get(is_default_site=True)
    settings_obj = SiteSettings.for_site(site)
    settings_obj.contact_email = "contact@quartierscafes.org"
    # The legal pages read these (home/legal.py). GROUPE SOS publishes the programme's site;
    # the rest are examples to replace with the real publisher's and host's details.
    settings_obj.publisher_name = "GROUPE SOS"
    settings_obj.publisher_details = "Exemple : forme juridique, adresse du siège et numéro SIREN à compléter."
    settings_obj.publication_director = "Exemple : nom de la personne qui dirige la publication, à compléter."
    settings_obj.host_name = "Exemple : nom de l'hébergeur, à compléter"
    settings_obj.host_address = "Exemple : adresse postale de l'hébergeur, à compléter"
    settings_obj.host_contact = "Exemple : téléphone de l'hébergeur, à compléter"
    settings_obj.footer_text = (
        "<p>Quartiers Cafés est une initiative du GROUPE SOS, soutenue par Coca-Cola. "
        "Le programme récompense et accompagne les commerces de proximité des quartiers prioritaires.</p>"
    )
    settings_obj.save()

    home = HomePage.objects.get(pk=home.pk)
    if not home.home_partners.exists():
        home.home_partners = [HomePartner(partner=groupe_sos), HomePartner(partner=coca)]
    home.key_figures = [home_key_figures(edition, latest_edition("laureats"))]
    home.save_revision().publish()
    programme = ProgrammePage.objects.child_of(home).get(slug="le-programme")
    programme.body = [
        programme_key_figures(edition) if block["type"] == "key_figures" else block for block in programme.body.raw_data
    ]
    programme.save_revision().publish()


def build_legal_pages(home):
    """The four legal pages: their facts come from the site settings and the settings the
    purge commands use (home/legal.py); only the open-data credits are typed here."""
    old = home.get_children().filter(slug="mentions-legales").not_type(LegalNoticePage).first()
    if old is not None:  # the example text page of earlier demos
        old.delete()
    get_or_create_child(
        home,
        LegalNoticePage,
        "mentions-legales",
        title="Mentions légales",
        search_description="Éditeur, direction de la publication et hébergeur du site Quartiers Cafés.",
        body=[
            heading("Données géographiques"),
            rich(
                "<p>La vérification des quartiers prioritaires (QPV 2024) utilise les périmètres publiés par "
                "l'Agence nationale de la cohésion des territoires : « ANCT – data.gouv.fr ». Les communes, "
                "codes postaux, départements et régions viennent du Code officiel géographique : "
                "« INSEE – COG 2026 ». Ces données sont diffusées sous Licence Ouverte 2.0 (Etalab).</p>"
            ),
        ],
    )
    get_or_create_child(
        home,
        AccessibilityPage,
        "accessibilite",
        title="Déclaration d'accessibilité",
        search_description="État de conformité du site Quartiers Cafés au RGAA et voies de recours.",
    )
    get_or_create_child(
        home,
        PrivacyPage,
        "donnees-personnelles",
        title="Données personnelles",
        search_description="Les données que garde le site Quartiers Cafés, pourquoi, combien de temps, et vos droits.",
    )
    get_or_create_child(
        home,
        CookiesPage,
        "cookies",
        title="Cookies",
        search_description="La liste des cookies déposés par le site Quartiers Cafés.",
    )
