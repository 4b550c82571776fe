"""Image rights at promotion: the photos a laureate sent go into their draft story only with
their « Droit à l'image et à la publication » consent; the story keeps a record of it."""

import html
import io
import uuid

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from calls.attachments.images import MAX_IMAGE_PIXELS
from calls.attachments.storage import private_storage
from calls.models import Attachment, CallFormField, Status
from moderation import rgpd
from moderation.models import StoryLink
from moderation.promote import PHOTO_COLLECTION, CannotPromote, promote
from stories.models import ImageRightsConsent, LaureatePhoto, StoryGalleryImage, StoryPage
from tests.calls.samples import image_bytes, jpeg_with_gps
from tests.factories import UserFactory
from tests.moderation.factories import ApplicationFactory, add_attachment
from tests.stories.factories import StoryIndexPageFactory

pytestmark = pytest.mark.django_db

Image = get_image_model()

RIGHTS_TEXT = "Vos photos dans le récit du lauréat et sur nos réseaux, tant que le récit est en ligne."
QUESTION = "J'autorise la publication des photos de mon commerce."
REFUSED = "Le candidat n'a pas donné son accord pour la publication de ses photos : aucune photo copiée."


@pytest.fixture
def laureats(home_page):
    return StoryIndexPageFactory(parent=home_page)


@pytest.fixture
def rights_call(call):
    CallFormField.objects.create(
        page=call,
        sort_order=90,
        label="Photos du local",
        clean_name="photos",
        field_type="file",
        allowed_kinds=["jpeg", "png", "webp"],
        multiple_files=True,
    )
    CallFormField.objects.create(
        page=call,
        sort_order=91,
        label=QUESTION,
        clean_name="droit_image",
        field_type="image_rights",
        description=RIGHTS_TEXT,
    )
    return call


def shown(response):
    """The messages of ``response``, as text (Wagtail's messages carry escaped HTML)."""
    return [html.unescape(str(message)).strip() for message in get_messages(response.wsgi_request)]


def add_photo(application, content, display_name="photo-awa-diallo.jpg"):
    name = private_storage().save(f"applications/test/{uuid.uuid4().hex}.jpg", ContentFile(content))
    kind = "image/png" if content.startswith(b"\x89PNG") else "image/jpeg"
    return Attachment.objects.create(
        application=application,
        field_key="photos",
        file=name,
        display_name=display_name,
        content_type=kind,
        size=len(content),
    )


def laureate_with(call, consent, photos=2):
    application = ApplicationFactory(
        page=call,
        status=Status.LAUREATE,
        business_name="La Marmite Joyeuse",
        town="Marseille",
        region="provence-alpes-cote-d-azur",
        business_kind="restaurant",
    )
    if consent is not None:
        data = dict(application.form_data)
        data["droit_image"] = {
            "label": QUESTION,
            "type": "image_rights",
            "value": consent,
            "display": "Oui" if consent else "Non",
            "text": RIGHTS_TEXT,
            "position": len(data),
        }
        application.form_data = data
        application.save(update_fields=["form_data"])
    for number in range(photos):
        add_photo(application, jpeg_with_gps(64 + number, 48), display_name=f"awa-diallo-{number}.jpg")
    add_attachment(application)  # a PDF: never a photo
    return application


def test_with_consent_the_photos_go_into_the_gallery_and_the_hero(laureats, rights_call, moderator):
    application = laureate_with(rights_call, consent=True)
    promotion = promote(application, moderator)
    story = StoryPage.objects.get(pk=promotion.story.pk)
    gallery = list(story.gallery_images.order_by("sort_order").select_related("image"))
    assert len(gallery) == len(promotion.photos) == 2
    assert story.hero_image == gallery[0].image
    # The draft's revision holds them too: the editor opens the story with its gallery.
    revision = story.get_latest_revision_as_object()
    assert revision.hero_image_id == gallery[0].image_id and len(revision.gallery_images.all()) == 2
    collection = Collection.objects.get(name=PHOTO_COLLECTION)
    for item in gallery:
        image = item.image
        assert image.collection == collection and image.uploaded_by_user == moderator
        # No alt text: the editor describes the photo. Nothing the applicant typed in the
        # title or in the file name.
        assert image.alt_text == ""
        assert "awa" not in image.title.lower() and "awa" not in image.file.name.lower()
        assert image.title.startswith("Photo ") and "La Marmite Joyeuse" in image.title
        assert image.width >= 64 and image.height == 48 and image.file_hash
        # Copied re-encoded: the GPS position of the applicant's photo is not in the library.
        with image.file.open("rb") as stored, PILImage.open(io.BytesIO(stored.read())) as copy:
            assert not copy.getexif()
    assert LaureatePhoto.objects.filter(consent=story.image_rights).count() == 2
    assert application.history.get(kind="story").comment.endswith("2 photos copiées avec l'accord du candidat.")


