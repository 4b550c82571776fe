# Run inside the image by .ci/image.sh (`manage.py shell -c "$(cat .ci/image_setup.py)"`), after
# the demo content: a one-page call for the journey (the demo's calls are in steps) and a member
# of the « Modérateurs » group. Idempotent. Prints the call's path on a line « CALL <path> ».
import datetime
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from calls.models import CallFormField, CallIndexPage, CallPage
from moderation.models import DecisionEmail, ScoringCriterion

index = CallIndexPage.objects.live().first()
call = CallPage.objects.child_of(index).filter(slug="appel-image-ci").first()
if call is None:
    call = CallPage(
        title="Appel d'exemple (vérification de l'image)",
        slug="appel-image-ci",
        summary="Un appel d'exemple pour la vérification de l'image de production.",
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=30),
        form_in_steps=False,
        thank_you_text="<p>Merci.</p>",
        confirmation_subject="Candidature reçue",
        confirmation_body="Bonjour,\n\nNous avons bien reçu votre candidature.",
        to_address="equipe@quartierscafes.example.org",
        subject="Nouvelle candidature",
        live=False,
    )
    # Created as a draft: a call opens only with everything it needs (CallPage.publish checks).
    index.add_child(instance=call)
    fields = [
        ("Nom du commerce", "singleline", {}),
        ("Nom et prénom", "singleline", {}),
        ("Courriel", "email", {"purpose": "email"}),
        ("Projet", "multiline", {}),
        ("Photo du local", "file", {"allowed_kinds": ["jpeg", "png"]}),
        ("Business plan", "file", {"allowed_kinds": ["pdf"]}),
        ("J'accepte le traitement de mes données", "consent", {"description": "Pour instruire la candidature."}),
    ]
    for order, (label, kind, extra) in enumerate(fields):
        CallFormField.objects.create(page=call, sort_order=order, label=label, field_type=kind, required=True, **extra)
    ScoringCriterion.objects.create(page=call, sort_order=0, label="Utilité pour le quartier", weight=1)
    for order, outcome in enumerate(("laureate", "non_retenue")):
        DecisionEmail.objects.create(
            page=call, sort_order=order, outcome=outcome, subject="Votre candidature", body="Bonjour {nom},\n\nExemple."
        )
    call = CallPage.objects.get(pk=call.pk)
    call.save_revision().publish()

User = get_user_model()
moderator, _ = User.objects.get_or_create(username="moderatrice", defaults={"email": "moderatrice@example.org"})
moderator.set_password(os.environ["MODERATOR_PASSWORD"])
moderator.is_staff = True
moderator.save()
moderator.groups.add(Group.objects.get(name="Modérateurs"))
print("CALL", call.relative_url(call.get_site()))
