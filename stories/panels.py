"""The story editor's « Droit à l'image » panel: what the laureate agreed to about their
photos (the record kept by ``ImageRightsConsent``), and the copied photos still waiting
for a description. Read-only, in the admin only: nothing of it reaches the public page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel


def image_rights_context(story):
    """The record of ``story`` (or None) and its photos, each with its edit link."""
    record = getattr(story, "image_rights", None) if story.pk else None
    if record is None:
        return {"record": None}
    photos = [
        {
            "title": photo.image.title,
            "described": bool(photo.image.alt_text.strip()),
            "edit_url": reverse("wagtailimages:edit", args=[photo.image_id]),
        }
        for photo in record.photos.select_related("image")
    ]
    return {
        "record": record,
        "photos": photos,
        "to_describe": sum(1 for photo in photos if not photo["described"]),
    }


class ImageRightsPanel(Panel):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Droit à l'image et à la publication"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "stories/panels/image_rights_panel.html"

        def is_shown(self):
            # Only a story made from an application has a record (moderation/promote.py).
            return super().is_shown() and self.instance.pk is not None and hasattr(self.instance, "image_rights")

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(image_rights_context(self.instance))
            return context
