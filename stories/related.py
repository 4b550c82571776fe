"""A story's neighbours: related stories (same theme or region) and the previous and next
stories in the index's order (by title).

Each is a fixed number of queries whatever the number of stories: the related cards come
with their hero image and card renditions in one query plus one prefetch.
"""

from django.db.models import Case, Count, IntegerField, Q, Value, When

from .filters import live_stories, with_card_images

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
    )
    return list(with_card_images(candidates)[:limit])


def previous_and_next(story, siblings):
    """The stories just before and after this one in the index (ordered by title, then id)."""
    before = Q(title__lt=story.title) | Q(title=story.title, pk__lt=story.pk)
    after = Q(title__gt=story.title) | Q(title=story.title, pk__gt=story.pk)
    previous = siblings.filter(before).order_by("-title", "-pk").only("title", "url_path").first()
    following = siblings.filter(after).order_by("title", "pk").only("title", "url_path").first()
    return previous, following


def story_neighbours(story):
    themes = list(story.themes.order_by("name"))
    # Built once: live_stories() reads the view restrictions when it is called.
    siblings = live_stories(story.get_parent()).exclude(pk=story.pk)
    previous, following = previous_and_next(story, siblings)
    return {
        "themes": themes,
        "related_stories": related_stories(story, siblings, [theme.pk for theme in themes]),
        "previous_story": previous,
        "next_story": following,
    }
