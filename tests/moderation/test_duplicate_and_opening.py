"""« Dupliquer l'appel » copies the call's set-up, never its applications; a call cannot
open while it lacks an email field, a consent field, criteria or decision texts."""

import datetime

import pytest
from django.utils import timezone
from django.utils.timezone import localtime

from calls.models import Application, CallPage
from moderation.models import DecisionEmail, RegionTarget, ScoringCriterion
from tests.calls.factories import add_form_fields, call_admin_post_data
from tests.moderation.factories import ApplicationFactory, make_call

pytestmark = pytest.mark.django_db


def test_the_call_offers_duplicate_and_the_copy_keeps_its_set_up(client, call, call_index, admin_user):
    RegionTarget.objects.create(page=call, region="occitanie", share=20)
    CallPage.objects.filter(pk=call.pk).update(to_address="equipe@example.org", subject="Nouvelle candidature")
    ApplicationFactory(page=call)
    client.force_login(admin_user)
    editor = client.get(f"/admin/pages/{call.pk}/edit/").content.decode()
    assert "Dupliquer l&#x27;appel" in editor
    response = client.post(
        f"/admin/pages/{call.pk}/copy/",
        {"new_title": "Appel 2042", "new_slug": "appel-2042", "new_parent_page": call_index.pk},
    )
    assert response.status_code == 302
    copy = CallPage.objects.get(slug="appel-2042")
    assert not copy.live
    assert [f.label for f in copy.form_fields.order_by("sort_order")] == [
        f.label for f in call.form_fields.order_by("sort_order")
    ]
    assert ScoringCriterion.objects.filter(page=copy).count() == 2
    assert set(DecisionEmail.objects.filter(page=copy).values_list("outcome", flat=True)) == {"laureate", "non_retenue"}
    assert RegionTarget.objects.get(page=copy).share == 20
    assert (copy.to_address, copy.subject) == ("equipe@example.org", "Nouvelle candidature")
    assert not Application.objects.filter(page=copy).exists()
    assert Application.objects.filter(page=call).count() == 1


def test_what_a_call_lacks_before_opening(call_index):
    bare = make_call(call_index, criteria=(), decisions={}, title="Nu", slug="nu")
    assert bare.missing_for_opening() == [
        "un champ « Consentement (RGPD) »",
        "au moins un critère d'évaluation",
        "le courriel de décision « lauréate »",
        "le courriel de décision « non retenue »",
    ]
    add_form_fields(bare, [{"label": "J'accepte", "field_type": "consent"}])
    ScoringCriterion.objects.create(page=bare, label="Utilité", weight=1)
    DecisionEmail.objects.create(page=bare, outcome="laureate", subject="Oui", body="Bravo")
    DecisionEmail.objects.create(page=bare, outcome="non_retenue", subject="Non", body="Désolés")
    assert CallPage.objects.get(pk=bare.pk).missing_for_opening() == []


def test_publishing_an_incomplete_open_call_is_refused_with_what_is_missing(client, call_index, admin_user):
    bare = make_call(
        call_index,
        criteria=(),
        decisions={},
        title="Nu",
        slug="nu",
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )
    CallPage.objects.filter(pk=bare.pk).update(live=False)
    client.force_login(admin_user)
    page = CallPage.objects.get(pk=bare.pk)
    fields = [
        {"label": f.label, "field_type": f.field_type, "purpose": f.purpose, "required": "", "max_size_mb": 5}
        for f in page.form_fields.order_by("sort_order")
        if f.field_type != "file"
    ]
    data = call_admin_post_data(
        fields,
        title="Nu",
        slug="nu",
        opens_at=localtime(page.opens_at).strftime("%Y-%m-%d %H:%M"),
        closes_at=localtime(page.closes_at).strftime("%Y-%m-%d %H:%M"),
    )
    data["action-publish"] = "1"
    response = client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)
    html = response.content.decode()
    assert "l&#x27;appel ne peut pas ouvrir" in html or "l'appel ne peut pas ouvrir" in html
    assert "au moins un critère d" in html
    assert not CallPage.objects.get(pk=page.pk).live


def test_the_editor_sees_what_is_missing_while_editing(client, call_index, admin_user):
    bare = make_call(
        call_index,
        criteria=(),
        title="Nu",
        slug="nu",
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )
    client.force_login(admin_user)
    html = client.get(f"/admin/pages/{bare.pk}/edit/").content.decode()
    assert "Pour que l&#x27;appel puisse ouvrir, il manque" in html
    assert "au moins un critère d&#x27;évaluation" in html
    ScoringCriterion.objects.create(page=bare, label="Utilité", weight=1)
    add_form_fields(bare, [{"label": "J'accepte", "field_type": "consent"}])
    html = client.get(f"/admin/pages/{bare.pk}/edit/").content.decode()
    assert "Pour que l&#x27;appel puisse ouvrir" not in html


def test_bulk_publishing_an_incomplete_call_is_refused(client, call_index, admin_user):
    bare = make_call(
        call_index,
        criteria=(),
        title="Nu",
        slug="nu",
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )
    CallPage.objects.filter(pk=bare.pk).update(live=False)
    client.force_login(admin_user)
    response = client.post(f"/admin/bulk/wagtailcore/page/publish/?id={bare.pk}", {}, follow=True)
    assert "Publication impossible" in response.content.decode()
    assert not CallPage.objects.get(pk=bare.pk).live


