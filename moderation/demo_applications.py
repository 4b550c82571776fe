"""Fictitious applications for the demo, in every state, made by the real services.

Each example is sent through the call's own form (``CallPage.get_form_class``: answers
serialised and checked as an applicant's would be, the address's commune and QPV check from
the bundled territory data, ``calls.qpv_check``), stored by ``calls.submission.store_application``
without the applicant's emails, then moved by ``workflow.transition`` / ``stage_decision`` and
scored by ``reviews.save_review`` as the demo's example moderator and reviewers, so that the
history reads as it would. Every business, person and address is an example (« Exemple — … »,
example.org addresses, which no mail server accepts).

Idempotent: an example's idempotency token is derived from its key; an example already stored
is left as it is (its states were played when it was stored).
"""

import datetime
import io
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from PIL import Image
from pypdf import PdfWriter

from calls import qpv_check
from calls.models import Application, Status
from calls.submission import store_application
from territory import geo
from territory.picker import commune_centre

from . import reviews, workflow
from .models import Recommendation

TOKEN_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://quartierscafes.example.org/demo/candidatures")

# The example team: no password (the dev superuser signs in), example.org addresses.
MODERATOR = ("moderatrice.exemple", "Camille", "Exemple", "Modérateurs")
REVIEWERS = [
    ("evaluateur.exemple", "Hugo", "Exemple", "Évaluateurs"),
    ("evaluatrice.exemple", "Inès", "Exemple", "Évaluateurs"),
]

# Where the example businesses are: postal code, and a street that reads as an example.
PLACES = [
    ("93300", "Aubervilliers"),
    ("31100", "Toulouse"),
    ("13003", "Marseille"),
    ("93200", "Saint-Denis"),
    ("67100", "Strasbourg"),
    ("59100", "Roubaix"),
    ("69120", "Vaulx-en-Velin"),
    ("33000", "Bordeaux"),
    ("35200", "Rennes"),
    ("44000", "Nantes"),
    ("76000", "Rouen"),
    ("06300", "Nice"),
    ("34000", "Montpellier"),
    ("21000", "Dijon"),
    ("63000", "Clermont-Ferrand"),
    ("45000", "Orléans"),
    ("80000", "Amiens"),
    ("87000", "Limoges"),
    ("14000", "Caen"),
    ("86000", "Poitiers"),
]

KINDS = ["cafe", "restaurant", "tiers-lieu", "epicerie"]
NAMES = [
    "Café des Tilleuls",
    "Cantine du Marché",
    "Épicerie de la Place",
    "Tiers-lieu des Coteaux",
    "Café du Canal",
    "Restaurant des Voisins",
    "Épicerie Solidaire du Parc",
    "La Fabrique du Quartier",
    "Café de la Gare",
    "Table des Lilas",
    "Épicerie des Quatre Vents",
    "Atelier-Café des Roses",
    "Café des Platanes",
    "Bistrot de la Source",
    "Épicerie du Square",
    "Maison du Lien",
    "Café Tartine",
    "Restaurant de la Passerelle",
    "Petite Épicerie du Pont",
    "Tiers-lieu des Jardins",
    "Café des Arcades",
    "Cantine des Écoles",
    "Épicerie des Tours",
    "Café Lecture des Glycines",
    "Café du Belvédère",
    "Restaurant du Mail",
    "Épicerie de la Butte",
    "Tiers-lieu de la Fontaine",
    "Café des Acacias",
    "Cantine de la Halle",
    "Café des Marronniers",
    "Restaurant du Lavoir",
    "Épicerie des Mimosas",
    "Tiers-lieu du Moulin",
    "Café de l'Horloge",
]
PEOPLE = [
    "Nadia Exemple",
    "Karim Exemple",
    "Sophie Exemple",
    "Moussa Exemple",
    "Claire Exemple",
    "Yanis Exemple",
    "Fatou Exemple",
    "Julien Exemple",
    "Leïla Exemple",
    "Thomas Exemple",
]
PROJECTS = [
    "Un café où les habitants trouvent un ordinateur et de l'aide pour leurs démarches en ligne.",
    "Une cantine qui forme des jeunes du quartier aux métiers de la cuisine et du service.",
    "Une épicerie de produits frais à petits prix, dans un quartier qui n'en a plus.",
    "Un tiers-lieu où les associations du quartier se retrouvent et où les femmes lancent leur activité.",
    "Un café ouvert tôt, avec des repas suspendus et une permanence d'écrivain public.",
]

