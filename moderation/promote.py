"""A laureate's application becomes a draft story under /laureats/, in one action.

The draft is filled from the application (business name, town, neighbourhood when an
answer gives it, region, kind of business, a summary from the project description) and
linked both ways through ``moderation.StoryLink``: ``application.story_link.story`` and
``story.application_link.application``. The stories app never imports calls; the link
lives on this side. The editor then writes the story and publishes it.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from calls.models import Status
from stories.models import StoryIndexPage, StoryPage, Theme
from stories.taxonomy import BusinessKind

from .models import HistoryEntry, StoryLink

NEIGHBOURHOOD_HINTS = ("quartier", "qpv")
DESCRIPTION_HINTS = ("description", "projet")
SUMMARY_MAX = 400
# The summary is the applicant's own text: marked for the editor to rewrite before publishing.
APPLICANT_WORDS = "[Mots du candidat, à réécrire] "


class CannotPromote(Exception):
    pass


def _answer(application, hints, types=None):
    """The first answer whose key or label contains one of ``hints``."""
    for answer in application.answers():
        if types and answer.get("type") not in types:
            continue
        haystack = f"{answer.get('key', '')} {answer.get('label', '')}".lower()
        if any(hint in haystack for hint in hints) and answer.get("display"):
            return str(answer["display"]).strip()
    return ""


def story_fields(application):
    """The StoryPage fields the application gives."""
    business_name = (application.business_name or application.reference).strip()
    description = _answer(application, DESCRIPTION_HINTS, types={"multiline"}) or _answer(
        application, DESCRIPTION_HINTS
    )
    return {
        "title": business_name[:255],
        "business_name": business_name[:120],
        "town": (application.town or "")[:120],
        "neighbourhood": _answer(application, NEIGHBOURHOOD_HINTS)[:160],
        "region": application.region,
        "kind": application.business_kind or BusinessKind.AUTRE,
        "summary": (
            APPLICANT_WORDS + Truncator(" ".join(description.split())).chars(SUMMARY_MAX - len(APPLICANT_WORDS))
            if description
            else business_name
        ),
        "laureate_year": timezone.localtime(application.page.closes_at).year,
        **territory_fields(application),
    }


def territory_fields(application):
    """The address, the point and the QPV check of the application (calls/qpv_check.py)."""
    fields = {
        "commune_code": application.commune_code,
        "qpv_code": application.qpv_code,
        "qpv_name": application.qpv_name,
        "qpv_distance_m": application.qpv_distance_m,
        "qpv_max_distance_m": application.page.qpv_max_distance_m,
    }
    if application.latitude is not None and application.longitude is not None:
        fields.update(
            latitude=Decimal(f"{application.latitude:.6f}"), longitude=Decimal(f"{application.longitude:.6f}")
        )
    for answer in application.answers():
        value = answer.get("value")
        if answer.get("type") == "address" and isinstance(value, dict):
            fields["street_address"] = f"{value.get('street', '')}, {value.get('postal_code', '')}"[:255]
            break
    return fields


def matching_themes(application):
    """The themes whose name appears in the answers (accents and case as written)."""
    text = " ".join(str(answer.get("display", "")) for answer in application.answers()).lower()
    return [theme for theme in Theme.objects.all() if theme.name.lower() in text]


def similar_stories(application):
    """Stories already about the same business (same name, same town), to warn the editor."""
    name = (application.business_name or "").strip()
    if not name:
        return StoryPage.objects.none()
    return StoryPage.objects.filter(business_name__iexact=name, town__iexact=(application.town or "").strip())


def _free_slug(index, base):
    base = (slugify(base) or "laureat")[:200]
    taken = set(index.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def create_story(application, user):
    """Create the draft StoryPage of a laureate application; raise ``CannotPromote``."""
    if application.status != Status.LAUREATE:
        raise CannotPromote(_("Seule une candidature lauréate peut devenir un récit."))
    existing = StoryLink.objects.filter(application=application).select_related("story").first()
    if existing is not None:
        raise CannotPromote(_("Le récit « %(title)s » existe déjà pour cette candidature.") % {"title": existing.story})
    index = StoryIndexPage.objects.first()
    if index is None:
        raise CannotPromote(_("Créez d'abord la page des lauréats (/laureats/)."))
    fields = story_fields(application)
    if not fields["region"] or not fields["town"]:
        raise CannotPromote(
            _("La région et la commune sont nécessaires au récit : elles manquent (données effacées ?).")
        )
    with transaction.atomic():
        story = StoryPage(slug=_free_slug(index, fields["business_name"]), live=False, owner=user, **fields)
        index.add_child(instance=story)
        themes = matching_themes(application)
        if themes:
            story.themes.set(themes)
        story.save_revision(user=user, log_action=True)
        StoryLink.objects.create(application=application, story=story, created_by=user)
        HistoryEntry.objects.create(
            application=application,
            kind=HistoryEntry.Kind.STORY,
            user=user,
            comment=_("Brouillon du récit « %(title)s » créé.") % {"title": story.title},
        )
    return story
