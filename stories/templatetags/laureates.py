from django import template
from wagtail.images import get_image_model

from stories.filters import CARD_IMAGE_SPECS
from stories.models import StoryIndexPage, StoryPage

register = template.Library()
THUMBNAIL_SPEC = CARD_IMAGE_SPECS[0]


@register.simple_tag(takes_context=True)
def laureates_index_url(context):
    """The URL of the live laureates' index (/laureats/), or an empty string (one query).

    The index has no filter by year of the call yet, so a closed call links to the whole index.
    """
    index = StoryIndexPage.objects.live().public().first()
    return index.get_url(request=context.get("request")) if index else ""


@register.simple_tag
def attach_story_thumbnails(results):
    """Give each story among search ``results`` its thumbnail as ``page.thumbnail`` (a rendition).

    The thumbnail is the story cards' small rendition (``THUMBNAIL_SPEC``), read in one query
    whatever the number of results. A rendition not made yet (a story whose card was never
    shown) is not made here: that story is listed without a thumbnail, and the search page
    keeps a fixed cost.
    """
    pages = [getattr(result, "page", None) for result in results or []]
    pages = [page for page in pages if isinstance(page, StoryPage) and page.hero_image_id]
    if not pages:
        return ""
    Rendition = get_image_model().get_rendition_model()
    renditions = Rendition.objects.filter(
        image_id__in={page.hero_image_id for page in pages}, filter_spec=THUMBNAIL_SPEC
    ).only("image_id", "file", "width", "height")
    by_image = {rendition.image_id: rendition for rendition in renditions}
    for page in pages:
        page.thumbnail = by_image.get(page.hero_image_id)
    return ""
