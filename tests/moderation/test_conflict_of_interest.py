"""A reviewer who declares a conflict of interest: the file closes to them (answers, workspace,
previews, attachments, their list), the team is told (email, history, dashboard) and a
moderator hands the application to another reviewer from its page."""

import pytest
from django.core import mail
from django.urls import reverse

from calls.models import Status
from moderation.models import Assignment, HistoryEntry, Review
from moderation.reviews import assign, save_review
from tests.moderation.factories import ApplicationFactory, add_attachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(call, moderator, reviewer):
    application = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION, files=["plan.pdf"])
    assign(application, reviewer, moderator)
    attachment = add_attachment(application, display_name="plan.pdf")
    return application, attachment


def urls(application, attachment):
    return [
        reverse("moderation:application", args=[application.pk]),
        reverse("moderation:review", args=[application.pk]),
        reverse("moderation:download", args=[attachment.pk]),
        reverse("moderation:preview", args=[attachment.pk]),
    ]


def declare(client, reviewer, application, capture):
    client.force_login(reviewer)
    with capture(execute=True):
        return client.post(
            reverse("moderation:review", args=[application.pk]),
            {"conflict_of_interest": "on", "comment": "Je connais la gérante."},
        )


def test_a_declared_conflict_closes_the_file(client, reviewer, file, django_capture_on_commit_callbacks):
    application, attachment = file
    client.force_login(reviewer)
    assert [client.get(url).status_code for url in urls(application, attachment)] == [200, 200, 200, 200]
    response = declare(client, reviewer, application, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("moderation:queue")
    assert [client.get(url).status_code for url in urls(application, attachment)] == [404, 404, 404, 404]
    listing = client.get(reverse("moderation:queue")).content.decode()
    assert "elle ne vous est plus accessible" in listing  # the message after the declaration
    assert reverse("moderation:application", args=[application.pk]) not in listing
    # Nothing more can be posted on it either.
    response = client.post(reverse("moderation:review", args=[application.pk]), {"recommendation": "oui"})
    assert response.status_code == 404
    assert Review.objects.get().conflict_of_interest


def test_the_team_is_told(client, call, reviewer, moderator, file, django_capture_on_commit_callbacks):
    application, _attachment = file
    declare(client, reviewer, application, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["equipe@quartierscafes.org"]  # the call's team addresses
    assert application.reference in message.subject
    assert "Rémi Martin" in message.body and "conflit d'intérêts" in message.body
    assert reverse("moderation:application", args=[application.pk]) in message.body
    assert application.applicant_name not in message.body
    entry = application.history.get(kind=HistoryEntry.Kind.CONFLICT)
    assert entry.user == reviewer
    # Declared again (the same review saved): nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        save_review(application, reviewer, conflict_of_interest=True)
    assert len(mail.outbox) == 1
    # The moderators' dashboard lists it until someone else has it.
    client.force_login(moderator)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Conflits d'intérêts : candidatures à réassigner" in dashboard
    assert application.reference in dashboard and "déclaré par Rémi Martin" in dashboard


def test_without_team_addresses_the_assigning_moderator_is_told(
    client, call, reviewer, moderator, file, django_capture_on_commit_callbacks
):
    call.to_address = ""
    call.save()
    moderator.email = "mona@example.org"
    moderator.save()
    application, _attachment = file
    declare(client, reviewer, application, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [["mona@example.org"]]


def test_the_moderator_reassigns_from_the_application_page(
    client, reviewer, other_reviewer, moderator, file, django_capture_on_commit_callbacks
):
    application, attachment = file
    other_reviewer.email = "rita@example.org"
    other_reviewer.save()
    declare(client, reviewer, application, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.force_login(moderator)
    page_url = reverse("moderation:application", args=[application.pk])
    html = client.get(page_url).content.decode()
    assert "Conflit d'intérêts déclaré : à confier à un autre évaluateur" in html
    form = html[html.index(f'id="replace-{reviewer.pk}"') :]
    form = form[: form.index("</select>")]
    assert f'value="{other_reviewer.pk}"' in form and f'value="{reviewer.pk}"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("moderation:assign", args=[application.pk]),
            {"reviewer": other_reviewer.pk, "replace": reviewer.pk},
        )
    assert response.status_code == 302
    assert list(Assignment.objects.values_list("reviewer_id", flat=True)) == [other_reviewer.pk]
    assert [message.to for message in mail.outbox] == [["rita@example.org"]]  # the assignment email
    kinds = list(application.history.values_list("kind", flat=True))
    assert kinds[-2:] == [HistoryEntry.Kind.ASSIGNMENT, HistoryEntry.Kind.UNASSIGNMENT]
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Conflits d'intérêts : candidatures à réassigner" not in dashboard
    # The new reviewer opens the file; the one in conflict can never be given it again.
    client.force_login(other_reviewer)
    assert [client.get(url).status_code for url in urls(application, attachment)] == [200, 200, 200, 200]
    assert not assign(application, reviewer, moderator)
    client.force_login(moderator)
    client.post(reverse("moderation:assign", args=[application.pk]), {"reviewer": reviewer.pk})
    assert not Assignment.objects.filter(reviewer=reviewer).exists()
    client.force_login(reviewer)
    assert [client.get(url).status_code for url in urls(application, attachment)] == [404, 404, 404, 404]
