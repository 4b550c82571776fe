"""home.folding: the search's one-to-one folding (``fold``) and the moderation queue's loose one (``fold_words``)."""

import pytest

from home.folding import fold, fold_words


@pytest.mark.parametrize("folding", [fold, fold_words])
def test_both_forms_drop_case_and_accents(folding):
    assert folding("La Passerelle Négreneys") == "la passerelle negreneys"
    assert folding("ÉPICERIE Café") == "epicerie cafe"
    assert folding(None) == ""


def test_one_to_one_keeps_every_position():
    for text in ("İstanbul", "ﬁn", "Straße", "Œuvre", "a\u00a0b  c"):
        assert len(fold(text)) == len(text)
    assert fold("Straße ﬁn  Œuvre") == "straße ﬁn  œuvre"


def test_the_loose_form_compares_words_only():
    # Compatibility forms, full case folding, spaces collapsed: what the queue stores.
    assert fold_words("  Straße\u00a0ﬁn\n Œuvre ") == "strasse fin œuvre"
