"""The coaching plan's forms: the laureate's « fait » (text and files, the applications'
upload checks) and the team's edits (milestone, coaching areas, note)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from calls.attachments.kinds import KINDS
from calls.file_fields import AttachmentField
from calls.forms import CallBoundField

from .models import CoachingArea, MilestoneStatus

DONE_TEXT_MAX_LENGTH = 2000


class MilestoneDoneForm(forms.Form):
    """The laureate's « C'est fait » on one milestone. The files are checked by
    ``AttachmentField`` (``calls.attachments.validation.validate_upload``)."""

    bound_field_class = CallBoundField  # the call form's help, hints and errors
    text = forms.CharField(
        label=_("Ce qui a été fait"),
        max_length=DONE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quelques lignes pour l'équipe, par exemple la date d'ouverture et les premiers retours."),
        error_messages={
            "required": _("Écrivez quelques mots sur ce qui a été fait."),
            "max_length": _("Le texte dépasse %(limit_value)d caractères : raccourcissez-le."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"] = AttachmentField(
            kinds=list(KINDS),
            max_size=settings.CALLS_MAX_UPLOAD_SIZE,
            multiple=True,
            required=False,
            label=_("Photos ou documents (facultatif)"),
        )


class MilestoneForm(forms.Form):
    """The team adds a milestone or changes one (date, status)."""

    label = forms.CharField(label=_("Étape"), max_length=200)
    due_on = forms.DateField(
        label=_("Échéance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Indiquez une date valide, par exemple 15/03/2027.")},
    )
    status = forms.ChoiceField(label=_("Statut"), choices=MilestoneStatus.choices, initial=MilestoneStatus.A_FAIRE)
    is_opening = forms.BooleanField(
        label=_("Étape d'ouverture"),
        required=False,
        help_text=_("Une fois faite, le récit du lauréat passe à « Ouvert »."),
    )


class CoachingAreasForm(forms.Form):
    areas = forms.ModelMultipleChoiceField(
        label=_("Domaines d'accompagnement suivis"),
        queryset=CoachingArea.objects.order_by("sort_order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note de l'équipe"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Jamais montrée au lauréat."),
        error_messages={"required": _("Écrivez la note.")},
    )
