"""Factories for the calls app: the index, call pages with a realistic form, test files.

The moderation tests build their calls from these too (``tests.moderation.factories``
adds its own form, criteria and decision texts): each page has one factory.
"""

import datetime
import io

import factory
import wagtail_factories
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from calls.models import CallFormField, CallIndexPage, CallPage
from tests.calls.samples import pdf_bytes


class CallIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CallIndexPage

    title = "Appels à candidatures"
    slug = "appels"
    intro = "Les appels ouverts, à venir et passés."


class CallPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CallPage

    title = factory.Sequence(lambda n: f"Appel à candidatures {2030 + n}")
    slug = factory.Sequence(lambda n: f"appel-{n}")
    summary = "Présentez votre commerce de quartier."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    thank_you_text = "<p>Le jury se réunit après la clôture.</p>"
    confirmation_subject = "Candidature reçue"
    confirmation_body = "Bonjour,\n\nNous avons bien reçu votre candidature."
    to_address = "equipe@quartierscafes.org"
    subject = "Nouvelle candidature"

    class Params:
        # Opened two months ago, closed yesterday: the applications are being moderated.
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )


class CallFormFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallFormField

    label = factory.Sequence(lambda n: f"Question {n}")
    field_type = "singleline"
    required = True
    sort_order = factory.Sequence(lambda n: n)


STANDARD_FIELDS = [
    {"label": "Votre commerce", "field_type": "section", "help_text": "Le lieu que vous tenez."},
    {"label": "Nom du commerce", "field_type": "singleline", "purpose": "organization"},
    {"label": "Nom et prénom", "field_type": "singleline", "purpose": "name"},
    {"label": "Courriel", "field_type": "email", "purpose": "email"},
    {"label": "Téléphone", "field_type": "tel", "purpose": "tel", "required": False},
    {"label": "Commune", "field_type": "singleline", "purpose": "address-level2"},
    {"label": "Région", "field_type": "region"},
    {"label": "Type de commerce", "field_type": "business_kind"},
    {"label": "SIRET", "field_type": "siret", "required": False},
    {"label": "Projet", "field_type": "multiline"},
    {"label": "Photo du local", "field_type": "file", "allowed_kinds": ["jpeg", "png"], "required": False},
    {"label": "Business plan", "field_type": "file", "allowed_kinds": ["pdf"], "required": False},
    {
        "label": "J'accepte le traitement de mes données",
        "field_type": "consent",
        "description": "Vos données servent à instruire votre candidature ; conservées deux ans.",
    },
]


def add_form_fields(call, fields):
    """The fields of ``call``'s form, in order; each spec is a dict of CallFormField values."""
    for spec in fields:
        CallFormFieldFactory(page=call, **spec)


def make_call(parent, fields=STANDARD_FIELDS, **kwargs):
    call = CallPageFactory(parent=parent, **kwargs)
    add_form_fields(call, fields)
    return CallPage.objects.get(pk=call.pk)


def valid_answers(**overrides):
    data = {
        "nom_du_commerce": "Le Petit Zinc",
        "nom_et_prenom": "Awa Diallo",
        "courriel": "awa@example.org",
        "telephone": "06 12 34 56 78",
        "commune": "Aubervilliers",
        "region": "ile-de-france",
        "type_de_commerce": "cafe",
        "siret": "732 829 320 00074",
        "projet": "Un café avec des ordinateurs ouverts au public.",
        "jaccepte_le_traitement_de_mes_donnees": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def jpeg_file(name="devanture.jpg", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf_file(name="business-plan.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def exe_renamed_pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


def call_admin_post_data(fields, **overrides):
    """The call editor's POST creating a call whose form has ``fields`` (dicts of the
    CallFormField inline's values; a file field's ``allowed_kinds`` are checkboxes: one key,
    several values)."""
    now = timezone.localtime()
    data = {
        "title": "Appel à candidatures 2031",
        "slug": "appel-2031",
        "summary": "Un appel créé dans l'admin.",
        "opens_at": (now - datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + datetime.timedelta(days=30)).strftime("%Y-%m-%d %H:%M"),
        "body": streamfield([]),
        "thank_you_text": rich_text("<p>Merci.</p>"),
        "confirmation_subject": "Reçu",
        "confirmation_body": "Bonjour.",
        "to_address": "equipe@quartierscafes.org",
        "from_address": "",
        "subject": "Nouvelle candidature",
        "form_fields": inline_formset(
            [{key: value for key, value in field.items() if key != "allowed_kinds"} for field in fields]
        ),
        # The moderation queue's inline panels on the call (empty here).
        "scoring_criteria": inline_formset([]),
        "decision_emails": inline_formset([]),
        "region_targets": inline_formset([]),
    }
    data.update(overrides)
    data = nested_form_data(data)
    for index, field in enumerate(fields):
        if "allowed_kinds" in field:
            data[f"form_fields-{index}-allowed_kinds"] = field["allowed_kinds"]
    return data
