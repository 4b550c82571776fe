"""The decision email: the text the editor wrote on the call for this outcome, in plain
text (an applicant's name is never put into HTML), with the reference and the call, and
the signature of every email to an applicant (``calls.emails``).

The request for information (``build_information_request``) carries the team's message and
the link to the applicant's space.

``{nom}`` in the text is replaced by the applicant's name. ``text_warnings`` finds what must
not go out: a missing or empty text, example wording left from the demo or a template.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from calls import links
from calls.emails import from_address, notification_recipients, reference_lines, signature_lines
from calls.models import Application
from home.links import absolute_url
from home.models import SiteSettings

from .models import Assignment, DecisionEmail, Review

NAME_PLACEHOLDER = "{nom}"

# Wording that says a text was never finished: « (Texte d'exemple.) », lorem ipsum, XXX,
# « à compléter », a placeholder in brackets.
EXAMPLE_WORDING = re.compile(
    r"texte d[’']exemple|exemple de texte|lorem ipsum|\bxxx+\b|à compléter|\[[^\]]{0,40}\]|\btodo\b",
    re.IGNORECASE,
)


def decision_text(page, outcome):
    return DecisionEmail.objects.filter(page=page, outcome=outcome).order_by("sort_order", "pk").first()


def text_warnings(text):
    """French warnings about a decision text (None: no text at all)."""
    if text is None:
        return [_("Aucun texte n'est écrit pour cette décision : aucun courriel ne partira.")]
    warnings = []
    if not text.subject.strip() or not text.body.strip():
        warnings.append(_("L'objet ou le texte est vide."))
    for part in (text.subject, text.body):
        found = EXAMPLE_WORDING.search(part or "")
        if found:
            warnings.append(_("Le texte contient encore une formule d'exemple : « %(words)s ».") % {"words": found[0]})
    return warnings


def build_decision(application, outcome, text=None):
    """The message, or None when the call has no text for this outcome or no address."""
    if not application.applicant_email:
        return None
    text = decision_text(application.page, outcome) if text is None else text
    if text is None:
        return None
    name = application.applicant_name or _("Madame, Monsieur")
    body = "\n".join(
        [text.body.strip().replace(NAME_PLACEHOLDER, name), "", *reference_lines(application), "", *signature_lines()]
    )
    subject = " ".join(f"{text.subject.replace(NAME_PLACEHOLDER, name)} ({application.reference})".split())
    return EmailMessage(
        subject=subject, body=body, from_email=from_address(application.page), to=[application.applicant_email]
    )


# A message that already greets the applicant (« Bonjour Awa, », « Madame, ») is not
# greeted twice.
GREETING = re.compile(r"^\s*(bonjour|bonsoir|madame|monsieur|cher|chère|salut)\b", re.IGNORECASE)


def application_team_url(application):
    """The application's page in the moderation queue, for the team's notification
    (registered as ``calls.links.TEAM``)."""
    return absolute_url(reverse("moderation:application", args=[application.pk]))


def build_information_request(application, message):
    """The team's request for information, with the link to the application in the space."""
    if not application.applicant_email:
        return None
    message = message.strip()
    greeting = [] if GREETING.match(message) else [_("Bonjour,"), ""]
    body = "\n".join(
        [
            *greeting,
            _("L'équipe de Quartiers Cafés a besoin d'informations sur votre candidature :"),
            "",
            message,
            "",
            *reference_lines(application),
            "",
            _("Pour répondre, ouvrez votre candidature dans votre espace candidat :"),
            links.link(links.SPACE, application) or "",
            _(
                "Si vous n'êtes pas connecté, indiquez l'adresse électronique de votre candidature : le lien de "
                "connexion reçu vous mène directement à votre candidature, où vous pouvez répondre et joindre "
                "des documents."
            ),
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


def build_assignment(reviewer_id, application_ids):
    """One email to a reviewer for a batch of assignments: how many, the calls, the references
    (no applicant's data) and the link to their list. None without an address."""
    reviewer = get_user_model().objects.filter(pk=reviewer_id, is_active=True).first()
    if reviewer is None or not reviewer.email:
        return None
    applications = list(
        Application.objects.filter(pk__in=application_ids).select_related("page").order_by("page__title", "reference")
    )
    if not applications:
        return None
    count = len(applications)
    lines = [
        _("Bonjour %(name)s,") % {"name": reviewer.get_full_name() or reviewer.get_username()},
        "",
        ngettext(
            "Une candidature vous est confiée pour évaluation :",
            "%(count)s candidatures vous sont confiées pour évaluation :",
            count,
        )
        % {"count": count},
        *[f"- {application.reference} ({application.page.title})" for application in applications],
        "",
        _("Votre liste : %(url)s") % {"url": absolute_url(reverse("moderation:queue"))},
        "",
        *signature_lines(),
    ]
    subject = ngettext(
        "Quartiers Cafés : une candidature à évaluer",
        "Quartiers Cafés : %(count)s candidatures à évaluer",
        count,
    ) % {"count": count}
    return EmailMessage(subject=subject, body="\n".join(lines), to=[reviewer.email])


def conflict_recipients(review):
    """The call's team addresses (« Adresses de l'équipe » of the call); without them, the
    moderator who assigned the reviewer."""
    recipients = notification_recipients(review.application.page)
    if recipients:
        return recipients
    assignment = review.application.assignments.filter(reviewer_id=review.reviewer_id).select_related("assigned_by")
    assigner = getattr(assignment.first(), "assigned_by", None)
    return [assigner.email] if assigner is not None and assigner.email else []


def build_conflict(review_id):
    """The team's notice of a conflict of interest: the reference, the call, the reviewer and
    the link to the application, where another reviewer is assigned (no applicant's data).
    None when the conflict is gone or nobody can be told."""
    review = (
        Review.objects.filter(pk=review_id, conflict_of_interest=True)
        .select_related("application", "application__page", "reviewer")
        .first()
    )
    if review is None:
        return None
    recipients = conflict_recipients(review)
    if not recipients:
        return None
    application = review.application
    name = review.reviewer.get_full_name() or review.reviewer.get_username()
    url = absolute_url(reverse("moderation:application", args=[application.pk]))
    lines = [
        _(
            "%(name)s a déclaré un conflit d'intérêts sur la candidature %(reference)s (« %(title)s ») : elle lui est "
            "désormais fermée."
        )
        % {"name": name, "reference": application.reference, "title": application.page.title},
        "",
        _("Confiez-la à un autre évaluateur depuis sa page : %(url)s") % {"url": url},
        "",
        *signature_lines(),
    ]
    return EmailMessage(
        subject=_("Conflit d'intérêts sur la candidature %(reference)s") % {"reference": application.reference},
        body="\n".join(lines),
        from_email=from_address(application.page),
        to=recipients,
    )


def answer_recipients(application):
    """The call's team (the addresses told of new applications) and the reviewers assigned."""
    recipients = notification_recipients(application.page)
    reviewers = (
        Assignment.objects.filter(application=application, reviewer__is_active=True)
        .exclude(reviewer__email="")
        # A reviewer who declared a conflict of interest is no longer told anything of it.
        .exclude(
            reviewer__in=Review.objects.filter(application=application, conflict_of_interest=True).values("reviewer")
        )
    )
    for email in reviewers.order_by("pk").values_list("reviewer__email", flat=True):
        if email.lower() not in {address.lower() for address in recipients}:
            recipients.append(email)
    return recipients


def build_answer_notification(application, files=0):
    """The team is told that the applicant answered its request (no answer in the email: it is
    read in the admin, where the queue marks it « Réponse reçue »). None without a recipient."""
    recipients = answer_recipients(application)
    if not recipients:
        return None
    lines = [
        _("Le candidat a répondu à votre demande d'informations sur la candidature %(reference)s (« %(title)s »).")
        % {"reference": application.reference, "title": application.page.title},
        _("La candidature est de nouveau en instruction."),
    ]
    if files:
        lines.append(ngettext("%(n)s document joint.", "%(n)s documents joints.", files) % {"n": files})
    lines += [
        "",
        _("La réponse dans l'administration : %(url)s")
        % {"url": absolute_url(reverse("moderation:application", args=[application.pk]))},
        "",
        *signature_lines(),
    ]
    return EmailMessage(
        subject=_("Réponse reçue — %(reference)s") % {"reference": application.reference},
        body="\n".join(lines),
        from_email=from_address(application.page),
        to=recipients,
    )


def build_erasure_done(erasure_request):
    """The applicant is told that the erasure they asked for is done (plain text)."""
    lines = [
        _("Bonjour,"),
        "",
        _(
            "Vous avez demandé le %(date)s l'effacement de vos données depuis votre espace candidat. C'est fait : "
            "vos candidatures, leurs fichiers et vos brouillons ne contiennent plus aucune donnée personnelle."
        )
        % {"date": timezone.localtime(erasure_request.requested_at).strftime("%d/%m/%Y")},
        _("Seules des statistiques anonymes restent (l'appel, la région, le type de commerce, le statut)."),
        "",
        *signature_lines(),
    ]
    return EmailMessage(
        subject=_("Vos données sont effacées"),
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[erasure_request.email],
    )


def correction_recipients(application):
    """The call's team addresses; without them, the site's contact address."""
    recipients = notification_recipients(application.page)
    if recipients:
        return recipients
    site = Site.objects.filter(is_default_site=True).first()
    contact = SiteSettings.for_site(site).contact_email if site is not None else ""
    return [contact] if contact else []


def build_correction_notification(entry):
    """The team's notice of an applicant's correction request, with their text (read in the
    admin too, in the application's history). None without a recipient."""
    application = entry.application
    recipients = correction_recipients(application)
    if not recipients:
        return None
    lines = [
        _("Le candidat demande une correction de ses données sur la candidature %(reference)s (« %(title)s ») :")
        % {"reference": application.reference, "title": application.page.title},
        "",
        entry.comment,
        "",
        _("Répondez-lui dans un délai d'un mois. La candidature dans l'administration : %(url)s")
        % {"url": absolute_url(reverse("moderation:application", args=[application.pk]))},
        "",
        *signature_lines(),
    ]
    return EmailMessage(
        subject=_("Demande de correction — %(reference)s") % {"reference": application.reference},
        body="\n".join(lines),
        from_email=from_address(application.page),
        to=recipients,
    )
