"""Story cards rendered once per generation of the page cache.

A card (stories/includes/story_card.html) is the same on every page that lists the story:
the index under any filter, its other pages, the related stories of another story. Rendering
twelve of them (srcset renditions, labels, translations) was most of the index's time, so
each card's HTML is kept in the cache under the page cache's generation (``home.chrome``),
which any change to a page, an image, a theme or a setting starts anew. All the cards of a
list are read in one cache call; a cache that does not answer costs the rendering, never
the page.
"""

import logging

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from wagtail.models import Site

from home.chrome import CHROME

logger = logging.getLogger(__name__)
register = template.Library()

CARD_TEMPLATE = "stories/includes/story_card.html"


@register.simple_tag(takes_context=True)
def story_cards(context, stories, heading_level=2):
    """The ``<li>`` cards of ``stories``, with ``<h{heading_level}>`` titles."""
    if not stories:
        return ""
    request = context.get("request")
    if getattr(request, "is_preview", False):
        return render_cards(context, stories, heading_level)
    # A card's links are relative to the request's site.
    site = Site.find_for_request(request) if request else None
    try:
        prefix = f"{CHROME.prefix}:story-card:{CHROME.generation()}:{site.pk if site else 0}:{heading_level}"
        keys = {story.pk: f"{prefix}:{story.pk}" for story in stories}
        stored = cache.get_many(list(keys.values()))
    except Exception:
        logger.warning("The cache did not answer; rendering the story cards", exc_info=True)
        return render_cards(context, stories, heading_level)
    cards = {pk: stored[key] for pk, key in keys.items() if key in stored}
    missing = [story for story in stories if story.pk not in cards]
    if missing:
        fresh = render_each(context, missing, heading_level)
        cards.update(fresh)
        try:
            cache.set_many({keys[pk]: html for pk, html in fresh.items()}, CHROME.timeout)
        except Exception:
            logger.warning("Could not cache the story cards", exc_info=True)
    return mark_safe("".join(cards[story.pk] for story in stories))


def render_each(context, stories, heading_level):
    card = get_template(CARD_TEMPLATE)
    request = context.get("request")
    return {story.pk: card.render({"story": story, "heading_level": heading_level}, request) for story in stories}


def render_cards(context, stories, heading_level):
    cards = render_each(context, stories, heading_level)
    return mark_safe("".join(cards[story.pk] for story in stories))
