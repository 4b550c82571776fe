"""home.text.fold: the search's one-to-one folding and the moderation queue's loose one."""

import pytest

from home.text import fold


@pytest.mark.parametrize("one_to_one", [True, False])
def test_both_forms_drop_case_and_accents(one_to_one):
    assert fold("La Passerelle Négreneys", one_to_one=one_to_one) == "la passerelle negreneys"
    assert fold("ÉPICERIE Café", one_to_one=one_to_one) == "epicerie cafe"
    assert fold(None, one_to_one=one_to_one) == ""


def test_one_to_one_keeps_every_position():
    for text in ("İstanbul", "ﬁn", "Straße", "Œuvre", "a\u00a0b  c"):
        assert len(fold(text)) == len(text)
    assert fold("Straße ﬁn  Œuvre") == "straße ﬁn  œuvre"


def test_the_loose_form_compares_words_only():
    # Compatibility forms, full case folding, spaces collapsed: what the queue stores.
    assert fold("  Straße\u00a0ﬁn\n Œuvre ", one_to_one=False) == "strasse fin œuvre"
