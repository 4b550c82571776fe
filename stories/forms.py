"""The story page's admin form: a laureate's photo is never published without a description.

Photos copied from an application (``LaureatePhoto``, moderation/promote.py) arrive with an
empty alternative text for the editor to write: the image's title is only a label for the
image library, and an empty alt would tell screen readers the photo is decorative. Saving a
draft stays possible (Wagtail defers validation then); publishing, or submitting to a
workflow, is refused while the hero image or a gallery photo from the laureate is not
described.
"""

from django.apps import apps
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


def undescribed_laureate_photos(images):
    """The images among ``images`` copied from an application whose alt text is empty."""
    ids = {image.pk for image in images if image is not None and not (image.alt_text or "").strip()}
    if not ids:
        return []
    LaureatePhoto = apps.get_model("stories", "LaureatePhoto")
    copied = set(LaureatePhoto.objects.filter(image_id__in=ids).values_list("image_id", flat=True))
    return [image for image in images if image is not None and image.pk in copied]


class StoryPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        if self.is_deferred_validation:  # a draft, a preview: the editor is still writing
            return cleaned
        hero = cleaned.get("hero_image")
        gallery = []
        formset = self.formsets.get("gallery_images")
        if formset is not None:
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None) or {}
                if data.get("image") is not None and not data.get("DELETE"):
                    gallery.append(data["image"])
        seen, images = set(), []
        for image in [hero, *gallery]:
            if image is not None and image.pk not in seen:
                seen.add(image.pk)
                images.append(image)
        missing = undescribed_laureate_photos(images)
        if missing:
            message = _(
                "Décrivez d'abord les photos du lauréat (texte alternatif, dans la médiathèque) : %(titles)s. "
                "Une photo sans description ne peut pas être publiée."
            ) % {"titles": ", ".join(f"« {image.title} »" for image in missing)}
            if hero is not None and hero in missing:
                self.add_error("hero_image", message)
            else:
                self.add_error(None, message)
        return cleaned
