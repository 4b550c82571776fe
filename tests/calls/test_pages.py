"""The call pages in the site tree and in the admin: creation rules, validation, listing,
superuser-only fields, and refusal to delete a call that has applications."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page

from calls.models import Application, CallIndexPage, CallPage
from home.models import HomePage, ProgrammePage
from tests.calls.factories import call_admin_post_data, make_call, valid_answers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_call_pages_live_under_the_call_index_only():
    assert CallPage.parent_page_types == ["calls.CallIndexPage"]
    assert CallPage.allowed_parent_page_models() == [CallIndexPage]
    assert HomePage not in CallPage.allowed_parent_page_models()
    assert ProgrammePage not in CallPage.allowed_parent_page_models()
    assert CallIndexPage.subpage_types == ["calls.CallPage"]


def test_call_page_has_the_social_image_promote_field():
    field = CallPage._meta.get_field("social_image")
    assert field.related_model.__name__ == "CustomImage"


def test_closing_must_follow_opening(call):
    from django.core.exceptions import ValidationError

    call.closes_at = call.opens_at - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        call.full_clean()
    assert "closes_at" in excinfo.value.message_dict


def admin_post_data(**overrides):
    fields = [
        {"label": "Nom du commerce", "field_type": "singleline", "required": "on", "max_size_mb": "5"},
        {
            "label": "Business plan",
            "field_type": "file",
            "required": "on",
            "max_size_mb": "10",
            "allowed_kinds": ["pdf"],
        },
    ]
    return call_admin_post_data(fields, **overrides)


def test_admin_creates_a_call_with_its_form(admin_client, call_index):
    url = f"/admin/pages/add/calls/callpage/{call_index.pk}/"
    response = admin_client.post(url, admin_post_data())
    if response.status_code != 302:
        form = response.context["form"]
        pytest.fail(f"{form.errors} {[f.errors for f in form.formsets['form_fields'].forms]}")
    call = CallPage.objects.get(slug="appel-2031")
    fields = {f.clean_name: f for f in call.form_fields.all()}
    assert fields["business_plan"].allowed_kinds == ["pdf"]
    assert fields["business_plan"].max_size_mb == 10
    assert call.to_address == "equipe@quartierscafes.org"


def test_admin_refuses_a_closing_before_the_opening(admin_client, call_index):
    url = f"/admin/pages/add/calls/callpage/{call_index.pk}/"
    now = timezone.localtime()
    data = admin_post_data(closes_at=(now - datetime.timedelta(days=5)).strftime("%Y-%m-%d %H:%M"))
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "La clôture doit être postérieure à l&#x27;ouverture." in response.content.decode()
    assert not CallPage.objects.filter(slug="appel-2031").exists()


def test_only_superusers_see_and_change_the_team_addresses(client, call):
    from django.contrib.auth.models import Group

    editor = UserFactory(username="redaction")
    editor.groups.add(Group.objects.get(name="Éditeurs"))  # Wagtail's « Editors », folded into it
    client.force_login(editor)
    response = client.get(f"/admin/pages/{call.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="to_address"' not in html
    assert 'name="confirmation_subject"' in html


def test_index_lists_open_calls_first_then_upcoming_then_closed(client, call_index):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    make_call(call_index, title="Appel clos", slug="clos", opens_at=now - 60 * day, closes_at=now - 30 * day)
    make_call(call_index, title="Appel à venir", slug="a-venir", opens_at=now + 10 * day, closes_at=now + 40 * day)
    make_call(call_index, title="Appel ouvert", slug="ouvert", opens_at=now - day, closes_at=now + 20 * day)
    html = client.get(call_index.url).content.decode()
    assert html.index("Appels ouverts") < html.index("Appel ouvert") < html.index("Appels à venir")
    assert html.index("Appels à venir") < html.index("Appel à venir") < html.index("Appels clôturés")
    assert html.index("Appels clôturés") < html.index("Appel clos")
    # The state is said in words, not only by a colour.
    assert "Candidatures ouvertes jusqu'au" in html
    assert "Les candidatures ouvriront le" in html
    assert "Cet appel est clos depuis le" in html


def test_index_query_count_does_not_grow_with_calls(client, call_index, django_assert_max_num_queries):
    now = timezone.now()
    for n in range(12):
        make_call(
            call_index,
            opens_at=now - datetime.timedelta(days=n * 30 + 40),
            closes_at=now - datetime.timedelta(days=n * 30 + 10),
        )
    client.get(call_index.url)
    with django_assert_max_num_queries(12):
        response = client.get(call_index.url)
    assert response.content.decode().count('class="card call-card') == 12


def test_deleting_a_call_with_applications_is_refused(admin_client, call, get_token, client):
    response = client.post(call.url, {**valid_answers(), "qc_jeton": get_token(call)})
    assert response.status_code == 303
    response = admin_client.post(f"/admin/pages/{call.pk}/delete/", follow=True)
    html = response.content.decode()
    assert "Cet appel a reçu 1 candidature : il ne peut pas être supprimé." in html
    assert Page.objects.filter(pk=call.pk).exists()
    assert Application.objects.count() == 1


def test_deleting_the_index_above_calls_with_applications_is_refused(admin_client, call, call_index, get_token, client):
    client.post(call.url, {**valid_answers(), "qc_jeton": get_token(call)})
    response = admin_client.get(f"/admin/pages/{call_index.pk}/delete/", follow=True)
    assert "il ne peut pas être supprimé" in response.content.decode()
    assert Page.objects.filter(pk=call_index.pk).exists()


def test_deleting_a_call_without_applications_works(admin_client, call):
    response = admin_client.post(f"/admin/pages/{call.pk}/delete/")
    assert response.status_code == 302
    assert not Page.objects.filter(pk=call.pk).exists()


def test_application_page_link_protects_it(call, get_token, client):
    from django.db.models import ProtectedError

    client.post(call.url, {**valid_answers(), "qc_jeton": get_token(call)})
    with pytest.raises(ProtectedError):
        call.delete()


def test_admin_lists_applications_without_spam(admin_client, call, get_token, client):
    client.post(call.url, {**valid_answers(), "qc_jeton": get_token(call)})
    client.post(
        call.url, {**valid_answers(nom_du_commerce="Robot"), "qc_jeton": get_token(call), "qc_site_internet": "x"}
    )
    # A call's applications are read only under « Candidatures », superusers included.
    assert admin_client.get(f"/admin/forms/submissions/{call.pk}/").status_code in (302, 403)
    response = admin_client.get("/admin/moderation/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le Petit Zinc" in html
    assert "Robot" not in html


def test_preview_shows_the_form_even_before_opening(admin_client, call_index):
    call = make_call(
        call_index,
        opens_at=timezone.now() + datetime.timedelta(days=5),
        closes_at=timezone.now() + datetime.timedelta(days=50),
    )
    response = admin_client.get(f"/admin/pages/{call.pk}/view_draft/")
    assert response.status_code == 200
    assert 'name="nom_du_commerce"' in response.content.decode()
