"""The laureates' emails (plain text): the reminder before a milestone's due date."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
