"""The laureates' emails (plain text): the reminders before a milestone's due date and
before a report form's due date."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from calls import field_types
from calls.emails import signature_lines
from home.links import absolute_url


def reminder_message(milestone):
    laureate = milestone.laureate
    due = date_format(milestone.due_on, "l j F Y")
    # The space by its URL name (applicants sits above this app and is never imported).
    url = absolute_url(reverse("applicants:laureate", args=[laureate.pk]))
    body = "\n".join(
        [
            _("Bonjour,"),
            "",
            _("L'étape « %(label)s » du parcours de %(business)s est prévue pour le %(date)s.")
            % {"label": milestone.label, "business": laureate.business_name, "date": due},
            _(
                "Une fois faite, indiquez-le depuis votre espace, avec quelques mots et, si vous le souhaitez, "
                "des photos ou des documents :"
            ),
            url,
            "",
            _(
                "Votre espace s'ouvre avec un lien envoyé à cette adresse. Si la date ne tient plus, répondez à "
                "l'équipe qui vous accompagne : elle ajustera votre parcours."
            ),
            "",
            *signature_lines(),
        ]
    )
    return EmailMessage(
        subject=_("Rappel : « %(label)s » prévue le %(date)s") % {"label": milestone.label, "date": due},
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[laureate.contact_email],
    )


def report_reminder_message(reminder):
    """What to send (the form's questions), by when, and the link to the form in the space."""
    laureate, report_form = reminder.laureate, reminder.report_form
    due = date_format(report_form.due_on, "l j F Y")
    url = absolute_url(reverse("applicants:laureate_report", args=[laureate.pk, report_form.pk]))
    questions = []
    for field in report_form.form_fields.all():
        kind = field_types.get(field.field_type)
        if kind.layout:
            continue
        line = f"- {field.label}"
        if kind.files:
            line += " " + _("(photos ou documents à joindre)")
        elif not field.required:
            line += " " + _("(facultatif)")
        questions.append(line)
    body = "\n".join(
        [
            _("Bonjour,"),
            "",
            _("L'équipe attend le bilan « %(title)s » de %(business)s au plus tard le %(date)s.")
            % {"title": report_form.title, "business": laureate.business_name, "date": due},
            _("Il se remplit en ligne, depuis votre espace, et ne s'envoie qu'une fois. Les questions :")
            if questions
            else _("Il se remplit en ligne, depuis votre espace, et ne s'envoie qu'une fois."),
            *questions,
            "",
            _("Pour le remplir et l'envoyer :"),
            url,
            "",
            _(
                "Votre espace s'ouvre avec un lien envoyé à cette adresse. Si vous ne pouvez pas l'envoyer à "
                "temps, répondez à l'équipe qui vous accompagne."
            ),
            "",
            *signature_lines(),
        ]
    )
    return EmailMessage(
        subject=_("Rappel : votre bilan « %(title)s » à envoyer avant le %(date)s")
        % {"title": report_form.title, "date": due},
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[laureate.contact_email],
    )
