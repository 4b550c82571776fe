"""The answer to « informations demandées » counts its files in the client's validation budget."""

import pytest

from calls.models import Attachment, Status
from moderation.workflow import transition
from tests.calls.factories import exe_renamed_pdf, pdf_file
from tests.moderation.factories import user_in

pytestmark = pytest.mark.django_db


def test_the_answers_files_count_and_past_the_budget_a_french_429_changes_nothing(
    client, sign_in, awa_application, settings, django_capture_on_commit_callbacks
):
    settings.CALLS_VALIDATION_FILE_LIMIT = 1
    moderator = user_in("Modérateurs")
    transition(awa_application, Status.EN_INSTRUCTION, moderator)
    with django_capture_on_commit_callbacks(execute=True):
        transition(awa_application, Status.INFORMATIONS_DEMANDEES, moderator, "Envoyez le bail.")
    sign_in()
    url = f"/espace-candidat/candidatures/{awa_application.pk}/"
    assert client.post(url, {"text": "Voici le bail.", "files": exe_renamed_pdf("bail.pdf")}).status_code == 400
    response = client.post(url, {"text": "Voici le bail.", "files": pdf_file("bail.pdf")})
    assert response.status_code == 429
    assert "Trop de fichiers envoyés depuis votre connexion" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    awa_application.refresh_from_db()
    assert awa_application.status == Status.INFORMATIONS_DEMANDEES
    assert not Attachment.objects.filter(application=awa_application, display_name="bail.pdf").exists()
    # An answer without a file is not counted: it goes through.
    assert client.post(url, {"text": "Le bail suit par courrier."}).status_code == 303
