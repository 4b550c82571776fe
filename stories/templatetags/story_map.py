from django import template
from wagtail.models import Page

from stories.map import laureate_map

register = template.Library()


@register.simple_tag(takes_context=True)
def story_map(context, index, selected=None):
    """The laureates' map of a story index (``stories.map.laureate_map``), or None off a page."""
    if not isinstance(index, Page):
        return None
    return laureate_map(index, index.get_url(request=context.get("request")), selected)
