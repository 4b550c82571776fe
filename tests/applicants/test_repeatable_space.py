"""The applicant's space shows a repeatable section's entries as a table, and the PDF
downloaded from it holds them."""

import io

import pytest
from pypdf import PdfReader

from calls.models import Application
from tests.calls.factories import CallIndexPageFactory, make_call
from tests.calls.test_repeatable import GROUP_FIELDS, post

pytestmark = pytest.mark.django_db


def test_the_space_and_the_pdf_show_the_entries(client, home_page, sign_in):
    call = make_call(
        CallIndexPageFactory(parent=home_page), fields=GROUP_FIELDS, slug="appel-groupes", form_in_steps=False
    )
    post(client, call, partners=[{"nom": "Asso Zéphyr"}], purchases=[{"objet": "Four", "montant": "300"}])
    application = Application.objects.get()
    sign_in()
    html = client.get(f"/espace-candidat/candidatures/{application.pk}/").content.decode()
    assert "<caption>Partenaires</caption>" in html and "<bdi>Asso Zéphyr</bdi>" in html
    assert '<th scope="row">Total</th><td></td><td>300</td>' in html
    response = client.get(f"/espace-candidat/candidatures/{application.pk}/pdf/")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Asso Zéphyr" in text and "Four" in text
