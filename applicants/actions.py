"""What an applicant does to their own application from the space: answer a request for
information, withdraw. Each move goes through ``moderation.workflow.transition`` (checked
against the state the application is in now, recorded in the history)."""

from functools import partial

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls.attachments.kinds import KINDS
from calls.attachments.storage import StoredFiles
from calls.file_fields import AttachmentField
from calls.forms import CallBoundField
from calls.models import Application, Attachment, Status
from moderation.models import HistoryEntry, UnreadAnswer
from moderation.tasks import enqueue_answer_notification
from moderation.workflow import TransitionNotAllowed, is_decided, transition

ANSWER_MAX_LENGTH = 1800
ANSWER_FIELD_KEY = "complements"


class ActionRefused(Exception):
    """The application is no longer in a state that allows this."""


class AnswerForm(forms.Form):
    bound_field_class = CallBoundField  # the call form's help, hints and errors
    text = forms.CharField(
        label=gettext_lazy("Votre réponse"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Écrivez votre réponse à l'équipe.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"] = AttachmentField(
            kinds=list(KINDS),
            max_size=settings.CALLS_MAX_UPLOAD_SIZE,
            multiple=True,
            required=False,
            label=_("Documents à joindre"),
        )


def answer(application, text, files):
    """Record the applicant's answer, join the files to the application and move it back
    to « en instruction », in one transaction (a failure deletes the files written)."""
    with StoredFiles() as stored, transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.status != Status.INFORMATIONS_DEMANDEES:
            raise ActionRefused
        for clean in files:
            stored.store(clean, Attachment, application=current, field_key=ANSWER_FIELD_KEY)
        comment = text.strip()
        if files:
            comment += "\n\n" + _("Fichiers joints : %(names)s") % {
                "names": ", ".join(clean.display_name for clean in files)
            }
        entry = HistoryEntry.objects.create(
            application=current, kind=HistoryEntry.Kind.APPLICANT_ANSWER, comment=comment
        )
        # The queue marks it « Réponse reçue » until a moderator opens it; the team is emailed.
        UnreadAnswer.objects.update_or_create(application=current, defaults={"received_at": timezone.now()})
        transaction.on_commit(partial(enqueue_answer_notification, entry.pk, len(files)), robust=True)
        try:
            transition(current, Status.EN_INSTRUCTION, None, _("Réponse du candidat reçue : instruction reprise."))
        except TransitionNotAllowed:
            raise ActionRefused from None
    application.status = Status.EN_INSTRUCTION


def can_withdraw(application):
    return not is_decided(application.status) and not application.is_spam


def withdraw(application):
    try:
        transition(application, Status.RETIREE, None, _("Retirée par le candidat depuis son espace."))
    except TransitionNotAllowed:
        raise ActionRefused from None
