"""The permission matrix: each group × each view and action, allowed or refused, and the
object-level checks (another call's application, another reviewer's assignment)."""

import pytest
from django.urls import reverse

from calls.models import Application, Status
from moderation.models import Announcement, Assignment, Decision, HistoryEntry, Review
from moderation.reviews import assign
from tests.moderation.factories import ApplicationFactory, add_attachment

pytestmark = pytest.mark.django_db

INDEX = "/admin/moderation/"
ROLES = ["anonymous", "editor", "reviewer", "other_reviewer", "moderator", "admin"]


@pytest.fixture
def scene(call, moderator, reviewer, other_reviewer, editor, admin_user):
    application = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    attachment = add_attachment(application, display_name="plan d'affaires.pdf")
    assign(application, reviewer, moderator)
    users = {
        "anonymous": None,
        "editor": editor,
        "reviewer": reviewer,
        "other_reviewer": other_reviewer,
        "moderator": moderator,
        "admin": admin_user,
    }
    return {"application": application, "attachment": attachment, "users": users}


def _list(client, scene):
    response = client.get(INDEX)
    return response, response.status_code == 200 and scene["application"].reference in response.content.decode()


def _inspect(client, scene):
    response = client.get(reverse("moderation:application", args=[scene["application"].pk]))
    return response, response.status_code == 200 and "Business plan" in response.content.decode()


def _download(client, scene):
    response = client.get(reverse("moderation:download", args=[scene["attachment"].pk]))
    ok = response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    return response, ok


def _transition(client, scene):
    application = scene["application"]
    response = client.post(reverse("moderation:transition", args=[application.pk]), {"status": Status.PRESELECTIONNEE})
    application.refresh_from_db()
    return response, application.status == Status.PRESELECTIONNEE


def _assign(client, scene):
    other = scene["users"]["other_reviewer"]
    application = scene["application"]
    response = client.post(reverse("moderation:assign", args=[application.pk]), {"reviewer": other.pk})
    return response, Assignment.objects.filter(application=application, reviewer=other).exists()


def _review(client, scene):
    application = scene["application"]
    data = {"recommendation": "oui", "comment": "Bien."}
    data.update({f"score_{c.pk}": "4" for c in application.page.scoring_criteria.all()})
    response = client.post(reverse("moderation:review", args=[application.pk]), data)
    return response, Review.objects.filter(application=application).exists()


def _export(client, scene):
    response = client.get(INDEX, {"export": "csv"})
    ok = response.status_code == 200 and scene["application"].reference.encode() in response.content
    return response, ok and response["Content-Type"].startswith("text/csv")


def _applicant_data(client, scene):
    response = client.post(reverse("moderation:applicant_data", args=[scene["application"].pk]))
    return response, response.status_code == 200 and response.json()["nom"] == "Awa Diallo"


def _erase(client, scene):
    application = scene["application"]
    response = client.post(reverse("moderation:erase", args=[application.pk]), {"reason": "Demande du candidat"})
    return response, HistoryEntry.objects.filter(application=application, kind=HistoryEntry.Kind.ERASURE).exists()


def _stage(client, scene):
    application = scene["application"]
    response = client.post(reverse("moderation:transition", args=[application.pk]), {"status": Status.NON_RETENUE})
    return response, Decision.objects.filter(application=application).exists()


def _cancel_decision(client, scene):
    application = scene["application"]
    Decision.objects.create(application=application, outcome=Status.NON_RETENUE)
    response = client.post(reverse("moderation:cancel_decision", args=[application.pk]))
    return response, not Decision.objects.filter(application=application).exists()


def _announce_page(client, scene):
    response = client.get(reverse("moderation:announce", args=[scene["application"].page_id]))
    return response, response.status_code == 200 and "Annoncer les décisions" in response.content.decode()


def _announce(client, scene):
    application = scene["application"]
    Decision.objects.create(application=application, outcome=Status.NON_RETENUE)
    response = client.post(reverse("moderation:announce", args=[application.page_id]), {"send": "now"})
    return response, Announcement.objects.exists()