# The states the 2026 examples are left in, in order; the count of each is the demo's.
OPEN_CALL_PLAN = (
    ["recue"] * 6
    + ["instruction"] * 3
    + ["instruction_assigned"] * 2
    + ["informations"] * 3
    + ["evaluee"] * 6
    + ["preselectionnee"] * 4
    + ["laureate"] * 3
    + ["non_retenue"] * 2
    + ["retiree"]
)
# The example closed call: three laureates announced, two applications not selected.
CLOSED_CALL_PLAN = ["laureate"] * 3 + ["non_retenue"] * 2

INFORMATION_REQUEST = (
    "Bonjour, pouvez-vous nous envoyer le budget détaillé des travaux et préciser la date "
    "d'ouverture prévue ? Merci. (Message d'exemple.)"
)


@dataclass
class Example:
    key: str
    business: str
    kind: str
    postal_code: str
    person: str
    project: str
    budget: int
    requested: int
    plan: str
    placed: bool = True
    extra: dict = field(default_factory=dict)


def examples(prefix, plan, offset=0):
    """The examples of one call, spread over places, kinds and people by their position."""
    made = []
    for position, state in enumerate(plan):
        number = position + offset
        postal_code, _town = PLACES[number % len(PLACES)]
        made.append(
            Example(
                key=f"{prefix}-{position + 1:02d}",
                business=f"Exemple — {NAMES[number % len(NAMES)]}",
                kind=KINDS[number % len(KINDS)],
                postal_code=postal_code,
                person=PEOPLE[number % len(PEOPLE)],
                project=PROJECTS[number % len(PROJECTS)],
                budget=12000 + 1500 * (number % 9),
                requested=5000 + 1000 * (number % 6),
                plan=state,
                # A few without a point on the map: the check by commune (« à vérifier »).
                placed=number % 7 != 3,
            )
        )
    return made


def team_user(username, first_name, last_name, group_name):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@example.org"},
    )
    if created:
        user.set_unusable_password()
        user.save()
    group = Group.objects.filter(name=group_name).first()
    if group is not None:
        user.groups.add(group)
    return user


def demo_team():
    return team_user(*MODERATOR), [team_user(*reviewer) for reviewer in REVIEWERS]


def jpeg_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (242, 193, 78)).save(buffer, format="JPEG")
    return SimpleUploadedFile("devanture-exemple.jpg", buffer.getvalue(), content_type="image/jpeg")


def pdf_upload():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile("business-plan-exemple.pdf", buffer.getvalue(), content_type="application/pdf")


def form_data(example):
    commune = geo.communes_for_postcode(example.postal_code)[0]
    slug = example.key.replace("-", ".")
    data = {
        "nom_du_commerce": example.business,
        "type_de_commerce": example.kind,
        # No legal form: it would ask for a SIRET or an RNA number, and an invented one could
        # be a real business's or association's.
        "adresse_0": f"{3 + len(example.key)} rue de l'Exemple",
        "adresse_1": example.postal_code,
        "adresse_2": commune.code,
        "quartier": "Quartier d'exemple",
        "nom_et_prenom": example.person,
        "courriel": f"candidat.{slug}@example.org",
        "telephone": "01 99 00 00 00",
        "description_du_projet": f"{example.project} (Candidature d'exemple.)",
        "budget": str(example.budget),
        "aide_demandee": str(example.requested),
        "local_trouve": "oui",
        "consentement": "on",
        "droit_a_l_image": "on",
    }
    if example.placed:
        latitude, longitude = commune_centre(commune.code)
        data.update(adresse_3=str(latitude), adresse_4=str(longitude))
    return data


