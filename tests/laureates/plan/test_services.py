"""The coaching plan's services: a milestone marked done (text, checked files, history, the
story's opening), the team's edits, and what is refused without changing anything."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.utils import timezone

from calls.attachments.kinds import KINDS
from calls.attachments.validation import validate_upload
from laureates import plan
from laureates.models import Actor, CoachingArea, Milestone, MilestoneFile, MilestoneStatus, TeamNote
from stories.models import StoryPage
from stories.taxonomy import OpeningStatus
from tests.calls.samples import image_bytes, upload
from tests.factories import UserFactory
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


def photo():
    return validate_upload(upload("devanture.png", image_bytes("PNG")), list(KINDS), 10_000_000)


def stored_names():
    storage = storages["private"]
    try:
        return storage.listdir("laureates")[1]
    except FileNotFoundError:
        return []


def opening_of(laureate):
    return laureate.milestones.get(is_opening=True)


def test_milestone_done_with_text_and_photo(awa_laureate):
    milestone = awa_laureate.milestones.get(label="Travaux")
    plan.mark_milestone_done(milestone, "  Travaux finis, peinture comprise.  ", [photo()])
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FAIT and milestone.done_at is not None
    assert milestone.done_text == "Travaux finis, peinture comprise."
    stored = MilestoneFile.objects.get(milestone=milestone)
    assert stored.original_name == "devanture.png" and stored.content_type == "image/png"
    assert stored.file.name.startswith("laureates/") and storages["private"].exists(stored.file.name)
    entry = awa_laureate.history.get()
    assert entry.actor == Actor.LAUREAT and entry.user is None
    assert entry.action == "Étape faite : Travaux" and "devanture.png" in entry.detail


def test_opening_publishes_a_live_story_without_pending_changes(awa_laureate, home_page):
    story = StoryPageFactory(parent=StoryIndexPageFactory(parent=home_page), opening_status="ouverture-prochaine")
    story.save_revision().publish()
    awa_laureate.story = story
    awa_laureate.save()
    plan.mark_milestone_done(opening_of(awa_laureate), "Ouvert samedi.", [])
    story = StoryPage.objects.get(pk=story.pk)
    assert story.opening_status == OpeningStatus.OUVERT and not story.has_unpublished_changes
    assert "Le récit indique désormais « Ouvert »." in awa_laureate.history.get().detail


def test_opening_on_a_draft_story_is_a_revision_for_the_next_publication(awa_laureate, home_page):
    story = StoryPageFactory(
        parent=StoryIndexPageFactory(parent=home_page), opening_status="ouverture-prochaine", live=False
    )
    story.save_revision()
    awa_laureate.story = story
    awa_laureate.save()
    plan.mark_milestone_done(opening_of(awa_laureate), "Ouvert samedi.", [])
    story = StoryPage.objects.get(pk=story.pk)
    assert not story.live and story.opening_status == "ouverture-prochaine"
    assert story.get_latest_revision_as_object().opening_status == OpeningStatus.OUVERT


def test_a_laureate_who_left_cannot_mark_a_milestone(awa_laureate):
    awa_laureate.left_at = timezone.now()
    awa_laureate.save()
    milestone = awa_laureate.milestones.get(label="Travaux")
    with pytest.raises(ValidationError) as refused:
        plan.mark_milestone_done(milestone, "Fini.", [photo()])
    assert "ne faites plus partie du réseau" in refused.value.messages[0]
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.A_FAIRE
    assert not MilestoneFile.objects.exists() and not awa_laureate.history.exists()
    assert stored_names() == []  # the file written before the refusal is deleted


def test_a_milestone_is_marked_done_once(awa_laureate):
    milestone = awa_laureate.milestones.get(label="Travaux")
    plan.mark_milestone_done(milestone, "Fini.", [])
    with pytest.raises(ValidationError, match="déjà marquée comme faite"):
        plan.mark_milestone_done(milestone, "Encore.", [])
    milestone.refresh_from_db()
    assert milestone.done_text == "Fini." and awa_laureate.history.count() == 1


def test_a_milestone_before_the_call_is_refused(awa_laureate):
    user = UserFactory()
    before = timezone.localdate(awa_laureate.call.opens_at) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        plan.add_milestone(awa_laureate, user, "Bilan à 6 mois", before)
    assert refused.value.messages[0].startswith("L'échéance ne peut pas précéder l'appel")
    assert awa_laureate.milestones.count() == 3 and not awa_laureate.history.exists()
    milestone = awa_laureate.milestones.get(label="Travaux")
    with pytest.raises(ValidationError):
        plan.change_milestone(milestone, user, before, MilestoneStatus.A_FAIRE)
    assert Milestone.objects.get(pk=milestone.pk).due_on == milestone.due_on


def test_team_edits_are_recorded_with_who(awa_laureate):
    user = UserFactory(first_name="Nadia", last_name="Équipe")
    added = plan.add_milestone(
        awa_laureate, user, "Bilan à 6 mois", timezone.localdate() + datetime.timedelta(days=200)
    )
    assert added.sort_order == 3
    milestone = awa_laureate.milestones.get(label="Travaux")
    Milestone.objects.filter(pk=milestone.pk).update(reminder_sent_at=timezone.now())
    new_date = timezone.localdate() + datetime.timedelta(days=90)
    plan.change_milestone(milestone, user, new_date, MilestoneStatus.A_FAIRE)
    milestone.refresh_from_db()
    assert milestone.due_on == new_date and milestone.reminder_sent_at is None  # the new date is reminded
    areas = list(CoachingArea.objects.filter(name__in=["Communication", "Partenariats locaux"]))
    assert plan.set_coaching_areas(awa_laureate, user, areas)
    assert not plan.set_coaching_areas(awa_laureate, user, areas)  # no change, no entry
    plan.add_note(awa_laureate, user, "Rappeler après les travaux.")
    entries = list(awa_laureate.history.all())
    assert [e.action for e in entries] == [
        "Étape ajoutée : Bilan à 6 mois",
        "Étape modifiée : Travaux",
        "Domaines d'accompagnement modifiés",
        "Note de l'équipe ajoutée",
    ]
    assert {e.user_name for e in entries} == {"Nadia Équipe"}
    assert "Rappeler" not in entries[-1].detail and TeamNote.objects.get().author == user
