"""A laureate's application becomes a draft story under /laureats/, in one action.

The draft is filled from the application (business name, town, neighbourhood when an
answer gives it, region, kind of business, a summary from the project description) and
linked both ways through ``moderation.StoryLink``: ``application.story_link.story`` and
``story.application_link.application``. The stories app never imports calls; the link
lives on this side. The editor then writes the story and publishes it.

Image rights: the applicant's answer to the call's « Droit à l'image et à la publication »
field is recorded with the story (``stories.ImageRightsConsent``: the question and text as
shown, the date, the reference; nothing personal). Only with that consent are the photos
sent with the application (JPEG, PNG, WebP attachments) copied from the private storage
into Wagtail images, in the « Photos des lauréats » collection, and into the story's gallery
(the first one as hero image). Each photo is checked again as at upload
(``calls.attachments.images.clean_image``: the decoded-pixel budget, a re-encoding without
metadata) before the transaction; each copy is a ``stories.LaureatePhoto`` keyed by the
attachment's stored name, so a photo is never copied twice. The images have no alternative
text: the editor writes it, and the story cannot be published before (stories/forms.py).
"""

import io
import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.images import get_image_model
from wagtail.models import Collection

from calls.attachments.images import clean_image
from calls.attachments.kinds import IMAGE_KINDS, KINDS, detect_kind
from calls.attachments.refusal import Refusal
from calls.models import Application, Status
from stories.models import ImageRightsConsent, LaureatePhoto, StoryGalleryImage, StoryIndexPage, StoryPage, Theme
from stories.taxonomy import BusinessKind

from .models import HistoryEntry, StoryLink

logger = logging.getLogger(__name__)

#: The collection of the image library that receives the laureates' photos.
PHOTO_COLLECTION = "Photos des lauréats"

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


# --- Image rights and photos ------------------------------------------------------------


def image_rights_answer(application):
    """The answer to the call's image-rights field, or None when the call did not ask."""
    for answer in application.answers():
        if answer.get("type") == "image_rights":
            return answer
    return None


@dataclass
class PreparedPhoto:
    """A photo to copy: checked again and re-encoded (``data``), or already copied (``image``)."""

    source: str
    extension: str = ""
    data: bytes = b""
    image: object = None


@dataclass
class Promotion:
    """What ``promote`` did: the story, whether the applicant consented, the photos."""

    story: StoryPage
    asked: bool = False
    consent_given: bool = False
    photos: list = field(default_factory=list)  # the images put into the gallery
    skipped: list = field(default_factory=list)  # (file name shown, reason) of photos not copied


def photo_attachments(application):
    """The application's image attachments (by the type detected at upload), in order."""
    image_types = {KINDS[code].content_type for code in IMAGE_KINDS}
    return [attachment for attachment in application.attachments.all() if attachment.content_type in image_types]


def prepare_photo(attachment):
    """Read a stored photo and check it again as at upload: its kind from its content, then
    ``clean_image`` (no more pixels decoded than the budget, re-encoded without metadata).
    Raise ``Refusal`` with the reason when it cannot be used."""
    try:
        with attachment.file.open("rb") as stored:
            content = io.BytesIO(stored.read())
    except OSError:
        raise Refusal(_("le fichier est introuvable dans le stockage privé."), "missing") from None
    kind = detect_kind(content.getvalue()[:16])
    if kind not in IMAGE_KINDS:
        raise Refusal(_("ce n'est pas une image JPEG, PNG ou WebP."), "kind")
    data = clean_image(content, KINDS[kind], attachment.display_name)
    return PreparedPhoto(source=attachment.file.name, extension=KINDS[kind].extensions[0], data=data)


def prepare_photos(application, promotion):
    """The photos to copy, read and checked before any transaction (decoding takes time)."""
    if not promotion.consent_given:
        return []
    attachments = photo_attachments(application)
    copied = {
        photo.source: photo.image
        for photo in LaureatePhoto.objects.filter(source__in=[a.file.name for a in attachments]).select_related("image")
    }
    prepared = []
    for attachment in attachments:
        if attachment.file.name in copied:
            prepared.append(PreparedPhoto(source=attachment.file.name, image=copied[attachment.file.name]))
            continue
        try:
            prepared.append(prepare_photo(attachment))
        except Refusal as refusal:
            # The reason names the file as the applicant called it: shown to the moderator
            # only, never logged.
            promotion.skipped.append((attachment.display_name, refusal.message))
            logger.warning("Photo %s of application %s not copied: %s", attachment.pk, application.pk, refusal.code)
    return prepared


