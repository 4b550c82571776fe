"""Demo content of the moderation queue, run by ``load_demo_content`` after the calls:
scoring criteria and decision emails on each demo call (example text, added once)."""

import datetime

from django.utils import timezone

from calls.models import Application, CallPage, Status
from home.demo import register

from . import rights
from .demo_applications import CLOSED_CALL_PLAN, OPEN_CALL_PLAN, load_examples, sent_during
from .models import DecisionEmail, ErasureRequest, ScoringCriterion

OPEN_CALL_SLUG = "appel-a-candidatures-2026"
EXAMPLE_CALL_SLUG = "appel-2025-exemple"

CRITERIA = [
    (
        "Réponse à un besoin du quartier",
        3,
        "Le projet répond-il à un besoin quotidien des habitants ?",
        [
            "0 : aucun lien avec le quartier ou ses habitants",
            "1 : un lien annoncé, sans exemple concret",
            "2 : un besoin cité, mais déjà couvert par d'autres lieux proches",
            "3 : un besoin réel, décrit avec des exemples du quartier",
            "4 : un besoin réel et peu couvert, avec des habitants déjà impliqués",
            "5 : répond à un besoin essentiel du quartier, attendu par ses habitants",
        ],
    ),
    (
        "Solidité économique du projet",
        2,
        "Budget, modèle économique, expérience du porteur de projet.",
        [
            "0 : ni budget ni modèle économique",
            "1 : un budget incomplet, des recettes non expliquées",
            "2 : un budget complet, mais des recettes incertaines",
            "3 : un budget cohérent et des recettes plausibles",
            "4 : un budget cohérent, des recettes étayées, un porteur expérimenté",
            "5 : un modèle éprouvé, chiffré et prudent, avec des financements déjà trouvés",
        ],
    ),
    (
        "Partenariats locaux",
        1,
        "Associations, écoles, EHPAD, France Travail, bailleurs…",
        [
            "0 : aucun partenaire",
            "1 : des partenaires envisagés, sans contact",
            "2 : un partenaire contacté",
            "3 : un partenaire engagé (lettre, convention ou action commune)",
            "4 : plusieurs partenaires engagés",
            "5 : un réseau de partenaires engagés qui fait vivre le lieu",
        ],
    ),
]

DECISIONS = [
    (
        "laureate",
        "Votre projet est lauréat de Quartiers Cafés",
        "Bonjour,\n\nLe jury a retenu votre projet : félicitations ! L'équipe vous appellera dans les prochains "
        "jours pour préparer l'accompagnement.\n\n(Texte d'exemple.)",
    ),
    (
        "non_retenue",
        "Votre candidature à Quartiers Cafés",
        "Bonjour,\n\nLe jury n'a pas retenu votre projet cette année. Merci pour le temps consacré à votre "
        "candidature ; n'hésitez pas à nous écrire pour en parler.\n\n(Texte d'exemple.)",
    ),
]


def publish_anew(call):
    """A new revision, so that the call's editor shows the criteria as stored (it edits the
    latest revision); published if the call is, or if it waited for them to open
    (``calls/demo.py``)."""
    call = CallPage.objects.get(pk=call.pk)
    revision = call.save_revision(log_action=False)
    if call.live or call.first_published_at is None:
        revision.publish(log_action=False)


@register(30)
def load(home, stdout):
    for call in CallPage.objects.all():
        # The level descriptions of the demo's criteria, also on a database loaded before them.
        described = sum(
            ScoringCriterion.objects.filter(page=call, label=label, levels="").update(levels="\n".join(levels))
            for label, _weight, _description, levels in CRITERIA
        )
        if call.scoring_criteria.exists() or call.decision_emails.exists():
            if described:
                publish_anew(call)
            continue
        for order, (label, weight, description, levels) in enumerate(CRITERIA):
            ScoringCriterion.objects.create(
                page=call,
                sort_order=order,
                label=label,
                weight=weight,
                description=description,
                levels="\n".join(levels),
            )
        for order, (outcome, subject, body) in enumerate(DECISIONS):
            DecisionEmail.objects.create(page=call, sort_order=order, outcome=outcome, subject=subject, body=body)
        publish_anew(call)
    stdout.write("Modération : critères d'évaluation et courriels de décision des appels.\n")


@register(35)
def load_applications(home, stdout):
    """About thirty fictitious applications to the open call, in every state, and the example
    closed call's applications (its decisions are announced by ``laureates/demo.py``)."""
    added = 0
    for slug, prefix, plan, offset in (
        (OPEN_CALL_SLUG, "demo-2026", OPEN_CALL_PLAN, 0),
        (EXAMPLE_CALL_SLUG, "demo-2025", CLOSED_CALL_PLAN, 30),
    ):
        call = CallPage.objects.filter(slug=slug).first()
        if call is not None:
            added += load_examples(call, prefix, plan, offset=offset, sent_on=sent_during(call))
    stdout.write(f"Candidatures d'exemple : {added} ajoutée(s).\n")
    load_erasure_request()


def load_erasure_request():
    """A fictitious applicant under review asked, from their space, for their data to be erased
    twenty days ago: the dashboard's panel shows it with its deadline (added once)."""
    application = (
        Application.objects.filter(page__slug=OPEN_CALL_SLUG, status=Status.EN_INSTRUCTION, is_spam=False)
        .exclude(applicant_email="")
        .order_by("pk")
        .first()
    )
    if application is None or ErasureRequest.objects.exists():
        return
    request, created = rights.request_erasure(application.applicant_email)
    if created:
        ErasureRequest.objects.filter(pk=request.pk).update(requested_at=timezone.now() - datetime.timedelta(days=20))