def test_the_story_keeps_the_record_of_the_consent(laureats, rights_call, moderator):
    application = laureate_with(rights_call, consent=True)
    story = promote(application, moderator).story
    record = ImageRightsConsent.objects.get(story=story)
    assert (record.asked, record.given) == (True, True)
    assert (record.question, record.text) == (QUESTION, RIGHTS_TEXT)
    assert record.answered_at == application.submit_time
    assert record.application_reference == application.reference


def test_without_consent_no_photo_is_copied_and_the_moderator_is_told(client, laureats, rights_call, admin_user):
    application = laureate_with(rights_call, consent=False)
    client.force_login(admin_user)
    response = client.post(reverse("moderation:promote", args=[application.pk]))
    story = StoryLink.objects.get(application=application).story
    assert not story.gallery_images.exists() and story.hero_image is None
    assert not Image.objects.exists() and not LaureatePhoto.objects.exists()
    assert REFUSED in shown(response)
    record = story.image_rights
    assert (record.asked, record.given, record.text) == (True, False, RIGHTS_TEXT)


def test_a_call_that_did_not_ask_copies_nothing(client, laureats, call, admin_user):
    application = laureate_with(call, consent=None)
    client.force_login(admin_user)
    response = client.post(reverse("moderation:promote", args=[application.pk]))
    story = StoryLink.objects.get(application=application).story
    assert not Image.objects.exists()
    assert (story.image_rights.asked, story.image_rights.given) == (False, False)
    assert "L'appel ne demandait pas le droit à l'image : aucune photo du candidat copiée." in shown(response)


def test_the_success_message_counts_the_photos(client, laureats, rights_call, admin_user):
    application = laureate_with(rights_call, consent=True, photos=3)
    client.force_login(admin_user)
    response = client.post(reverse("moderation:promote", args=[application.pk]))
    assert any(
        message.startswith("3 photos du candidat copiées dans la galerie du récit") for message in shown(response)
    )


def test_promoting_again_never_duplicates_the_photos(laureats, rights_call, moderator):
    application = laureate_with(rights_call, consent=True)
    first = promote(application, moderator).story
    with pytest.raises(CannotPromote):
        promote(application, moderator)
    assert Image.objects.count() == 2
    # The draft deleted and made again: the same images are reused, not copied again.
    first_images = set(Image.objects.values_list("pk", flat=True))
    StoryPage.objects.get(pk=first.pk).delete()
    again = promote(application, moderator).story
    assert set(Image.objects.values_list("pk", flat=True)) == first_images
    assert set(StoryGalleryImage.objects.filter(story=again).values_list("image_id", flat=True)) == first_images
    assert ImageRightsConsent.objects.get().story_id == again.pk
    assert Collection.objects.filter(name=PHOTO_COLLECTION).count() == 1


def test_a_photo_over_the_pixel_budget_is_not_copied(laureats, rights_call, moderator):
    application = laureate_with(rights_call, consent=True, photos=1)
    # Stored before the budget existed, or altered in the storage: never decoded.
    side = int(MAX_IMAGE_PIXELS**0.5) + 10
    flood = image_bytes("PNG", size=(side, side), mode="1")
    add_photo(application, flood, display_name="immense.png")
    promotion = promote(application, moderator)
    assert len(promotion.photos) == 1
    assert [name for name, _reason in promotion.skipped] == ["immense.png"]
    assert "millions de pixels" in promotion.skipped[0][1]


def test_a_damaged_photo_is_skipped_and_said(client, laureats, rights_call, admin_user):
    application = laureate_with(rights_call, consent=True, photos=1)
    add_photo(application, b"\xff\xd8\xff" + b"not a jpeg" * 10, display_name="abime.jpg")
    client.force_login(admin_user)
    response = client.post(reverse("moderation:promote", args=[application.pk]))
    assert any(message.startswith("La photo « abime.jpg » n'a pas été copiée") for message in shown(response))
    assert Image.objects.count() == 1


def test_only_moderators_promote(client, laureats, rights_call, reviewer, editor):
    application = laureate_with(rights_call, consent=True)
    for user in (reviewer, editor):
        client.force_login(user)
        response = client.post(reverse("moderation:promote", args=[application.pk]))
        # Wagtail sends a user without the right back to the dashboard, with a message.
        assert response.status_code in (302, 403, 404)
        assert response.get("Location", "") != reverse("moderation:application", args=[application.pk])
    assert not StoryLink.objects.exists() and not Image.objects.exists()
    assert not ImageRightsConsent.objects.exists()