def photo_collection():
    """« Photos des lauréats », under the root collection (created when missing)."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=PHOTO_COLLECTION).first()
    return existing or root.add_child(name=PHOTO_COLLECTION)


def store_photos(prepared, consent, business_name, user, written):
    """The Wagtail images of ``prepared`` (new ones written to the media storage, their
    names added to ``written`` so that a failed transaction can remove them)."""
    Image = get_image_model()
    collection = None
    images = []
    for number, photo in enumerate(prepared, start=1):
        if photo.image is not None:
            images.append(photo.image)
            continue
        collection = collection or photo_collection()
        # The title labels the photo in the image library; the file's name is random: the
        # name the applicant gave their file never leaves the private storage.
        image = Image(
            title=_("Photo %(number)s — %(business)s (à décrire)") % {"number": number, "business": business_name},
            collection=collection,
            uploaded_by_user=user,
            alt_text="",
            file=ImageFile(io.BytesIO(photo.data), name=f"laureat-{uuid.uuid4().hex}.{photo.extension}"),
        )
        image._set_image_file_metadata()  # size and hash, as Wagtail's upload form does
        try:
            image.save()
        finally:
            if image.file.name and image.file.storage.exists(image.file.name):
                written.append((image.file.storage, image.file.name))
        LaureatePhoto.objects.create(image=image, consent=consent, source=photo.source)
        images.append(image)
    return images


def record_image_rights(application, story):
    """The record of the applicant's answer, kept with the story (one per application)."""
    answer = image_rights_answer(application)
    consent, _created = ImageRightsConsent.objects.update_or_create(
        application_reference=application.reference,
        defaults={
            "story": story,
            "asked": answer is not None,
            "given": bool(answer and answer.get("value") is True),
            "question": (answer or {}).get("label", "")[:255],
            "text": (answer or {}).get("text", ""),
            "answered_at": application.submit_time,
        },
    )
    return consent


# --- The promotion ---------------------------------------------------------------------------


def create_story(application, user):
    """Create the draft StoryPage of a laureate application; raise ``CannotPromote``."""
    return promote(application, user).story


def promote(application, user):
    """Create the draft story of a laureate application, with its image-rights record and,
    with the applicant's consent, their photos; return a ``Promotion``. Raise ``CannotPromote``."""
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
    answer = image_rights_answer(application)
    promotion = Promotion(
        story=None,
        asked=answer is not None,
        consent_given=bool(answer and answer.get("value") is True),
    )
    prepared = prepare_photos(application, promotion)
    written = []
    try:
        with transaction.atomic():
            # Two moderators promoting at once: the second one waits, then finds the story.
            Application.objects.select_for_update().filter(pk=application.pk).first()
            existing = StoryLink.objects.filter(application=application).select_related("story").first()
            if existing is not None:
                raise CannotPromote(
                    _("Le récit « %(title)s » existe déjà pour cette candidature.") % {"title": existing.story}
                )
            story = StoryPage(slug=_free_slug(index, fields["business_name"]), live=False, owner=user, **fields)
            index.add_child(instance=story)
            consent = record_image_rights(application, story)
            images = store_photos(prepared, consent, fields["business_name"], user, written)
            if images:
                if story.hero_image_id is None:
                    story.hero_image = images[0]
                for order, image in enumerate(images):
                    story.gallery_images.add(StoryGalleryImage(image=image, sort_order=order))
                story.save()
            promotion.photos = images
            themes = matching_themes(application)
            if themes:
                story.themes.set(themes)
            story.save_revision(user=user, log_action=True)
            StoryLink.objects.create(application=application, story=story, created_by=user)
            comment = _("Brouillon du récit « %(title)s » créé.") % {"title": story.title}
            if images:
                comment += " " + ngettext(
                    "%(count)s photo copiée avec l'accord du candidat.",
                    "%(count)s photos copiées avec l'accord du candidat.",
                    len(images),
                ) % {"count": len(images)}
            HistoryEntry.objects.create(
                application=application, kind=HistoryEntry.Kind.STORY, user=user, comment=comment
            )
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    promotion.story = story
    return promotion