def _ranking(client, scene):
    response = client.get(reverse("moderation:ranking", args=[scene["application"].page_id]))
    return response, response.status_code == 200 and scene["application"].reference in response.content.decode()


def _preview(client, scene):
    response = client.get(reverse("moderation:preview", args=[scene["attachment"].pk]))
    ok = response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    return response, ok


ACTIONS = {
    "preview": (_preview, {"reviewer", "moderator", "admin"}),
    "ranking": (_ranking, {"moderator", "admin"}),
    "stage_decision": (_stage, {"moderator", "admin"}),
    "cancel_decision": (_cancel_decision, {"moderator", "admin"}),
    "announce_page": (_announce_page, {"moderator", "admin"}),
    "announce": (_announce, {"moderator", "admin"}),
    # The other reviewer gets the list, empty of this application (see below).
    "list": (_list, {"reviewer", "moderator", "admin"}),
    "inspect": (_inspect, {"reviewer", "moderator", "admin"}),
    "download": (_download, {"reviewer", "moderator", "admin"}),
    "transition": (_transition, {"moderator", "admin"}),
    "assign": (_assign, {"moderator", "admin"}),
    "review": (_review, {"reviewer"}),
    "export": (_export, {"moderator", "admin"}),
    "applicant_data": (_applicant_data, {"moderator", "admin"}),
    "erase": (_erase, {"moderator", "admin"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(client, scene, role, action):
    perform, allowed_roles = ACTIONS[action]
    user = scene["users"][role]
    if user is not None:
        client.force_login(user)
    response, done = perform(client, scene)
    if role in allowed_roles:
        assert done, f"{role} should be able to {action} (got {response.status_code})"
    else:
        assert not done, f"{role} must not {action}"
        if action == "list" and role == "other_reviewer":
            return
        assert response.status_code in (302, 403, 404)
        if response.status_code == 302:
            location = response["Location"]
            assert location == "/admin/" or location.startswith("/admin/login/"), location


def test_the_other_reviewer_sees_an_empty_queue(client, scene):
    client.force_login(scene["users"]["other_reviewer"])
    response = client.get(INDEX)
    assert response.status_code == 200
    assert scene["application"].reference not in response.content.decode()


def test_editors_have_no_applications_menu_but_keep_the_pages(client, scene):
    client.force_login(scene["users"]["editor"])
    html = client.get("/admin/").content.decode()
    assert INDEX not in html
    assert client.get("/admin/pages/").status_code == 200


@pytest.mark.parametrize("role", ["editor", "moderator", "reviewer", "admin"])
def test_wagtail_form_submissions_are_no_back_door(client, scene, role):
    """Wagtail's submissions list, export and deletion leave calls out for everyone: a call's
    applications appear only under « Candidatures », superusers included."""
    application = scene["application"]
    client.force_login(scene["users"][role])
    call_id = application.page_id
    assert str(application.page.title) not in client.get("/admin/forms/").content.decode()
    for url in (f"/admin/forms/submissions/{call_id}/", f"/admin/forms/submissions/{call_id}/?export=csv"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert application.reference.encode() not in response.content
    response = client.post(
        f"/admin/forms/submissions/{call_id}/delete/?selected-submissions={application.pk}",
    )
    assert response.status_code in (302, 403)
    assert Application.objects.filter(pk=application.pk).exists()


# --- Every action checks its own objects -----------------------------------------------------


def test_bulk_selection_with_another_calls_id_is_refused_whole(client, call, other_call, moderator):
    mine = ApplicationFactory(page=call)
    foreign = ApplicationFactory(page=other_call)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:bulk"),
        {"action": "status", "status": Status.EN_INSTRUCTION, "call": call.pk, "ids": [mine.pk, foreign.pk]},
    )
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"
    mine.refresh_from_db()
    foreign.refresh_from_db()
    assert mine.status == foreign.status == Status.RECUE
    assert not HistoryEntry.objects.exists()


def test_bulk_selection_with_an_unknown_id_is_refused_whole(client, call, moderator):
    mine = ApplicationFactory(page=call)
    client.force_login(moderator)
    client.post(
        reverse("moderation:bulk"), {"action": "status", "status": Status.EN_INSTRUCTION, "ids": [mine.pk, 999999]}
    )
    mine.refresh_from_db()
    assert mine.status == Status.RECUE


def test_bulk_transition_and_assignment(client, call, moderator, reviewer):
    a, b = ApplicationFactory.create_batch(2, page=call)
    decided = ApplicationFactory(page=call, status=Status.LAUREATE)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:bulk"),
        {"action": "status", "status": Status.EN_INSTRUCTION, "call": call.pk, "ids": [a.pk, b.pk, decided.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "2 candidatures passées à « En instruction »." in html
    assert decided.reference in html  # reported as not changed
    assert set(Application.objects.filter(status=Status.EN_INSTRUCTION).values_list("pk", flat=True)) == {a.pk, b.pk}
    client.post(reverse("moderation:bulk"), {"action": "assign", "reviewer": reviewer.pk, "ids": [a.pk, b.pk]})
    assert set(Assignment.objects.filter(reviewer=reviewer).values_list("application_id", flat=True)) == {a.pk, b.pk}


def test_a_reviewer_cannot_use_another_reviewers_assignment(client, call, moderator, reviewer, other_reviewer):
    theirs = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    assign(theirs, other_reviewer, moderator)
    attachment = add_attachment(theirs)
    client.force_login(reviewer)
    assert client.get(reverse("moderation:review", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("moderation:review", args=[theirs.pk]), {"conflict_of_interest": "on"}).status_code == 404
    )
    assert client.get(reverse("moderation:download", args=[attachment.pk])).status_code == 404
    assert not Review.objects.exists()


def test_reviewers_cannot_bulk(client, call, moderator, reviewer):
    mine = ApplicationFactory(page=call)
    assign(mine, reviewer, moderator)
    client.force_login(reviewer)
    for data in ({"action": "status", "status": Status.EN_INSTRUCTION}, {"action": "assign", "reviewer": reviewer.pk}):
        response = client.post(reverse("moderation:bulk"), {**data, "ids": [mine.pk]})
        assert response.status_code in (302, 403)
    mine.refresh_from_db()
    assert mine.status == Status.RECUE


def test_decision_actions_with_foreign_ids_change_nothing(client, call, moderator):
    client.force_login(moderator)
    assert client.post(reverse("moderation:transition", args=[999999]), {"status": "laureate"}).status_code == 404
    assert client.post(reverse("moderation:cancel_decision", args=[999999])).status_code == 404
    assert client.get(reverse("moderation:announce", args=[999999])).status_code == 404
    staged = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE)
    Decision.objects.create(application=staged, outcome=Status.LAUREATE)
    # Cancelling a scheduled announcement of another call (or an unknown one) is not found.
    response = client.post(reverse("moderation:announce", args=[call.pk]), {"cancel": 999999})
    assert response.status_code == 404
    assert Decision.objects.filter(application=staged).exists()


def test_reviewers_cannot_stage_in_bulk(client, call, moderator, reviewer):
    mine = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE)
    assign(mine, reviewer, moderator)
    client.force_login(reviewer)
    response = client.post(reverse("moderation:bulk"), {"action": "status", "status": "laureate", "ids": [mine.pk]})
    assert response.status_code in (302, 403)
    assert not Decision.objects.exists()


def test_bidi_control_characters_in_applicant_text_stay_isolated(client, call, moderator):
    hostile = "\u202eevil\u202c Diallo"
    application = ApplicationFactory(page=call, applicant_name=hostile, business_name="\u2067Café\u2069")
    client.force_login(moderator)
    queue = client.get(INDEX).content.decode()
    assert f"<bdi>{hostile}</bdi>" in queue
    page = client.get(reverse("moderation:application", args=[application.pk])).content.decode()
    assert f"<bdi>{hostile}</bdi>" in page