class ExampleRefused(Exception):
    """The call's form refused an example: the demo's data and the form disagree."""


def submit_example(call, example, token):
    """Send ``example`` through the call's form and store it, without the applicant's emails."""
    data = QueryDict(mutable=True)
    data.update(form_data(example))
    files = MultiValueDict({"photo_du_local": [jpeg_upload()], "business_plan": [pdf_upload()]})
    form = call.get_form_class()(data, files, page=call, user=AnonymousUser())
    if not form.is_valid():
        raise ExampleRefused(f"{example.key}: {form.errors.as_text()}")
    answers, clean_files = form.answers()
    columns = form.applicant_columns()
    columns.update(qpv_check.columns(columns.pop("address", None)))
    return store_application(call, answers=answers, files=clean_files, columns=columns, token=token)


def review(application, reviewer, position, strong, moderator):
    criteria = reviews.criteria_for(application)
    base = 4 if strong else 2
    scores = {criterion.pk: min(5, max(0, base + (position + index) % 2)) for index, criterion in enumerate(criteria)}
    reviews.assign(application, reviewer, moderator)
    reviews.save_review(
        application,
        reviewer,
        conflict_of_interest=False,
        scores=scores,
        recommendation=Recommendation.OUI if strong else Recommendation.PEUT_ETRE,
        comment="Avis d'exemple : projet clair, partenaires à confirmer.",
    )


def play(application, example, position, moderator, reviewers):
    """Move the stored example to its state by the workflow's own moves."""
    state = example.plan
    if state == "recue":
        return
    if state == "retiree":
        workflow.transition(application, Status.RETIREE, moderator, "Retrait demandé par le candidat (exemple).")
        return
    workflow.transition(application, Status.EN_INSTRUCTION, moderator)
    if state == "instruction":
        return
    if state == "instruction_assigned":
        reviews.assign(application, reviewers[position % len(reviewers)], moderator)
        return
    if state == "informations":
        workflow.transition(application, Status.INFORMATIONS_DEMANDEES, moderator, INFORMATION_REQUEST)
        return
    strong = state in ("preselectionnee", "laureate")
    for reviewer in reviewers:
        review(application, reviewer, position, strong, moderator)
    if state == "evaluee":
        return
    if state == "non_retenue" and position % 2:
        workflow.stage_decision(application, Status.NON_RETENUE, moderator, "Projet hors des critères (exemple).")
        return
    workflow.transition(application, Status.PRESELECTIONNEE, moderator)
    if state == "laureate":
        workflow.stage_decision(application, Status.LAUREATE, moderator, amount=example_amount(example))
    elif state == "non_retenue":
        workflow.stage_decision(application, Status.NON_RETENUE, moderator, "Projet hors des critères (exemple).")


def example_amount(example):
    return Decimal(example.requested).quantize(Decimal("0.01"))


def load_examples(call, prefix, plan, *, offset=0, sent_on=None):
    """Store and play the call's examples not yet stored; returns how many were added."""
    moderator, reviewers = demo_team()
    added = 0
    for position, example in enumerate(examples(prefix, plan, offset)):
        token = uuid.uuid5(TOKEN_NAMESPACE, example.key)
        if Application.objects.filter(idempotency_key=token).exists():
            continue
        application = submit_example(call, example, token)
        if sent_on is not None:
            # Sent while the call was open: the demo's dates read like a real call's.
            moment = sent_on + datetime.timedelta(days=position % 20, hours=position % 9)
            Application.objects.filter(pk=application.pk).update(submit_time=moment)
        play(application, example, position, moderator, reviewers)
        added += 1
    return added


def sent_during(call):
    """A moment early in the call's window (the examples are spread over the next days)."""
    start = call.opens_at or timezone.now()
    return start + datetime.timedelta(days=1)
