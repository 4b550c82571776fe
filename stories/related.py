"""A story's neighbours: related stories (same theme or region) and the previous and next
stories in the index's order (by title).

Three queries whatever the number of stories: the previous and next stories together (two
scalar subqueries in one SELECT), the related cards with their hero image, and the card
renditions of those. The answer, with the story's themes, is kept per generation of the page
cache (``home.chrome``): publishing, moving or deleting a page, or changing a theme or an
image, starts a new one. Previews (a draft's themes) are never cached.
"""

from django.db.models import Case, Count, IntegerField, Q, Subquery, Value, When

from home.chrome import CHROME

from .filters import CARD_DEFERRED, live_stories, with_card_images

RELATED_COUNT = 3


def related_stories(story, siblings, theme_ids, limit=RELATED_COUNT):
    """Stories sharing a theme or the region, those sharing the most themes first."""
    shared = Count("themes", filter=Q(themes__in=theme_ids), distinct=True) if theme_ids else Value(0)
    candidates = (
        siblings.annotate(
            shared_themes=shared,
            same_region=Case(When(region=story.region, then=1), default=0, output_field=IntegerField()),
        )
        .filter(Q(shared_themes__gt=0) | Q(same_region=1))
        .order_by("-shared_themes", "-same_region", "title", "pk")
        .defer(*CARD_DEFERRED)
    )
    return list(with_card_images(candidates)[:limit])


def previous_and_next(story, siblings):
    """The stories just before and after this one in the index (ordered by title, then id),
    in one query."""
    before = Q(title__lt=story.title) | Q(title=story.title, pk__lt=story.pk)
    after = Q(title__gt=story.title) | Q(title=story.title, pk__gt=story.pk)
    previous_pk = siblings.filter(before).order_by("-title", "-pk").values("pk")[:1]
    next_pk = siblings.filter(after).order_by("title", "pk").values("pk")[:1]
    pair = siblings.filter(Q(pk=Subquery(previous_pk)) | Q(pk=Subquery(next_pk))).only("title", "url_path")
    previous = following = None
    for neighbour in pair:
        if (neighbour.title, neighbour.pk) < (story.title, story.pk):
            previous = neighbour
        else:
            following = neighbour
    return previous, following


def compute_neighbours(story):
    themes = list(story.themes.order_by("name"))
    # Built once: live_stories() reads the view restrictions (cached) when it is called.
    siblings = live_stories(story.get_parent()).exclude(pk=story.pk)
    previous, following = previous_and_next(story, siblings)
    return {
        "themes": themes,
        "related_stories": related_stories(story, siblings, [theme.pk for theme in themes]),
        "previous_story": previous,
        "next_story": following,
    }


def story_neighbours(story, *, cache=True):
    """The story's themes, related stories and previous/next, from the cache when allowed."""
    if not cache:
        return compute_neighbours(story)
    return CHROME.cached("story-neighbours", [story.pk], lambda: compute_neighbours(story))
