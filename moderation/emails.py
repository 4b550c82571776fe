"""The decision email: the text the editor wrote on the call for this outcome, in plain
text (an applicant's name is never put into HTML), with the reference and the call, and
the signature of every email to an applicant (``calls.emails``)."""

from django.core.mail import EmailMessage

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
