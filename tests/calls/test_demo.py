"""The calls' demo content: an open call whatever the day, the closed 2020 call, the teaser."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from calls.models import CallFormField, CallPage
from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_demo_creates_the_open_and_closed_calls_idempotently(client):
    call_command("load_demo_content", stdout=io.StringIO())
    call_command("load_demo_content", stdout=io.StringIO())
    open_call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    closed = CallPage.objects.get(slug="appel-a-candidatures-2020")
    assert CallPage.objects.count() == 2
    assert open_call.url == "/appels/appel-a-candidatures-2026/"
    assert open_call.state() == "open"
    assert (open_call.closes_at - timezone.now()).days >= 119
    assert closed.state() == "closed"
    assert closed.closes_at.year == 2020 and timezone.localtime(closed.closes_at).month == 12
    types = list(CallFormField.objects.filter(page=open_call).values_list("field_type", flat=True))
    for expected in (
        "business_kind",
        "region",
        "siret",
        "tel",
        "file",
        "consent",
        "image_rights",
        "multiline",
        "number",
        "legal_form",
        "amount",
        "yes_no",
    ):
        assert expected in types
    assert CallFormField.objects.filter(page=open_call).count() == len(types) == 21
    assert HomePage.objects.get().call_teaser_page_id == open_call.pk
    # In steps, one per section of the form.
    assert open_call.form_in_steps
    html = client.get(open_call.url).content.decode()
    assert "Étape 1 sur 3 : Votre commerce" in html and "Les documents à préparer" in html
    assert "Cet appel est clos" in client.get(closed.url).content.decode()
