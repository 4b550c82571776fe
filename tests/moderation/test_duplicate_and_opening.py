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
