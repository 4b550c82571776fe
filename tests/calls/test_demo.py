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
    assert CallPage.objects.count() == 3
    assert open_call.url == "/appels/appel-a-candidatures-2026/"
    assert open_call.state() == "open"
    # Published once complete (its criteria come with the moderation's demo).
    assert open_call.live and open_call.live_revision_id and not open_call.missing_for_opening()
    assert (open_call.closes_at - timezone.now()).days >= 119
    assert closed.state() == "closed"
    assert closed.closes_at.year == 2020 and timezone.localtime(closed.closes_at).month == 12
    types = list(CallFormField.objects.filter(page=open_call).values_list("field_type", flat=True))
    for expected in (
        "business_kind",
        "address",
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
        "rna",
    ):
        assert expected in types
    assert CallFormField.objects.filter(page=open_call).count() == len(types) == 21
    assert HomePage.objects.get().call_teaser_page_id == open_call.pk
    # In steps, one per section of the form.
    assert open_call.form_in_steps
    html = client.get(open_call.url).content.decode()
    assert "Étape 1 sur 3 : Votre commerce" in html and "Les documents à préparer" in html
    assert "Cet appel est clos" in client.get(closed.url).content.decode()


def test_the_demo_asks_an_association_for_its_rna_and_a_business_for_its_siret():
    """The demo's « Forme juridique » decides the identifier: the RNA question is shown to an
    association only (its condition), and the legal form's rule requires the matching number
    and drops the other one, whatever the POST carries."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict
    from django.utils.datastructures import MultiValueDict

    call_command("load_demo_content", stdout=io.StringIO())
    call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    form_class = call.get_form_class()

    def check(**answers):
        data = QueryDict(mutable=True)
        data.update(answers)
        form = form_class(data, MultiValueDict(), page=call, user=AnonymousUser())
        form.is_valid()
        return form

    association = check(forme_juridique="association", siret="732 829 320 00074")
    assert association.errors["numero_rna"]  # shown to an association, and required there
    assert "siret" not in association.errors and association.cleaned_data["siret"] == ""
    association = check(forme_juridique="association", numero_rna="w75 1234567", siret="732 829 320 00074")
    assert "numero_rna" not in association.errors
    assert association.cleaned_data["numero_rna"] == "W751234567" and association.cleaned_data["siret"] == ""

    business = check(forme_juridique="societe", numero_rna="W751234567")
    assert "numero_rna" in business.hidden_names and "numero_rna" not in business.cleaned_data
    assert business.errors["siret"][0].startswith("Ce numéro est demandé pour la forme juridique « Société")
    business = check(forme_juridique="societe", siret="732 829 320 00074")
    assert "siret" not in business.errors and business.cleaned_data["siret"] == "73282932000074"

    # No legal form given: the RNA question is not asked, the SIRET stays optional.
    unknown = check(siret="")
    assert "numero_rna" in unknown.hidden_names and "siret" not in unknown.errors
