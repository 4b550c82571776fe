"""Factories for the moderation queue: calls with a form and criteria, applications with
answers in form order, attachments in the private storage, reviewers and moderators."""

import datetime
import io
import itertools
import uuid

import factory
import wagtail_factories
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from calls.attachments.storage import private_storage
from calls.models import Application, Attachment, CallFormField, CallIndexPage, CallPage
from moderation.groups import create_groups
from moderation.models import DecisionEmail, ScoringCriterion
from tests.factories import UserFactory

_references = itertools.count(1)


class CallIndexFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CallIndexPage

    title = "Appels à candidatures"
    slug = "appels"


class CallFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CallPage

    title = factory.Sequence(lambda n: f"Appel {2040 + n}")
    slug = factory.Sequence(lambda n: f"appel-moderation-{n}")
    summary = "Présentez votre commerce de quartier."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=60))
    closes_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    confirmation_subject = "Candidature reçue"
    confirmation_body = "Bonjour."


FIELDS = [
    ("section", "Votre commerce", "section", ""),
    ("nom_du_commerce", "Nom du commerce", "singleline", "organization"),
    ("nom_et_prenom", "Nom et prénom", "singleline", "name"),
    ("courriel", "Courriel", "email", "email"),
    ("commune", "Commune", "singleline", "address-level2"),
    ("quartier", "Quartier", "singleline", ""),
    ("region", "Région", "region", ""),
    ("type_de_commerce", "Type de commerce", "business_kind", ""),
    ("description_du_projet", "Description du projet", "multiline", ""),
    ("budget", "Budget", "number", ""),
    ("business_plan", "Business plan", "file", ""),
]

CRITERIA = [("Utilité pour le quartier", 2), ("Solidité du projet", 1)]

DECISIONS = {
    "laureate": ("Votre candidature est retenue", "Bonne nouvelle : votre projet est lauréat."),
    "non_retenue": ("Votre candidature", "Nous ne pouvons pas retenir votre projet cette année."),
}


def make_call(parent, criteria=CRITERIA, decisions=DECISIONS, **kwargs):
    call = CallFactory(parent=parent, **kwargs)
    for order, (key, label, field_type, purpose) in enumerate(FIELDS):
        CallFormField.objects.create(
            page=call,
            sort_order=order,
            clean_name=key,
            label=label,
            field_type=field_type,
            purpose=purpose,
            required=field_type != "section",
            allowed_kinds=["pdf"] if field_type == "file" else [],
        )
    for order, (label, weight) in enumerate(criteria):
        ScoringCriterion.objects.create(page=call, sort_order=order, label=label, weight=weight)
    for order, (outcome, (subject, body)) in enumerate(decisions.items()):
        DecisionEmail.objects.create(page=call, sort_order=order, outcome=outcome, subject=subject, body=body)
    return CallPage.objects.get(pk=call.pk)


def form_data_for(call, values):
    """The answers as the form stores them: by field key, in form order, with labels."""
    data = {}
    for field in call.form_fields.order_by("sort_order"):
        if field.field_type == "section":
            continue
        value = values.get(field.clean_name, "")
        if field.field_type == "file":
            names = value or []
            data[field.clean_name] = {
                "label": field.label,
                "type": "file",
                "value": names,
                "display": ", ".join(names),
                "position": len(data),
            }
        else:
            data[field.clean_name] = {
                "label": field.label,
                "type": field.field_type,
                "value": value,
                "display": value,
                "position": len(data),
            }
    return data


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        exclude = ("quartier", "description", "budget", "files")

    reference = factory.LazyFunction(lambda: f"QC-2099-{next(_references):04d}")
    applicant_name = "Awa Diallo"
    applicant_email = "awa@example.org"
    business_name = "Le Petit Zinc"
    town = "Aubervilliers"
    region = "ile-de-france"
    business_kind = "cafe"
    quartier = "Villette - Quatre-Chemins"
    description = "Un café avec des ordinateurs ouverts au public et des repas suspendus."
    budget = "12000"
    files = ()
    form_data = factory.LazyAttribute(
        lambda o: form_data_for(
            o.page,
            {
                "nom_du_commerce": o.business_name,
                "nom_et_prenom": o.applicant_name,
                "courriel": o.applicant_email,
                "commune": o.town,
                "quartier": o.quartier,
                "region": o.region,
                "type_de_commerce": o.business_kind,
                "description_du_projet": o.description,
                "budget": o.budget,
                "business_plan": list(o.files),
            },
        )
    )


def pdf_bytes():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def add_attachment(application, display_name="business-plan.pdf", field_key="business_plan", content=None):
    content = pdf_bytes() if content is None else content
    name = private_storage().save(f"applications/test/{uuid.uuid4().hex}.pdf", ContentFile(content))
    return Attachment.objects.create(
        application=application,
        field_key=field_key,
        file=name,
        display_name=display_name,
        content_type="application/pdf",
        size=len(content),
    )


def user_in(group_name, **kwargs):
    """A user in one of the groups made by the data migration (made again if a
    transactional test flushed the database)."""
    if not Group.objects.filter(name=group_name).exists():
        create_groups()
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user
