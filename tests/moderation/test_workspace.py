"""The reviewer's workspace: answers and files beside the form, inline previews closed to
other reviewers, level descriptions, previous / next keeping the filters; notifications of
assignments, one email per batch."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from calls.models import Status
from moderation.models import ScoringCriterion
from moderation.reviews import assign
from tests.moderation.factories import ApplicationFactory, add_attachment

pytestmark = pytest.mark.django_db


def test_bulk_assignment_sends_one_email_per_batch(
    client, call, moderator, reviewer, django_capture_on_commit_callbacks
):
    reviewer.email = "remi@example.org"
    reviewer.save()
    a, b = ApplicationFactory.create_batch(2, page=call)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:bulk"), {"action": "assign", "reviewer": reviewer.pk, "ids": [a.pk, b.pk]})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["remi@example.org"]
    assert message.subject == "Quartiers Cafés : 2 candidatures à évaluer"
    assert a.reference in message.body and b.reference in message.body
    assert f"{settings.WAGTAILADMIN_BASE_URL}/admin/moderation/" in message.body
    assert "Awa Diallo" not in message.body  # no applicant's data in the email
    # Assigning the same batch again adds nothing and tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:bulk"), {"action": "assign", "reviewer": reviewer.pk, "ids": [a.pk, b.pk]})
    assert len(mail.outbox) == 1


def test_the_reviewer_chooser_starts_empty(client, application, moderator, reviewer):
    client.force_login(moderator)
    html = client.get(reverse("moderation:application", args=[application.pk])).content.decode()
    chooser = html[html.index('id="assign-reviewer"') :]
    assert chooser.index('<option value="">') < chooser.index(f'value="{reviewer.pk}"')


@pytest.fixture
def workspace(call, moderator, reviewer):
    ScoringCriterion.objects.filter(page=call, label="Solidité du projet").update(
        levels="0 : pas de budget\n\n5 : budget complet et réaliste"
    )
    first = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION, files=["plan.pdf"])
    second = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION, region="occitanie")
    third = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    for application in (first, second, third):
        assign(application, reviewer, moderator)
    attachment = add_attachment(first, display_name="plan.pdf")
    return first, second, third, attachment


def test_the_workspace_shows_answers_files_and_levels(client, reviewer, workspace):
    first, _second, _third, attachment = workspace
    client.force_login(reviewer)
    html = client.get(reverse("moderation:review", args=[first.pk])).content.decode()
    assert "Un café avec des ordinateurs" in html  # an answer, beside the form
    assert "Enregistrer mon évaluation" in html
    preview = reverse("moderation:preview", args=[attachment.pk])
    # The preview sandboxes itself (its response's CSP): a sandbox attribute would make
    # Chromium block its PDF viewer.
    assert f'<iframe class="moderation-file__frame" src="{preview}" title="Aperçu de \u2068plan.pdf\u2069"' in html
    assert f'<a href="{preview}" target="_blank" rel="noopener">Ouvrir le PDF' in html
    assert "0 : pas de budget" in html and "5 : budget complet et réaliste" in html


def test_the_inline_preview_is_checked_and_sandboxed(client, reviewer, other_reviewer, workspace):
    attachment = workspace[3]
    url = reverse("moderation:preview", args=[attachment.pk])
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    client.force_login(other_reviewer)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 403)


def test_previous_and_next_keep_the_filters(client, call, reviewer, workspace):
    first, second, third, _attachment = workspace
    client.force_login(reviewer)
    # Newest first: third, second, first.
    response = client.get(reverse("moderation:review", args=[second.pk]))
    assert response.context["previous_url"] == reverse("moderation:review", args=[third.pk])
    assert response.context["next_url"] == reverse("moderation:review", args=[first.pk])
    filtered = client.get(reverse("moderation:review", args=[first.pk]), {"call": call.pk, "region": "ile-de-france"})
    expected = reverse("moderation:review", args=[third.pk]) + f"?call={call.pk}&region=ile-de-france"
    assert filtered.context["previous_url"] == expected  # second (Occitanie) is filtered out
    assert filtered.context["next_url"] == ""
