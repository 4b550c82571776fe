"""Demo content of the laureates, run by ``load_demo_content`` after the stories, calls and
moderation (see home/demo.py).

The 2020 edition has no applications on this site: its three named laureates are records
made by hand with what the programme's public material gives (name, town, région), linked to
their story and to the 2020 call page when the demo has them. No contact, no amount, no
kind of business: nothing invented. Idempotent: a record is looked up by edition and name.

The example closed call (« Appel 2025 (exemple) », ``calls/demo.py``) has fictitious
applications with staged decisions (``moderation/demo.py``): they are announced here by the
announce service, which makes the laureates' records by the real path; each gets a payment
schedule (one tranche paid, one planned), a coaching plan at its own stage, coaching areas
and a team note, through this app's services. The call has a report form « Bilan à 6 mois
(exemple) », and the laureate furthest along has sent it (example answers, sent by the real
path: ``progress_reports.send_report``). The decision emails are queued to the
examples' example.org addresses (a reserved domain: never delivered).
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import CallPage
from home.demo import register
from moderation.announce import announce, staged_decisions
from moderation.demo import EXAMPLE_CALL_SLUG
from moderation.demo_applications import demo_team
from stories.demo import NAMED
from stories.models import StoryPage

from . import plan, progress_reports
from .models import (
    Actor,
    CoachingArea,
    Laureate,
    MilestoneStatus,
    MilestoneTemplate,
    PaymentStatus,
    ReportForm,
    ReportFormField,
)
from .services import record_payment, write_history

EDITION_2020 = 2020
CALL_2020_SLUG = "appel-a-candidatures-2020"


@register(40)
def load(home, stdout):
    call = CallPage.objects.filter(slug=CALL_2020_SLUG).first()
    made = 0
    for data in NAMED:
        if Laureate.objects.filter(edition=EDITION_2020, business_name=data["title"]).exists():
            continue
        laureate = Laureate.objects.create(
            edition=EDITION_2020,
            call=call,
            business_name=data["title"],
            town=data["town"],
            region=data["region"],
            story=StoryPage.objects.filter(slug=data["slug"]).first(),
        )
        write_history(
            laureate,
            _("Lauréat créé à la main"),
            _("Édition 2020 (contenu de démonstration : nom, commune et région seulement)."),
            actor=Actor.SYSTEME,
        )
        made += 1
    stdout.write(f"Lauréats (fiches) : {made} fiche(s) de l'édition 2020 créée(s).\n")


# The example call's coaching plan: (label, days after the decision, the opening's milestone).
PLAN_TEMPLATE = [
    ("Signature de la convention", 15, False),
    ("Travaux", 60, False),
    ("Ouverture", 120, True),
    ("Bilan à 6 mois", 180, False),
]
# Per laureate (in reference order): the milestones done, with their text (examples).
DONE = [
    {"Signature de la convention": "Convention signée avec l'équipe (texte d'exemple)."},
    {
        "Signature de la convention": "Convention signée (texte d'exemple).",
        "Travaux": "Salle repeinte, comptoir installé (texte d'exemple).",
        "Ouverture": "Ouverture au public un samedi matin (texte d'exemple).",
    },
    {},
]
AREAS = [
    ["Communication", "Partenariats locaux"],
    ["Recherche de financement", "Communication"],
    ["Levée des freins à l'ouverture"],
]


def set_plan_template(call):
    if MilestoneTemplate.objects.filter(call=call).exists():
        return
    MilestoneTemplate.objects.bulk_create(
        [
            MilestoneTemplate(call=call, label=label, sort_order=order, days_after_award=days, is_opening=opening)
            for order, (label, days, opening) in enumerate(PLAN_TEMPLATE)
        ]
    )


def follow_up(laureate, position, moderator):
    """The example laureate's payments, plan stage, coaching areas and team note."""
    today = timezone.localdate()
    award = laureate.amount_awarded or Decimal("0.00")
    first = (award * Decimal("0.6")).quantize(Decimal("0.01"))
    record_payment(
        laureate,
        moderator,
        amount=first,
        planned_on=today - datetime.timedelta(days=20),
        label="Première tranche (exemple)",
        paid_on=today - datetime.timedelta(days=12),
        status=PaymentStatus.PAYE,
    )
    record_payment(
        laureate,
        moderator,
        amount=award - first,
        planned_on=today + datetime.timedelta(days=75),
        label="Seconde tranche (exemple)",
    )
    done = DONE[position % len(DONE)]
    for milestone in laureate.milestones.order_by("sort_order"):
        if milestone.label in done:
            plan.mark_milestone_done(milestone, done[milestone.label], [])
    # The next milestone to do falls soon for the first and the last laureate.
    upcoming = laureate.milestones.exclude(status=MilestoneStatus.FAIT).order_by("sort_order").first()
    if upcoming is not None and position != 1:
        plan.change_milestone(upcoming, moderator, today + datetime.timedelta(days=6 + position), upcoming.status)
    areas = list(CoachingArea.objects.filter(name__in=AREAS[position % len(AREAS)]))
    plan.set_coaching_areas(laureate, moderator, areas)
    plan.add_note(laureate, moderator, "Note d'équipe d'exemple : point d'étape avec le lauréat le mois prochain.")


