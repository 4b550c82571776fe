"""Demo content of the calls app, run by ``load_demo_content`` (see home/demo.py).

The open call's window is recomputed at each load (opened 30 days ago, closing in 120
days), so the demo always has a call to apply to. Form fields keep fixed keys
(``clean_name``), so reloading never orphans the answers already sent.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from home.demo import register
from home.demo_content import get_or_create_child, heading, rich
from home.models import HomePage

from .models import CallCannotOpen, CallFormField, CallIndexPage, CallPage

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

CONSENT_TEXT = (
    "Les informations de ce formulaire (coordonnées, description du commerce et du projet, documents "
    "joints) sont collectées par Quartiers Cafés, initiative du GROUPE SOS, pour instruire votre "
    "candidature et, si elle est retenue, vous accompagner. Seule l'équipe du programme et le jury y "
    "ont accès. Elles sont conservées deux ans après la fin de l'appel, puis supprimées (durée donnée "
    "à titre d'exemple). Vous pouvez y accéder, les faire corriger ou effacer en écrivant à "
    "contact@quartierscafes.org."
)

IMAGE_RIGHTS_TEXT = (
    "Si votre candidature est retenue, Quartiers Cafés écrira le récit de votre projet sur son site. "
    "En cochant cette case, vous autorisez la publication des photos jointes à ce formulaire dans ce "
    "récit et sur les réseaux sociaux du programme, sans limite de durée tant que le récit est en "
    "ligne (durée donnée à titre d'exemple), sans contrepartie. Vous pouvez retirer cet accord à tout "
    "moment en écrivant à contact@quartierscafes.org : les photos seront retirées. Sans cet accord, "
    "votre candidature est étudiée de la même façon et aucune photo n'est publiée."
)


def field(clean_name, label, field_type, **options):
    return CallFormField(clean_name=clean_name, label=label, field_type=field_type, **options)


def in_order(fields):
    """The fields with their position set: without it every ``sort_order`` is NULL, and
    PostgreSQL returns such rows in any order (the consent came first, before the sections)."""
    for position, form_field in enumerate(fields):
        form_field.sort_order = position
    return fields


def open_call_fields():
    return [
        field(
            "votre_commerce",
            "Votre commerce",
            "section",
            help_text="Le lieu que vous tenez ou que vous allez ouvrir.",
        ),
        field("nom_du_commerce", "Nom du commerce", "singleline", purpose="organization"),
        field("type_de_commerce", "Type de commerce", "business_kind"),
        field(
            "forme_juridique",
            "Forme juridique",
            "legal_form",
            required=False,
            help_text="Une association indique son numéro RNA plutôt qu'un SIRET.",
        ),
        field(
            "siret",
            "Numéro SIRET",
            "siret",
            required=False,
            help_text="Si votre commerce est déjà immatriculé. Il figure sur votre extrait Kbis.",
        ),
        field(
            "numero_rna",
            "Numéro RNA",
            "rna",
            help_text="Le numéro de votre association au répertoire national (W suivi de 9 chiffres).",
            # Asked of an association only (calls/conditions.py), and then required: a hidden
            # question never is. The legal form's rule (CallForm.apply_legal_form_rule) also
            # leaves the SIRET aside for an association.
            conditions="Forme juridique est Association",
        ),
        # The commune comes from the postal code, the région from the commune, and the QPV
        # check from the point placed on the commune's map or the geocoded address.
        field(
            "adresse",
            "Adresse du commerce",
            "address",
            help_text="L'adresse où le commerce reçoit ses clients (ou recevra, s'il va ouvrir).",
        ),
        field(
            "quartier",
            "Quartier",
            "singleline",
            help_text="Le nom que les habitants donnent au quartier du commerce.",
        ),
        field("vous", "Vous", "section", help_text="La personne que l'équipe contactera."),
        field("nom_et_prenom", "Nom et prénom", "singleline", purpose="name"),
        field(
            "courriel",
            "Adresse électronique",
            "email",
            purpose="email",
            help_text="Vous y recevrez la confirmation et la réponse du jury.",
        ),
        field("telephone", "Téléphone", "tel", purpose="tel"),
        field("votre_projet", "Votre projet", "section"),
        field(
            "description_du_projet",
            "Description du projet",
            "multiline",
            help_text="Quel besoin du quartier votre projet sert-il ? Qui en profitera ? Avec quels partenaires ?",
        ),
        field(
            "budget",
            "Budget prévisionnel (en euros)",
            "number",
            required=False,
            help_text="Le montant des investissements prévus, par exemple 15000.",
        ),
        field(
            "aide_demandee",
            "Aide demandée",
            "amount",
            required=False,
            help_text="Le montant que vous demandez au programme, par exemple 5 000 €.",
        ),
        field("local_trouve", "Avez-vous déjà un local ?", "yes_no", required=False),
        field(
            "photo_du_local",
            "Photo du local",
            "file",
            allowed_kinds=["jpeg", "png", "webp"],
            max_size_mb=10,
            help_text="Une photo de la devanture ou de la salle.",
        ),
        field(
            "business_plan",
            "Business plan",
            "file",
            allowed_kinds=["pdf"],
            max_size_mb=10,
            help_text="Votre plan d'affaires ou, à défaut, un budget détaillé.",
        ),
        field(
            "consentement",
            "J'accepte que mes données soient utilisées pour instruire ma candidature.",
            "consent",
            description=CONSENT_TEXT,
        ),
        field(
            "droit_a_l_image",
            "J'autorise la publication des photos de mon commerce si ma candidature est retenue.",
            "image_rights",
            required=False,
            description=IMAGE_RIGHTS_TEXT,
        ),
    ]


OPEN_CALL_BODY = [
    heading("Qui peut candidater ?"),
    rich(
        "<p>Les cafés, restaurants, tiers-lieux et épiceries situés dans un quartier prioritaire de la "
        "politique de la ville (QPV) ou à proximité, déjà ouverts ou qui ouvrent dans les prochaines "
        "semaines, et dont le projet répond à un besoin quotidien du quartier : accès au numérique, "
        "inclusion sociale des femmes, formation professionnelle des jeunes…</p>"
    ),
    heading("Ce que le programme apporte"),
    rich(
        "<ul><li>Le financement d'investissements (matériel, aménagement, équipement numérique).</li>"
        "<li>Un accompagnement en communication, recherche, financement et partenariats locaux.</li>"
        "<li>Une place dans le réseau des lauréats, qui apprennent les uns des autres.</li></ul>"
    ),
    heading("Calendrier"),
    rich(
        "<p>Les dates de clôture et d'annonce des lauréats sont indiquées en haut de cette page. Le jury "
        "étudie les candidatures après la clôture ; chaque candidat reçoit une réponse par courriel "
        "(calendrier donné à titre d'exemple).</p>"
    ),
    {
        "type": "faq",
        "value": {
            "title": "Questions fréquentes",
            "items": [
                {
                    "question": "Mon commerce n'est pas encore ouvert, puis-je candidater ?",
                    "answer": "<p>Oui : certains lauréats ouvrent dans les semaines qui suivent leur sélection.</p>",
                },
                {
                    "question": "Puis-je remplir le formulaire depuis mon téléphone ?",
                    "answer": "<p>Oui. Préparez une photo de votre local et votre business plan en PDF.</p>",
                },
                {
                    "question": "Qui contacter en cas de problème ?",
                    "answer": '<p>Écrivez à <a href="mailto:contact@quartierscafes.org">'
                    "contact@quartierscafes.org</a> en indiquant votre référence si vous en avez une.</p>",
                },
            ],
        },
    },
]


def open_call_page(index, now):
    """The open demo call, created or refreshed and published (``CallCannotOpen`` while it
    lacks its criteria and decision texts)."""
    return get_or_create_child(
        index,
        CallPage,
        "appel-a-candidatures-2026",
        title="Appel à candidatures 2026",
        summary=(
            "Cafés, restaurants, tiers-lieux, épiceries : votre commerce fait vivre un quartier prioritaire ? "
            "Présentez votre projet pour être financé et accompagné."
        ),
        search_description="Candidatez à Quartiers Cafés : financement et accompagnement des commerces de quartier.",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=120),
        body=OPEN_CALL_BODY,
        thank_you_text=(
            "<p>L'équipe de Quartiers Cafés étudiera votre candidature après la clôture de l'appel. "
            "Vous recevrez la réponse du jury par courriel.</p>"
        ),
        to_address="contact@quartierscafes.org",
        subject="Nouvelle candidature",
        # Three sections (« Votre commerce », « Vous », « Votre projet »): three steps.
        form_in_steps=True,
        form_fields=in_order(open_call_fields()),
    )


EXAMPLE_CALL_SLUG = "appel-2025-exemple"


def example_closed_call_page(index):
    """A closed call written as an example (« Appel 2025 (exemple) »): its fictitious laureates
    show the laureates' records, payments and coaching plans (``laureates/demo.py``). The
    2020 edition keeps only what the programme's public material says."""
    return get_or_create_child(
        index,
        CallPage,
        EXAMPLE_CALL_SLUG,
        title="Appel 2025 (exemple)",
        summary=(
            "Un appel fictif, clos, créé pour la démonstration du site : ses candidatures et ses "
            "lauréats sont des exemples."
        ),
        search_description="Appel à candidatures d'exemple, clos, pour la démonstration du site.",
        opens_at=datetime.datetime(2025, 3, 3, 9, 0, tzinfo=PARIS),
        closes_at=datetime.datetime(2025, 5, 30, 23, 59, tzinfo=PARIS),
        envelope=Decimal("60000.00"),
        body=[rich("<p>Cet appel est un exemple : il montre le suivi des lauréats d'un appel clos.</p>")],
        to_address="contact@quartierscafes.org",
        subject="Nouvelle candidature",
        form_fields=in_order(open_call_fields()),
    )


