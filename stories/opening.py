"""A story's « ouverture » set to « Ouvert » from outside the editor (a laureate who marks
their opening done in their space: ``laureates.plan``).

The least surprising move for the team: the change is a new revision of the page, logged
in its history like an editor's. A live page with no unpublished changes is republished
(the public page says « Ouvert » at once); a page still in draft, or with an editor's
unpublished changes, only gets the revision: whoever publishes it next publishes the
opening with their own work, never half of it.
"""

from .models import StoryPage
from .taxonomy import OpeningStatus

UNCHANGED = "unchanged"
PUBLISHED = "published"
DRAFTED = "drafted"


def mark_open(story, user=None):
    """Set ``story``'s opening status to « Ouvert »; return ``PUBLISHED``, ``DRAFTED`` or
    ``UNCHANGED``. Call it inside the caller's transaction: the page row is locked."""
    story = StoryPage.objects.select_for_update().get(pk=story.pk)
    latest = story.get_latest_revision_as_object()
    if latest.opening_status == OpeningStatus.OUVERT and story.opening_status == OpeningStatus.OUVERT:
        return UNCHANGED
    publish = story.live and not story.has_unpublished_changes
    latest.opening_status = OpeningStatus.OUVERT
    # clean=False: only a choice field changes; a draft the editor has not finished (a
    # required text still empty) must not stop the laureate's milestone.
    revision = latest.save_revision(user=user, log_action=True, clean=False)
    if publish:
        revision.publish(user=user, log_action=True)
        return PUBLISHED
    return DRAFTED
