"""The legal pages, true by construction: what they state is read from where the site's
behaviour is set, never typed twice.

- Mentions légales and the accessibility statement (RGAA): the site settings
  (``SiteSettings``), which the footer's « Accessibilité : … » reads too.
- Privacy policy: one ``Processing`` per processing of personal data, its retention written
  from the same settings the purge commands and the sign-in use. An app that adds a
  processing registers it here with ``register_processing`` (see the end of this module):
  the page lists exactly what is registered.
- Cookies: ``COOKIES`` lists each cookie the site sets, its name read from Django's settings;
  ``tests/home/test_legal_pages.py`` collects the Set-Cookie names across the journeys and
  checks each is listed.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.models import Page, Site

from .chrome import CHROME, public_q
from .models import AccessibilityPage, CookiesPage, LegalNoticePage, PrivacyPage, SiteSettings

LEGAL_PAGE_MODELS = (LegalNoticePage, AccessibilityPage, PrivacyPage, CookiesPage)
DEFENSEUR_DES_DROITS_URL = "https://formulaire.defenseurdesdroits.fr/"


def days(number):
    return ngettext("%(n)s jour", "%(n)s jours", number) % {"n": number}


def months(number):
    return ngettext("%(n)s mois", "%(n)s mois", number) % {"n": number}


def minutes(number):
    return ngettext("%(n)s minute", "%(n)s minutes", number) % {"n": number}


def duration(seconds):
    """Seconds in the largest whole unit a person reads (days, hours, minutes)."""
    if seconds % 86400 == 0:
        return days(seconds // 86400)
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(n)s heure", "%(n)s heures", hours) % {"n": hours}
    return minutes(max(1, seconds // 60))


# The rights every processing gives, and how to use them, unless it says more.
GENERAL_RIGHTS = _(
    "Accès, rectification, effacement, limitation, opposition et, pour ce que vous avez donné, portabilité : "
    "écrivez à l'adresse de contact du site ; nous répondons dans un délai d'un mois."
)


@dataclass
class Processing:
    name: str
    purpose: str
    legal_basis: str
    data: str
    retention: object  # a callable returning the text, read when the page is shown
    recipients: str
    rights: str = GENERAL_RIGHTS  # what this processing gives and how, when it says more


PROCESSINGS = []


def register_processing(order, processing):
    PROCESSINGS.append((order, processing))
    PROCESSINGS.sort(key=lambda item: item[0])


def processings():
    return [{**processing.__dict__, "retention": processing.retention()} for _order, processing in PROCESSINGS]


# How an applicant uses their rights from the space (applicants/, moderation/rights.py).
SPACE_RIGHTS = _(
    "Depuis votre espace candidat : télécharger vos données (JSON) et votre candidature (PDF), retirer une "
    "candidature tant que la décision n'est pas prise, « Demander une correction » (l'équipe la fait et vous "
    "répond dans un délai d'un mois) et « Effacer mes données » : sans décision en cours, vos candidatures et "
    "vos brouillons sont effacés tout de suite, après confirmation ; sinon (candidature en instruction, décision "
    "préparée, lauréat), votre demande est enregistrée et l'équipe l'exécute dans un délai d'un mois, puis "
    "vous écrit."
)
TEAM = _("l'équipe du programme (GROUPE SOS) et, pour l'évaluation, les membres du jury désignés")

register_processing(
    10,
    Processing(
        name=_("Candidatures aux appels"),
        purpose=_("Instruire les candidatures, choisir les lauréats, informer chaque candidat de la décision."),
        legal_basis=_("Votre consentement et les mesures préalables à l'accompagnement que vous demandez."),
        data=_("Les réponses au formulaire de l'appel, les pièces jointes, la vérification du quartier prioritaire."),
        retention=lambda: (
            _(
                "%(kept)s après la clôture de l'appel ; %(short)s pour les candidatures non retenues, retirées ou "
                "indésirables. Elles sont ensuite effacées."
            )
            % {
                "kept": months(settings.CALLS_RETENTION_MONTHS),
                "short": months(settings.CALLS_RETENTION_MONTHS_NOT_SELECTED),
            }
        ),
        recipients=TEAM,
        rights=SPACE_RIGHTS,
    ),
)
register_processing(
    20,
    Processing(
        name=_("Brouillons de candidature"),
        purpose=_("Vous permettre d'enregistrer une candidature et de la reprendre plus tard."),
        legal_basis=_("Votre demande (mesures préalables à un accompagnement)."),
        data=_("Les réponses déjà saisies, les fichiers déjà joints, l'adresse électronique donnée."),
        retention=lambda: (
            _(
                "Jusqu'à l'envoi de la candidature ou la clôture de l'appel. Un brouillon dont l'adresse n'a pas "
                "été confirmée par le lien reçu est effacé après %(link)s ; le navigateur l'oublie après %(idle)s "
                "sans activité."
            )
            % {
                "link": days(settings.CALLS_DRAFT_LINK_MAX_AGE_DAYS),
                "idle": minutes(settings.CALLS_DRAFT_SESSION_IDLE_MINUTES),
            }
        ),
        recipients=_("Personne : l'équipe ne lit pas les brouillons."),
        rights=SPACE_RIGHTS,
    ),
)
register_processing(
    30,
    Processing(
        name=_("Espace candidat"),
        purpose=_("Vous connecter sans mot de passe pour suivre vos candidatures et vos brouillons."),
        legal_basis=_("Votre demande (mesures préalables à un accompagnement)."),
        data=_(
            "Votre adresse électronique, la date du dernier lien de connexion envoyé, vos demandes "
            "d'effacement et de correction."
        ),
        retention=lambda: (
            _(
                "Un lien de connexion sert une fois, pendant %(link)s. La session se ferme après %(idle)s sans "
                "activité. Le compte est effacé quand il n'a plus ni candidature ni brouillon. Une demande de "
                "correction est effacée avec la candidature ; une demande d'effacement exécutée ne garde que "
                "ses dates et les références effacées, sans votre adresse."
            )
            % {"link": duration(settings.SESAME_MAX_AGE), "idle": duration(settings.APPLICANTS_SESSION_IDLE_SECONDS)}
        ),
        recipients=_("Vous seul ; l'équipe voit les candidatures, pas les connexions."),
        rights=SPACE_RIGHTS,
    ),
)
register_processing(
    40,
    Processing(
        name=_("Comptes de l'équipe"),
        purpose=_("Donner accès à l'administration du site aux personnes qui le gèrent ou évaluent les candidatures."),
        legal_basis=_("L'intérêt légitime du GROUPE SOS à gérer son site."),
        data=_("Nom, adresse électronique, mot de passe chiffré, tentatives de connexion échouées."),
        retention=lambda: (
            _(
                "Tant que la personne fait partie de l'équipe : un administrateur supprime le compte à son "
                "départ. Après %(limit)s échecs, les tentatives de connexion bloquent l'accès pendant %(cooloff)s."
            )
            % {"limit": settings.AXES_FAILURE_LIMIT, "cooloff": duration(int(settings.AXES_COOLOFF_TIME * 3600))}
        ),
        recipients=_("Les administrateurs du site."),
    ),
)
# Other processings (laureates, the network, the mailing list…) are registered by the app
# that stores them, with register_processing(order, Processing(…)) from its AppConfig.ready.


def cookies():
    """Every cookie the site sets (Set-Cookie), with what it is for and how long it lasts."""
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": _(
                "Garde votre connexion à l'espace candidat ou à l'administration, et le brouillon de "
                "candidature de ce navigateur."
            ),
            "duration": _("Jusqu'à la fermeture du navigateur ou au plus %(age)s.")
            % {"age": duration(settings.SESSION_COOKIE_AGE)},
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": _("Protège les formulaires contre l'envoi par un autre site."),
            "duration": duration(settings.CSRF_COOKIE_AGE) if settings.CSRF_COOKIE_AGE else _("La session."),
        },
        {
            "name": CookieStorage.cookie_name,
            "purpose": _("Affiche une seule fois un message de confirmation après une action."),
            "duration": _("Jusqu'à l'affichage du message."),
        },
    ]


def legal_context(page, request):
    site_settings = SiteSettings.for_request(request)
    return {
        "site_settings": site_settings,
        "processings": processings() if isinstance(page, PrivacyPage) else [],
        "cookies": cookies() if isinstance(page, CookiesPage) else [],
        "defenseur_url": DEFENSEUR_DES_DROITS_URL,
        "legal_links": legal_links(request),
    }


def legal_links(request):
    """The footer's legal pages, ``[[title, url, kind], …]`` in a fixed order (kept per generation)."""
    site = Site.find_for_request(request)
    if site is None:
        return []

    def compute():
        pages = (
            Page.objects.type(*LEGAL_PAGE_MODELS)
            .live()
            .filter(public_q())
            .descendant_of(site.root_page, inclusive=True)
            .specific()
        )
        order = {model: position for position, model in enumerate(LEGAL_PAGE_MODELS)}
        pages = sorted(pages, key=lambda page: order[type(page)])
        return [[page.title, page.get_url(request), type(page).__name__] for page in pages]

    return CHROME.cached("legal-links", [site.pk], compute)
