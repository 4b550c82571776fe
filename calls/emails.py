"""The emails an application triggers: the applicant's confirmation and the team's
notification. Plain text only: applicants' answers are never put into HTML.

Sending (and retrying) is ``tasks.py``'s job; here the messages are only written. The
lines every email to an applicant carries (reference, call, signature) are written here
once; the decision email (``moderation.emails``) uses them too.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import links
from .pdf import application_pdf, pdf_filename

logger = logging.getLogger(__name__)


def answer_lines(application):
    """The answers in form order, one « label : display » line each, for an email body."""
    lines = []
    for answer in application.answers():
        if answer.get("type") in {"consent", "image_rights"}:
            display = answer.get("display") or _("Non")
        else:
            display = answer.get("display") or _("(sans réponse)")
        lines.append(f"{answer['label']} : {display}")
    return "\n".join(lines)


def submitted_at(application):
    return date_format(timezone.localtime(application.submit_time), "j F Y à H:i")


def from_address(page):
    return page.from_address or settings.DEFAULT_FROM_EMAIL


def reference_lines(application):
    """The reference and the call, for the applicant to quote when writing to the team."""
    return [
        _("Votre référence : %(reference)s") % {"reference": application.reference},
        _("Appel : %(title)s") % {"title": application.page.title},
    ]


def signature_lines():
    """The end of every email to an applicant (translated when the email is written)."""
    return ["-- ", _("Quartiers Cafés — ce courriel est envoyé automatiquement.")]


def space_lines(application):
    """Where the applicant follows the application and gets its PDF again: the applicant's space
    (its links registered by applicants, ``calls.links``), which asks for a sign-in link sent
    to the application's address, then opens the page asked for. Nothing without the space."""
    space, pdf = links.link(links.SPACE, application), links.link(links.SPACE_PDF, application)
    if not (space and pdf):
        return []
    return [
        _("Suivez votre candidature et répondez à l'équipe depuis votre espace candidat :"),
        space,
        _("Téléchargez-la en PDF depuis votre espace :"),
        pdf,
        _("(L'espace vous envoie un lien de connexion à cette adresse : pas de mot de passe.)"),
    ]


def build_confirmation(application):
    """The applicant's copy, with the PDF of what they sent, or None when the form asked for
    no email address."""
    if not application.applicant_email:
        return None
    page = application.page
    body = "\n".join(
        [
            page.confirmation_body.strip(),
            "",
            *reference_lines(application),
            _("Envoyée le : %(date)s") % {"date": submitted_at(application)},
            "",
            *space_lines(application),
            "",
            _("Copie de vos réponses"),
            "-" * 21,
            answer_lines(application),
            "",
            *signature_lines(),
        ]
    )
    subject = f"{page.confirmation_subject} ({application.reference})"
    message = EmailMessage(subject=subject, body=body, from_email=from_address(page), to=[application.applicant_email])
    try:
        message.attach(pdf_filename(application), application_pdf(application), "application/pdf")
    except Exception:
        # The confirmation matters more than its PDF (the space gives it again).
        logger.exception("Could not write the PDF of application %s", application.reference)
    return message


def notification_recipients(page):
    return [address.strip() for address in (page.to_address or "").split(",") if address.strip()]


def build_notification(application):
    """The team's notice of a new application, or None when the call has no team address."""
    page = application.page
    recipients = notification_recipients(page)
    if not recipients:
        return None
    # The moderation queue's page of this application (Wagtail's submissions list is closed
    # to everyone but superusers), registered by moderation (``calls.links``).
    admin_url = links.link(links.TEAM, application)
    attachments = list(application.attachments.all())
    lines = [
        _("Nouvelle candidature %(reference)s à « %(title)s ».")
        % {"reference": application.reference, "title": page.title},
        _("Envoyée le : %(date)s") % {"date": submitted_at(application)},
        "",
        answer_lines(application),
        "",
    ]
    if attachments:
        lines.append(
            _("%(n)s pièce(s) jointe(s), à consulter dans l'administration (elles ne sont pas envoyées par courriel).")
            % {"n": len(attachments)}
        )
    if admin_url:
        lines.append(_("La candidature dans l'administration : %(url)s") % {"url": admin_url})
    subject = page.subject or _("Nouvelle candidature")
    return EmailMessage(
        subject=f"{subject} — {application.reference}",
        body="\n".join(lines),
        from_email=from_address(page),
        to=recipients,
        reply_to=[application.applicant_email] if application.applicant_email else None,
    )
