"""The coaching plan: what a laureate and the team do to it.

- The laureate marks a milestone done, with a short text and files (``mark_milestone_done``):
  the files went through ``calls.attachments.validation.validate_upload`` in the form (type
  from the content, size, PDF active content, pixel budget, antivirus) and are written to the
  private storage under ``laureates/`` (not ``applications/``: the orphan sweep of the
  applications' files does not look there). Milestone, files and history entry are one
  transaction; a failure deletes the files already written. The « Ouverture » milestone
  (``is_opening``) sets the linked story's opening status (``stories.opening.mark_open``).
- The team adds a milestone, changes its date or status, sets the coaching areas and writes
  notes (never shown to the laureate).
- Erasure (``erase_milestones`` and ``erase_notes``, run by ``retention.erase_contact`` with the
  contact data): what the laureate wrote and sent with their milestones goes — the texts, the
  files (rows, and the stored files once the erasure is committed), the texts and file names in
  the « Étape faite » history entries; the milestones stay with their status and dates (the
  plan's progress and the figures read them). The team's notes lose their text (free text about
  a laureate often names its contact person); each note's row stays with its author and date,
  as the milestones do, and says on the plan's page that it was erased.

Every change writes one ``LaureateHistoryEntry`` (who, when, what). A refused change raises
``ValidationError`` with a French message and changes nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from calls.attachments.storage import StoredFiles
from stories import opening

from .files import erase as erase_files
from .models import (
    Actor,
    Laureate,
    Milestone,
    MilestoneFile,
    MilestoneStatus,
    TeamNote,
    milestone_file_name,
)
from .services import empty_history_details
from .services import write_history as record

DONE_ACTION = gettext_noop("Étape faite : %(label)s")


def earliest_due_on(laureate):
    """No milestone falls before the call: its opening day, or the edition's 1 January for a
    laureate made by hand without a call."""
    if laureate.call_id is not None:
        return timezone.localdate(laureate.call.opens_at)
    return datetime.date(laureate.edition, 1, 1)


def check_due_on(laureate, due_on):
    if due_on is None:
        return
    earliest = earliest_due_on(laureate)
    if due_on < earliest:
        raise ValidationError(
            _("L'échéance ne peut pas précéder l'appel : choisissez une date à partir du %(date)s.")
            % {"date": date_format(earliest, "j F Y")},
            code="before_call",
        )


def _locked_member(laureate_id, message):
    laureate = Laureate.objects.select_for_update(of=("self",)).select_related("call").get(pk=laureate_id)
    if not laureate.is_member:
        raise ValidationError(message, code="left")
    return laureate


def _done(milestone, laureate, text, user):
    """Mark ``milestone`` (locked) done now; the opening milestone opens the story. Returns
    a sentence for the history about the story, or ""."""
    milestone.status = MilestoneStatus.FAIT
    milestone.done_at = timezone.now()
    milestone.done_text = text
    milestone.save(update_fields=["status", "done_at", "done_text"])
    if not milestone.is_opening or laureate.story_id is None:
        return ""
    outcome = opening.mark_open(laureate.story, user=user)
    if outcome == opening.PUBLISHED:
        return _("Le récit indique désormais « Ouvert ».")
    if outcome == opening.DRAFTED:
        return _("Le brouillon du récit indique « Ouvert » : il sera visible à sa prochaine publication.")
    return ""


def mark_milestone_done(milestone, text, files):
    """The laureate marks ``milestone`` done with ``text`` and checked files (``CleanFile``)."""
    text = (text or "").strip()
    with StoredFiles() as stored, transaction.atomic():
        laureate = _locked_member(
            milestone.laureate_id,
            _("Votre parcours est clos : vous ne faites plus partie du réseau des lauréats."),
        )
        current = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if current.status == MilestoneStatus.FAIT:
            raise ValidationError(_("Cette étape est déjà marquée comme faite."), code="already_done")
        for clean in files:
            name = stored.write(milestone_file_name(None, clean.display_name), clean.content)
            MilestoneFile.objects.create(
                milestone=current,
                file=name,
                original_name=clean.display_name,
                content_type=clean.content_type,
                size=clean.size,
            )
        story_line = _done(current, laureate, text, None)
        lines = [text]
        if files:
            lines.append(_("Fichiers joints : %(names)s") % {"names": ", ".join(c.display_name for c in files)})
        if story_line:
            lines.append(story_line)
        record(
            laureate,
            _(DONE_ACTION) % {"label": current.label},
            "\n".join(line for line in lines if line),
            actor=Actor.LAUREAT,
        )
    return current


def erase_milestones(laureate):
    """Erase what ``laureate`` wrote and sent with their milestones, inside the caller's
    transaction (the laureate's row locked): see the module's docstring. Returns ``(texts,
    files)`` counts; the stored files are deleted after the commit."""
    texts = Milestone.objects.filter(laureate=laureate).exclude(done_text="").update(done_text="")
    erased_files = erase_files(MilestoneFile.objects.filter(milestone__laureate=laureate))
    empty_history_details(laureate, DONE_ACTION)
    return texts, erased_files


NOTE_AFTER_ERASURE = gettext_lazy(
    "Les coordonnées de ce lauréat ont été effacées : plus aucune note ne peut être ajoutée, "
    "pour ne pas garder à nouveau des données personnelles à son sujet."
)


def erase_notes(laureate):
    """Empty the text of the team's notes on ``laureate``, inside the caller's transaction (the
    laureate's row locked); the rows stay with their author and date. How many were emptied.
    Their history entries never held the text (``add_note``)."""
    return TeamNote.objects.filter(laureate=laureate).exclude(text="").update(text="")


# --- The team's side ---------------------------------------------------------------------------


def add_milestone(laureate, user, label, due_on=None, is_opening=False):
    with transaction.atomic():
        laureate = Laureate.objects.select_for_update(of=("self",)).select_related("call").get(pk=laureate.pk)
        check_due_on(laureate, due_on)
        last = laureate.milestones.order_by("-sort_order").values_list("sort_order", flat=True).first()
        milestone = Milestone.objects.create(
            laureate=laureate,
            label=label,
            due_on=due_on,
            is_opening=is_opening,
            sort_order=(last or 0) + 1,
        )
        record(laureate, _("Étape ajoutée : %(label)s") % {"label": label}, _due_line(due_on), user=user)
    return milestone


def _due_line(due_on):
    if due_on is None:
        return _("Sans échéance.")
    return _("Échéance : %(date)s.") % {"date": date_format(due_on, "j F Y")}


def change_milestone(milestone, user, due_on, status):
    """The team changes a milestone's due date and status. A new date may be reminded again;
    « Fait » here has the same effects as when the laureate marks it (the story's opening)."""
    with transaction.atomic():
        laureate = Laureate.objects.select_for_update(of=("self",)).select_related("call").get(pk=milestone.laureate_id)
        current = Milestone.objects.select_for_update().get(pk=milestone.pk)
        check_due_on(laureate, due_on)
        lines = []
        if due_on != current.due_on:
            current.due_on = due_on
            current.reminder_sent_at = None
            current.save(update_fields=["due_on", "reminder_sent_at"])
            lines.append(_due_line(due_on))
        if status != current.status:
            if status == MilestoneStatus.FAIT:
                lines.append(_("Marquée faite par l'équipe."))
                lines.append(_done(current, laureate, current.done_text, user))
            else:
                current.status = status
                current.done_at = None
                current.save(update_fields=["status", "done_at"])
                lines.append(_("Remise à faire."))
        if lines:
            record(
                laureate,
                _("Étape modifiée : %(label)s") % {"label": current.label},
                "\n".join(line for line in lines if line),
                user=user,
            )
    return current


def set_coaching_areas(laureate, user, areas):
    with transaction.atomic():
        laureate = Laureate.objects.select_for_update().get(pk=laureate.pk)
        before = set(laureate.coaching_areas.values_list("pk", flat=True))
        after = {area.pk for area in areas}
        if before == after:
            return False
        laureate.coaching_areas.set(areas)
        names = ", ".join(area.name for area in sorted(areas, key=lambda a: (a.sort_order, a.name))) or _("aucun")
        record(laureate, _("Domaines d'accompagnement modifiés"), names, user=user)
    return True


def add_note(laureate, user, text):
    """Refused once the laureate's contact data are erased: a note would bring back the free text
    that the erasure emptied (``erase_notes``). The laureate's row is locked, as the erasure locks
    it, so a note and an erasure at the same moment cannot cross."""
    with transaction.atomic():
        laureate = Laureate.objects.select_for_update(of=("self",)).get(pk=laureate.pk)
        if laureate.contact_erased_at is not None:
            raise ValidationError(NOTE_AFTER_ERASURE, code="erased")
        note = TeamNote.objects.create(laureate=laureate, text=text.strip(), author=user)
        # The note's text stays out of the history: the history may be shown more widely.
        record(laureate, _("Note de l'équipe ajoutée"), user=user)
    return note
