"""The emails of the applicant's space (plain text): the sign-in link, the draft's link. The
team's request for information is ``moderation.emails``'s. Sending, with retries, is
``tasks.py``'s job."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from calls.emails import signature_lines

from .links import absolute, space_url


def sign_in_message(account, token, next_path=""):
    url = absolute(reverse("applicants:sign_in", args=[token]))
    if next_path:
        url += "?" + urlencode({"suite": next_path})
    minutes = settings.SESAME_MAX_AGE // 60
    body = "\n".join(
        [
            _("Bonjour,"),
            "",
            _("Pour ouvrir votre espace candidat sur le site de Quartiers Cafés, suivez ce lien :"),
            url,
            "",
            _(
                "Le lien fonctionne une seule fois, pendant %(minutes)s minutes. Un nouveau lien remplace le "
                "précédent. Si vous n'avez rien demandé, ignorez ce courriel : personne ne peut entrer sans lui."
            )
            % {"minutes": minutes},
            "",
            *signature_lines(),
        ]
    )
    return EmailMessage(
        subject=_("Votre lien vers l'espace candidat Quartiers Cafés"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[account.email],
    )


def closing_line(page):
    closes = date_format(timezone.localtime(page.closes_at), "l j F Y à H\\hi")
    return _("Les candidatures à « %(title)s » ferment le %(date)s (heure de Paris).") % {
        "title": page.title,
        "date": closes,
    }


def draft_message(account, token, draft, reminder=False):
    """``token``: the draft's resume link (calls.drafts.resume_token), not a sign-in link."""
    url = absolute(reverse("applicants:draft_resume", args=[token]))
    body = "\n".join(
        [
            _("Bonjour,"),
            "",
            _("Votre brouillon n'est pas encore envoyé et l'appel ferme bientôt. Pour le reprendre, suivez ce lien :")
            if reminder
            else _(
                "Votre brouillon de candidature est enregistré, avec vos fichiers. Pour le reprendre, suivez ce lien :"
            ),
            url,
            "",
            closing_line(draft.page),
            _(
                "Ce lien ouvre ce brouillon seulement, depuis n'importe quel navigateur, autant de fois que "
                "nécessaire pendant %(days)s jours et jusqu'à l'envoi de la candidature. Gardez-le pour vous : il "
                "donne accès à vos réponses. Un nouveau lien, demandé depuis l'espace candidat, remplace celui-ci : "
                "%(space)s"
            )
            % {"days": settings.CALLS_DRAFT_LINK_MAX_AGE_DAYS, "space": space_url()},
            _(
                "Si vous n'avez pas commencé cette candidature, ignorez ce courriel : le brouillon ne sera pas lié à "
                "votre adresse et sera supprimé."
            ),
            "",
            *signature_lines(),
        ]
    )
    return EmailMessage(
        subject=(
            _("Rappel : votre brouillon à « %(title)s » n'est pas envoyé")
            if reminder
            else _("Votre brouillon de candidature à « %(title)s »")
        )
        % {"title": draft.page.title},
        body=body,
        from_email=draft.page.from_address or settings.DEFAULT_FROM_EMAIL,
        to=[account.email],
    )
