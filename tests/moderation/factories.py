"""Factories for the moderation queue: calls with a form and criteria, applications with
answers in form order, attachments in the private storage, reviewers and moderators.

The call pages themselves come from ``tests.calls.factories`` (one factory per page); a
moderated call is a closed one, with the form below, scoring criteria and decision texts.
"""

import itertools
import uuid

import factory
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from calls.attachments.storage import private_storage
from calls.models import Application, Attachment, CallPage
from moderation.groups import create_groups
from moderation.models import DecisionEmail, ScoringCriterion
from tests.calls.factories import CallPageFactory, add_form_fields
from tests.calls.samples import pdf_bytes
from tests.factories import UserFactory

_references = itertools.count(1)

FIELDS = [
    {"label": "Votre commerce", "field_type": "section", "clean_name": "section"},
    {"label": "Nom du commerce", "field_type": "singleline", "purpose": "organization"},
    {"label": "Nom et prénom", "field_type": "singleline", "purpose": "name"},
    {"label": "Courriel", "field_type": "email", "purpose": "email"},
    {"label": "Commune", "field_type": "singleline", "purpose": "address-level2"},
    {"label": "Quartier", "field_type": "singleline"},
    {"label": "Région", "field_type": "region"},
    {"label": "Type de commerce", "field_type": "business_kind"},
    {"label": "Description du projet", "field_type": "multiline"},
    {"label": "Budget", "field_type": "number"},
    {"label": "Business plan", "field_type": "file", "allowed_kinds": ["pdf"]},
]

CRITERIA = [("Utilité pour le quartier", 2), ("Solidité du projet", 1)]

DECISIONS = {
    "laureate": ("Votre candidature est retenue", "Bonne nouvelle : votre projet est lauréat."),
    "non_retenue": ("Votre candidature", "Nous ne pouvons pas retenir votre projet cette année."),
}


def make_call(parent, criteria=CRITERIA, decisions=DECISIONS, **kwargs):
    """A closed call (unless ``opens_at`` / ``closes_at`` say otherwise) with the form above,
    its scoring criteria and its decision texts."""
    call = CallPageFactory(parent=parent, closed=True, **kwargs)
    add_form_fields(call, FIELDS)
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
