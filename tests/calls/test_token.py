"""The idempotency token of a call's form: a malformed one (altered by hand, a broken browser
extension) is replaced by a fresh one with a French message, once; the next POST is stored."""

import re

import pytest

from calls.models import Application
from tests.calls.factories import valid_answers

pytestmark = pytest.mark.django_db


def rendered_token(html):
    return re.search(r'name="qc_jeton" value="([^"]*)"', html).group(1)


@pytest.mark.parametrize("bad", ["pas-un-jeton", "1234", "0" * 31, "<script>"])
def test_a_malformed_token_is_replaced_once_with_a_french_message(client, call, bad):
    response = client.post(call.url, {**valid_answers(), "qc_jeton": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Il y a 1 erreur dans le formulaire" in html and "Il y a 0 erreur" not in html
    assert "son jeton était abîmé" in html
    assert not Application.objects.exists()
    fresh = rendered_token(html)
    assert fresh != bad and re.fullmatch(r"[0-9a-f-]{36}", fresh)
    assert 'value="Le Petit Zinc"' in html  # the answers are kept
    # The page as shown, sent again: stored once, no second message.
    response = client.post(call.url, {**valid_answers(), "qc_jeton": fresh})
    assert response.status_code == 303
    assert Application.objects.get().idempotency_key.hex == fresh.replace("-", "")


def test_a_missing_token_still_gets_a_fresh_one_without_a_message(client, call):
    response = client.post(call.url, {**valid_answers()})
    assert response.status_code == 303
    assert Application.objects.count() == 1
