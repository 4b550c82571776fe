"""The list's emails. Each one carries the one-click unsubscribe (RFC 8058): the
``List-Unsubscribe`` header with the link's URL, ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``, and the same link in the text, which works without signing in.
https://www.rfc-editor.org/rfc/rfc8058
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _

from home.links import absolute_url
from home.templatetags.french_dates import date_fr

from . import tokens


def unsubscribe_url(subscriber):
    return absolute_url(reverse("mailing:unsubscribe", args=[tokens.unsubscribe_token(subscriber)]))


def confirm_url(subscriber):
    return absolute_url(reverse("mailing:confirm", args=[tokens.confirm_token(subscriber)]))


def call_url(call):
    url = call.url or ""
    return absolute_url(url) if url.startswith("/") else url


def _message(subscriber, subject, lines):
    link = unsubscribe_url(subscriber)
    body = "\n".join(
        [
            *lines,
            "",
            _("Pour ne plus recevoir ces courriels, un clic suffit :"),
            link,
            "",
            "-- ",
            _("Quartiers Cafés — ce courriel est envoyé automatiquement."),
        ]
    )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def build_confirmation(subscriber):
    days = settings.MAILING_CONFIRMATION_MAX_AGE_DAYS
    if subscriber.is_confirmed:
        intro = _(
            "Cette adresse est déjà inscrite à la liste « prévenez-moi du prochain appel ». "
            "Pour renouveler votre inscription, ouvrez ce lien :"
        )
    else:
        intro = _(
            "Vous avez demandé à être prévenu ou prévenue de l'ouverture du prochain appel à "
            "candidatures Quartiers Cafés. Pour confirmer votre inscription, ouvrez ce lien :"
        )
    lines = [
        _("Bonjour,"),
        "",
        intro,
        confirm_url(subscriber),
        "",
        _(
            "Ce lien est valable %(days)s jours. Si vous n'avez rien demandé, ignorez ce courriel : "
            "sans confirmation, l'adresse est effacée."
        )
        % {"days": days},
    ]
    return _message(subscriber, _("Confirmez votre inscription — Quartiers Cafés"), lines)


def build_call_announcement(subscriber, call):
    lines = [
        _("Bonjour,"),
        "",
        _("Un nouvel appel à candidatures Quartiers Cafés est ouvert : « %(title)s ».") % {"title": call.title},
        _("Les candidatures sont reçues jusqu'au %(date)s.") % {"date": date_fr(call.closes_at, "time")},
        "",
        _("Lire l'appel et candidater :"),
        call_url(call),
        "",
        _(
            "Vous recevez ce courriel parce que vous vous êtes inscrit ou inscrite à la liste "
            "« prévenez-moi du prochain appel »."
        ),
    ]
    return _message(subscriber, _("Un appel à candidatures est ouvert : %(title)s") % {"title": call.title}, lines)