@register(20)
def load(home, stdout):
    index = get_or_create_child(
        home,
        CallIndexPage,
        "appels",
        title="Appels à candidatures",
        show_in_menus=True,
        intro=(
            "Vous tenez un commerce de proximité dans ou près d'un quartier prioritaire ? "
            "Retrouvez ici les appels à candidatures ouverts, à venir et passés."
        ),
        search_description="Les appels à candidatures de Quartiers Cafés.",
    )
    now = timezone.now()
    try:
        open_call = open_call_page(index, now)
    except CallCannotOpen as refused:
        # First load: its criteria and decision texts come with the moderation's demo
        # (moderation/demo.py), which publishes it then. A draft until that point.
        open_call = refused.page
        CallPage.objects.filter(pk=open_call.pk, first_published_at__isnull=True).update(live=False)
    get_or_create_child(
        index,
        CallPage,
        "appel-a-candidatures-2020",
        title="Appel à candidatures 2020",
        summary=(
            "Le premier appel de Quartiers Cafés, avant ce site : 87 candidatures venues de 12 régions, "
            "et les premiers lauréats récompensés en décembre 2020."
        ),
        search_description="Le premier appel à candidatures de Quartiers Cafés, clos en décembre 2020.",
        opens_at=datetime.datetime(2020, 10, 1, 9, 0, tzinfo=PARIS),
        closes_at=datetime.datetime(2020, 12, 4, 23, 59, tzinfo=PARIS),
        body=[
            rich(
                "<p>Cet appel est clos. Antérieur à ce site, il a reçu 87 candidatures de 12 régions, "
                "surtout d'Île-de-France, "
                "de Provence-Alpes-Côte d'Azur, d'Occitanie et du Grand Est ; les lauréats ont été "
                "récompensés à partir de décembre 2020.</p>"
            )
        ],
        form_fields=in_order(
            [
                field("nom_du_commerce", "Nom du commerce", "singleline", purpose="organization"),
                field("courriel", "Adresse électronique", "email", purpose="email"),
                field("description_du_projet", "Description du projet", "multiline"),
            ]
        ),
    )
    example_closed_call_page(index)
    home = HomePage.objects.get(pk=home.pk)
    if home.call_teaser_page_id != open_call.pk:
        home.call_teaser_page = open_call
        home.save_revision().publish()
    stdout.write("Appels à candidatures : 2026 (ouvert), 2025 (exemple, clos) et 2020 (clos).\n")
