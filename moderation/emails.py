"""The decision email: the text the editor wrote on the call for this outcome, in plain
text (an applicant's name is never put into HTML), with the reference and the call, and
the signature of every email to an applicant (``calls.emails``)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Site

from calls.emails import from_address, reference_lines, signature_lines

from .models import DecisionEmail


def decision_text(page, outcome):
    return DecisionEmail.objects.filter(page=page, outcome=outcome).order_by("sort_order", "pk").first()


def build_decision(application, outcome):
    """The message, or None when the call has no text for this outcome or no address."""
    if not application.applicant_email:
        return None
    text = decision_text(application.page, outcome)
    if text is None:
        return None
    body = "\n".join([text.body.strip(), "", *reference_lines(application), "", *signature_lines()])
    subject = " ".join(f"{text.subject} ({application.reference})".split())
    return EmailMessage(
        subject=subject, body=body, from_email=from_address(application.page), to=[application.applicant_email]
    )


def space_url():
    """The applicant's space (applicants/), by its URL name: moderation never imports it."""
    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    root = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    return root.rstrip("/") + reverse("applicants:space")


def build_information_request(application, message):
    """The team's request for information, with the link to the applicant's space."""
    if not application.applicant_email:
        return None
    body = "\n".join(
        [
            _("Bonjour,"),
            "",
            _("L'équipe de Quartiers Cafés a besoin d'informations sur votre candidature :"),
            "",
            message.strip(),
            "",
            *reference_lines(application),
            "",
            _(
                "Répondez depuis votre espace candidat, en y demandant un lien de connexion avec l'adresse de "
                "votre candidature :"
            ),
            space_url(),
            "",
            *signature_lines(),
        ]
    )
    return EmailMessage(
        subject=_("Informations demandées sur votre candidature %(reference)s") % {"reference": application.reference},
        body=body,
        from_email=from_address(application.page),
        to=[application.applicant_email],
    )