def test_a_failed_promotion_leaves_no_image_behind(laureats, rights_call, moderator, monkeypatch, tmp_path):
    application = laureate_with(rights_call, consent=True)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("moderation.promote.matching_themes", broken)
    with pytest.raises(RuntimeError):
        promote(application, moderator)
    assert not Image.objects.exists() and not StoryPage.objects.exists()
    media = tmp_path / "media" / "original_images"
    assert not media.exists() or not any(media.iterdir())


def test_erasure_keeps_the_consent_record_and_the_story_photos(laureats, rights_call, moderator):
    application = laureate_with(rights_call, consent=True)
    story = promote(application, moderator).story
    rgpd.erase(application, moderator)
    record = ImageRightsConsent.objects.get(story=story)
    # The proof of the right to publish: reference, date, text — nothing personal was in it.
    assert record.application_reference == application.reference and record.text == RIGHTS_TEXT
    assert record.answered_at == application.submit_time and record.given
    assert not Attachment.objects.filter(application=application).exists()
    assert Image.objects.count() == 2 and story.gallery_images.count() == 2


# --- The story's editor -------------------------------------------------------------------


def edit_data(story, action="publish"):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    gallery = list(story.gallery_images.order_by("sort_order"))
    data = nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "business_name": story.business_name,
            "kind": story.kind,
            "town": story.town,
            "region": story.region,
            "opening_status": "ouvert",
            "laureate_year": str(story.laureate_year),
            "summary": "Une cantine de quartier à Noailles.",
            "hero_image": story.hero_image_id or "",
            "body": streamfield([]),
            "gallery_images": inline_formset(
                [
                    {"id": item.pk, "image": item.image_id, "caption": "", "ORDER": str(n)}
                    for n, item in enumerate(gallery)
                ],
                initial=len(gallery),
            ),
            "support_received": rich_text(""),
        }
    )
    if action == "publish":
        data["action-publish"] = "1"
    return data


def test_the_editor_sees_the_record_and_cannot_publish_undescribed_photos(client, laureats, rights_call, moderator):
    application = laureate_with(rights_call, consent=True)
    story = StoryPage.objects.get(pk=promote(application, moderator).story.pk)
    admin = UserFactory(username="redac", is_superuser=True, is_staff=True)
    client.force_login(admin)
    edit = reverse("wagtailadmin_pages:edit", args=[story.pk])
    page = html.unescape(client.get(edit).content.decode())
    assert "Droit à l'image et à la publication" in page
    assert f"Accord donné par le candidat avec sa candidature {application.reference}" in page
    assert RIGHTS_TEXT in page and QUESTION in page
    assert page.count("texte alternatif à écrire") == 2

    # A draft can be saved; publishing is refused while a photo of the laureate has no alt text.
    response = client.post(edit, edit_data(story, action="save"))
    assert response.status_code == 302
    response = client.post(edit, edit_data(story))
    assert response.status_code == 200
    assert "Décrivez d'abord les photos du lauréat" in html.unescape(response.content.decode())
    assert not StoryPage.objects.get(pk=story.pk).live

    for number, image in enumerate(Image.objects.all(), start=1):
        image.alt_text = f"La salle de la cantine, vue {number}"
        image.save()
    response = client.post(edit, edit_data(story))
    assert response.status_code == 302
    story = StoryPage.objects.get(pk=story.pk)
    assert story.live
    # The record stays in the admin: the public page shows neither the text nor the reference.
    public = html.unescape(client.get(story.url).content.decode())
    assert "La salle de la cantine, vue 1" in public
    assert RIGHTS_TEXT not in public and application.reference not in public and QUESTION not in public


def test_a_story_without_a_record_has_no_image_rights_panel(client, laureats, home_page):
    from tests.stories.factories import StoryPageFactory

    story = StoryPageFactory(parent=laureats)
    client.force_login(UserFactory(username="redac", is_superuser=True, is_staff=True))
    page = html.unescape(client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode())
    assert "Droit à l'image et à la publication" not in page


@pytest.mark.parametrize("photos", [1, 3])
def test_the_panel_takes_two_queries_whatever_the_number_of_photos(
    laureats, rights_call, moderator, photos, django_assert_num_queries
):
    from stories.panels import image_rights_context

    application = laureate_with(rights_call, consent=True, photos=photos)
    story = StoryPage.objects.get(pk=promote(application, moderator).story.pk)
    with django_assert_num_queries(2):  # the record, then its photos with their images
        context = image_rights_context(story)
    assert len(context["photos"]) == photos and context["to_describe"] == photos
