"""The demo's after-session content (called by ``network/demo.py`` once the sessions exist):
the past example session gets confirmed registrations of example laureates and an example
resident, their attendance marked by the example moderator, and its example minutes (a PDF
made with fpdf2, for its registered people); two example resources are shared with every
member. Files go through the applications' checks (``validate_upload``) and
``resources.store_resource`` like the team's. Everything is marked « Exemple » or
« (exemple) »; addresses are example.org. Idempotent: rows are looked up by title or address.
"""

import datetime

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.formats import date_format
from fpdf import FPDF

from calls.attachments.validation import validate_upload
from calls.pdf import latin1
from laureates.models import Laureate
from moderation.demo_applications import demo_team

from . import attendance, resources
from .models import Attendance, Registration, RegistrationStatus, Resource, ResourceAudience

RESIDENT = ("Exemple — Samia, habitante du quartier", "samia.habitante@example.org")
MARKS = [Attendance.PRESENT, Attendance.PRESENT, Attendance.EXCUSE, Attendance.ABSENT, Attendance.PRESENT]

MINUTES_TITLE = "Compte rendu (exemple)"
SHARED = [
    (
        "Exemple — Guide : préparer une rencontre avec les habitants",
        "Exemple de document partagé : les étapes, le déroulé type et une liste de questions à poser.",
        "guide-rencontre-habitants-exemple.pdf",
        [
            "Guide (exemple) : préparer une rencontre avec les habitants",
            "1. Choisir un horaire où les habitants sont disponibles (fin de journée, samedi matin).",
            "2. Annoncer la rencontre chez les commerçants voisins et à l'association de quartier.",
            "3. Prévoir trois questions : ce qui manque au quartier, ce qui plaît, ce qui ferait venir.",
            "4. Noter les réponses et les partager avec les participants dans la semaine.",
            "Document de démonstration : contenu d'exemple.",
        ],
    ),
    (
        "Exemple — Modèle de budget prévisionnel d'un café",
        "Exemple de document partagé : les postes d'un budget de première année, à adapter.",
        "budget-previsionnel-exemple.pdf",
        [
            "Modèle (exemple) : budget prévisionnel de première année",
            "Charges : loyer, énergie, assurances, achats de marchandises, salaires, remboursements.",
            "Produits : ventes au comptoir, petite restauration, animations, subventions.",
            "Conseil : prévoir trois mois de trésorerie avant l'ouverture.",
            "Document de démonstration : contenu d'exemple.",
        ],
    ),
]


def example_pdf(name, lines):
    """A small PDF written with fpdf2's core fonts, as an upload to check."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, latin1(lines[0]))
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    for line in lines[1:]:
        pdf.multi_cell(0, 6, latin1(line))
        pdf.ln(2)
    return SimpleUploadedFile(name, bytes(pdf.output()), content_type="application/pdf")


def add_resource(title, description, upload, *, session=None, audience=ResourceAudience.MEMBRES, user=None):
    """An example resource with its checked file, unless one with that title exists."""
    existing = Resource.objects.filter(title=title, session=session).first()
    if existing is not None:
        return existing
    clean = validate_upload(upload, ["pdf"], settings.CALLS_MAX_UPLOAD_SIZE)
    resource = Resource(title=title, description=description, session=session, audience=audience, created_by=user)

    def save():
        resource.save()
        return resource

    return resources.store_resource(resource, clean, save)


def register_examples(session):
    """Confirmed registrations of up to four example laureates and one example resident."""
    laureates = list(Laureate.objects.members().filter(contact_email__endswith="@example.org").order_by("pk")[:4])
    for laureate in laureates:
        Registration.objects.get_or_create(
            session=session,
            laureate=laureate,
            defaults={
                "role": "laureat",
                "status": RegistrationStatus.CONFIRMEE,
                "created_at": session.starts_at - datetime.timedelta(days=10),
                "confirmed_at": session.starts_at - datetime.timedelta(days=10),
            },
        )
    name, email = RESIDENT
    Registration.objects.get_or_create(
        session=session,
        email=email,
        defaults={
            "name": name,
            "role": "habitant",
            "status": RegistrationStatus.CONFIRMEE,
            "created_at": session.starts_at - datetime.timedelta(days=7),
            "confirmed_at": session.starts_at - datetime.timedelta(days=7),
        },
    )


def load_after_session(session, stdout):
    """Attendance and minutes of the past example ``session``; two shared resources."""
    now = timezone.now()
    moderator, _reviewers = demo_team()
    if session is not None and attendance.is_held(session, now):
        register_examples(session)
        rows = list(attendance.confirmed(session))
        choices = {
            row.pk: (row.attendance, MARKS[index % len(MARKS)])
            for index, row in enumerate(rows)
            if row.attendance == Attendance.INCONNUE
        }
        attendance.mark_attendance(session, moderator, choices)
        day = date_format(timezone.localtime(session.starts_at), "l j F Y")
        lines = [
            f"Compte rendu (exemple) : {session.title}",
            f"Séance du {day}.",
            "Participants : les lauréats inscrits et une habitante du quartier (exemple).",
            "Ce qui a été dit : les horaires d'ouverture attendus, l'envie d'un lieu pour les familles.",
            "Prochaine étape : une deuxième rencontre dans trois mois.",
            "Document de démonstration : contenu d'exemple.",
        ]
        add_resource(
            MINUTES_TITLE,
            "Le compte rendu de la séance, pour ses inscrits (exemple).",
            example_pdf("compte-rendu-exemple.pdf", lines),
            session=session,
            audience=ResourceAudience.INSCRITS,
            user=moderator,
        )
    for title, description, name, lines in SHARED:
        add_resource(title, description, example_pdf(name, lines), user=moderator)
    stdout.write("Réseau : présences, compte rendu et ressources d'exemple.")