@register(45)
def load_example_laureates(home, stdout):
    """Announce the example call's staged decisions, then follow its laureates up (once)."""
    call = CallPage.objects.filter(slug=EXAMPLE_CALL_SLUG).first()
    if call is None:
        return
    moderator, _reviewers = demo_team()
    set_plan_template(call)
    if staged_decisions(call).exists():
        announce(call, moderator)
    laureates = Laureate.objects.filter(call=call).order_by("application__reference")
    followed = 0
    for position, laureate in enumerate(laureates):
        if laureate.payments.exists() or laureate.notes.exists():
            continue
        follow_up(laureate, position, moderator)
        followed += 1
    stdout.write(f"Lauréats d'exemple (appel 2025) : {followed} suivi(s) ajouté(s).\n")


REPORT_TITLE = "Bilan à 6 mois (exemple)"
# The example report's questions: the call form's types, one condition.
REPORT_QUESTIONS = [
    {"label": "Votre activité", "field_type": "section", "required": False},
    # The figures the programme's report needs: kept once a laureate's contact data is erased.
    {
        "label": "Chiffre d'affaires des six premiers mois",
        "field_type": "amount",
        "required": True,
        "kept_after_erasure": True,
    },
    {
        "label": "Emplois créés (équivalents temps plein)",
        "field_type": "number",
        "required": True,
        "kept_after_erasure": True,
    },
    {"label": "Une embauche est-elle prévue ?", "field_type": "yes_no", "required": True, "kept_after_erasure": True},
    {
        "label": "Quel poste ?",
        "field_type": "singleline",
        "required": True,
        "conditions": "Une embauche est-elle prévue ? est Oui",
    },
    {"label": "Ce qui a bien marché, ce qui reste difficile", "field_type": "multiline", "required": True},
    {
        "label": "Photos du commerce",
        "field_type": "file",
        "required": False,
        "allowed_kinds": ["jpeg", "png", "pdf"],
        "multiple_files": True,
    },
]
REPORT_ANSWERS = {
    "chiffre_daffaires_des_six_premiers_mois": "38500",
    "emplois_crees_equivalents_temps_plein": "2",
    "une_embauche_est_elle_prevue": "oui",
    "quel_poste": "Commis de cuisine (exemple)",
    "ce_qui_a_bien_marche_ce_qui_reste_difficile": (
        "Exemple — Les matinées marchent bien ; l'après-midi reste calme, une animation est prévue."
    ),
}


@register(46)
def load_example_report(home, stdout):
    """The example call's report form, due in a month, and one report sent by its laureate
    furthest along (the others have not sent it yet: the team's list names them)."""
    call = CallPage.objects.filter(slug=EXAMPLE_CALL_SLUG).first()
    if call is None:
        return
    report_form = ReportForm.objects.filter(call=call, title=REPORT_TITLE).first()
    if report_form is None:
        report_form = ReportForm.objects.create(
            call=call,
            title=REPORT_TITLE,
            introduction="Exemple — Six mois après l'ouverture : quelques chiffres et vos impressions.",
            due_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        for order, spec in enumerate(REPORT_QUESTIONS):
            ReportFormField.objects.create(report_form=report_form, sort_order=order, **spec)
    laureates = list(Laureate.objects.filter(call=call).order_by("application__reference"))
    if len(laureates) < 2 or report_form.reports.exists():
        return
    form = progress_reports.build_form(report_form, REPORT_ANSWERS)
    if not form.is_valid():  # pragma: no cover - the example answers are the form's
        raise ValueError(f"The example report does not validate: {form.errors.as_json()}")
    progress_reports.send_report(laureates[1], report_form, form)
    stdout.write(f"Lauréats d'exemple : un bilan envoyé par {laureates[1].business_name}.\n")