def incomplete_call_data(**overrides):
    """The editor's POST for a new call with neither an email field nor a consent field."""
    return call_admin_post_data(
        [{"label": "Nom du commerce", "field_type": "singleline", "purpose": "", "required": "on", "max_size_mb": 5}],
        title="Appel incomplet",
        slug="appel-incomplet",
        **overrides,
    )


def assert_not_open_to_applicants(client, page):
    """Not listed as open, not served, nothing accepted."""
    client.logout()
    listing = client.get(page.get_parent().url).content.decode()
    assert "Appel incomplet" not in listing
    assert page.url.endswith("/appel-incomplet/")
    assert client.get(page.url).status_code == 404
    response = client.post(page.url, {"nom_du_commerce": "Le Café"})
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_publishing_a_brand_new_incomplete_call_creates_a_draft(client, call_index, admin_user):
    client.force_login(admin_user)
    data = incomplete_call_data()
    data["action-publish"] = "1"
    response = client.post(f"/admin/pages/add/calls/callpage/{call_index.pk}/", data, follow=True)
    html = response.content.decode()
    assert "Brouillon enregistré, mais l&#x27;appel ne peut pas ouvrir" in html
    assert "un champ « Consentement (RGPD) »" in html
    page = CallPage.objects.get(slug="appel-incomplet")
    assert not page.live
    assert page.live_revision is None
    assert page.get_latest_revision() is not None  # the draft is kept
    assert_not_open_to_applicants(client, page)


def test_bulk_publishing_a_new_incomplete_call_with_its_index_publishes_nothing(client, call_index, admin_user):
    client.force_login(admin_user)
    client.post(f"/admin/pages/add/calls/callpage/{call_index.pk}/", incomplete_call_data())
    page = CallPage.objects.get(slug="appel-incomplet")
    assert not page.live
    for ids in (f"id={page.pk}", f"id={call_index.pk}"):
        response = client.post(
            f"/admin/bulk/wagtailcore/page/publish/?{ids}", {"include_descendants": "on"}, follow=True
        )
        assert "Publication impossible" in response.content.decode()
        assert "« Appel incomplet »" in response.content.decode()
        assert not CallPage.objects.get(pk=page.pk).live
    assert_not_open_to_applicants(client, page)


def test_the_page_model_refuses_to_make_an_incomplete_call_live(call_index):
    from calls.models import CallCannotOpen

    bare = make_call(
        call_index,
        criteria=(),
        title="Appel incomplet",
        slug="appel-incomplet",
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=10),
        live=False,
    )
    revision = bare.save_revision()
    with pytest.raises(CallCannotOpen):
        revision.publish()
    assert not CallPage.objects.get(pk=bare.pk).live


def test_approving_an_incomplete_call_in_the_workflow_leaves_it_a_draft(client, call_index, admin_user):
    from wagtail.models import Workflow, WorkflowState

    client.force_login(admin_user)
    data = incomplete_call_data()
    data["action-submit"] = "1"
    client.post(f"/admin/pages/add/calls/callpage/{call_index.pk}/", data)
    page = CallPage.objects.get(slug="appel-incomplet")
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert Workflow.objects.filter(pk=state.workflow_id).exists()
    task_state = state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/",
        {"comment": ""},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert f"/admin/pages/{page.pk}/edit/" in response.content.decode()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS  # the approval was rolled back
    assert not CallPage.objects.get(pk=page.pk).live
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "L&#x27;appel ne peut pas ouvrir" in html
    assert_not_open_to_applicants(client, page)


def test_duplicating_asks_for_new_dates_and_makes_a_draft(client, call, call_index, admin_user):
    ApplicationFactory(page=call)
    client.force_login(admin_user)
    editor = client.get(f"/admin/pages/{call.pk}/edit/").content.decode()
    assert f"/admin/appels/{call.pk}/dupliquer/" in editor
    form = client.get(f"/admin/appels/{call.pk}/dupliquer/").content.decode()
    assert 'name="opens_at"' in form and 'name="closes_at"' in form
    assert "Alias" not in form and "alias" not in form
    opens = timezone.localtime() + datetime.timedelta(days=30)
    closes = opens + datetime.timedelta(days=60)
    # The closing date before the opening one, then a slug already taken: refused, nothing made.
    bad = client.post(
        f"/admin/appels/{call.pk}/dupliquer/",
        {
            "title": "Appel 2043",
            "slug": "",
            "opens_at": closes.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": opens.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert "La clôture doit être postérieure à l&#x27;ouverture." in bad.content.decode()
    taken = client.post(
        f"/admin/appels/{call.pk}/dupliquer/",
        {
            "title": "Appel 2043",
            "slug": call.slug,
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert "Cette adresse est déjà prise" in taken.content.decode()
    assert CallPage.objects.count() == 1
    response = client.post(
        f"/admin/appels/{call.pk}/dupliquer/",
        {
            "title": "Appel 2043",
            "slug": "",
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    copy = CallPage.objects.get(slug="appel-2043")
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{copy.pk}/edit/"
    assert not copy.live and copy.title == "Appel 2043"
    assert localtime(copy.opens_at).strftime("%Y-%m-%d %H:%M") == opens.strftime("%Y-%m-%d %H:%M")
    assert localtime(copy.closes_at).strftime("%Y-%m-%d %H:%M") == closes.strftime("%Y-%m-%d %H:%M")
    assert copy.form_fields.count() == call.form_fields.count()
    assert ScoringCriterion.objects.filter(page=copy).count() == 2
    assert not Application.objects.filter(page=copy).exists()
