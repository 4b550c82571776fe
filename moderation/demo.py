"""Demo content of the moderation queue, run by ``load_demo_content`` after the calls:
scoring criteria and decision emails on each demo call (example text, added once)."""

from calls.models import CallPage
from home.demo import register

from .models import DecisionEmail, ScoringCriterion

CRITERIA = [
    ("Réponse à un besoin du quartier", 3, "Le projet répond-il à un besoin quotidien des habitants ?"),
    ("Solidité économique du projet", 2, "Budget, modèle économique, expérience du porteur de projet."),
    ("Partenariats locaux", 1, "Associations, écoles, EHPAD, Pôle emploi, bailleurs…"),
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


@register(30)
def load(home, stdout):
    for call in CallPage.objects.all():
        if call.scoring_criteria.exists() or call.decision_emails.exists():
            continue
        for order, (label, weight, description) in enumerate(CRITERIA):
            ScoringCriterion.objects.create(
                page=call, sort_order=order, label=label, weight=weight, description=description
            )
        for order, (outcome, subject, body) in enumerate(DECISIONS):
            DecisionEmail.objects.create(page=call, sort_order=order, outcome=outcome, subject=subject, body=body)
        # A new revision, so that the call's editor shows them (it edits the latest revision).
        call = CallPage.objects.get(pk=call.pk)
        revision = call.save_revision(log_action=False)
        if call.live:
            revision.publish(log_action=False)
    stdout.write("Modération : critères d'évaluation et courriels de décision des appels.\n")
