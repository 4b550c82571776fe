"""The decision email: the text the editor wrote on the call for this outcome, in plain
text (an applicant's name is never put into HTML), with the reference and the call, and
the signature of every email to an applicant (``calls.emails``).

``{nom}`` in the text is replaced by the applicant's name. ``text_warnings`` finds what must
not go out: a missing or empty text, example wording left from the demo or a template.
"""

import re

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from calls.emails import from_address, reference_lines, signature_lines

from .models import DecisionEmail

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
