"""The query handling of search.query: no database, no backend."""

import pytest
from modelsearch.query import And, Or, Phrase, PlainText

from home.folding import fold
from search.query import (
    MAX_QUERY_LENGTH,
    autocomplete_terms,
    build_backend_query,
    clean_query,
    highlight,
    parse_page_number,
    parse_query,
    plural_variants,
)


def test_clean_query_caps_the_length_and_removes_control_characters():
    assert clean_query("a" * 100_000) == "a" * MAX_QUERY_LENGTH
    assert clean_query("  café\x00 \t du\nquartier ") == "café du quartier"
    assert clean_query(None) == ""
    # A decomposed « é » (e + combining acute accent) becomes one letter.
    assert clean_query("e\u0301picerie") == "épicerie"


def test_fold_keeps_one_character_for_one():
    assert fold("La Passerelle Négreneys") == "la passerelle negreneys"
    assert fold("Œuvre ÉPICERIE") == "œuvre epicerie"
    for text in ("İstanbul", "ﬁn", "Straße"):
        assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    "typed,terms",
    [
        ("l'épicerie du quartier", ["épicerie", "quartier"]),
        ("La Passerelle Négreneys", ["Passerelle", "Négreneys"]),
        ("café AND épicerie OR NOT NEAR(x, z)", ["café", "épicerie", "x", "z"]),
        ('a"b', ["b"]),  # « a » is a stop word
        ("^x a:b (k) d* -e +f", ["x", "b", "k", "e", "f"]),
        ("la le les", ["la", "le", "les"]),  # only stop words: still searched
        ("épicerie épicerie Epicerie", ["épicerie"]),
        ("", []),
        ('"', []),
    ],
)
def test_parse_query_keeps_plain_words_only(typed, terms):
    assert parse_query(clean_query(typed)).terms == terms


def test_parse_query_reads_quoted_phrases():
    parsed = parse_query('"la marmite joyeuse" Marseille')
    assert parsed.phrases == [["la", "marmite", "joyeuse"]]
    assert parsed.terms == ["Marseille"]
    single = parse_query("« Toulouse »")
    assert single.terms == ["Toulouse"] and single.phrases == []


def test_parse_query_caps_the_number_of_words():
    assert len(parse_query(" ".join(f"mot{n}" for n in range(50))).terms) == 10


@pytest.mark.parametrize(
    "term,variants",
    [
        ("femme", ["femme", "femmes"]),
        ("femmes", ["femmes", "femme"]),
        ("local", ["local", "locals", "locaux"]),
        ("locaux", ["locaux", "local", "locail"]),
        ("jeu", ["jeu"]),
        ("2024", ["2024"]),
    ],
)
def test_plural_variants(term, variants):
    assert plural_variants(term) == variants


def test_backend_query_without_stemming_accepts_singular_and_plural():
    query = build_backend_query(parse_query("femmes Toulouse"), stems=False)
    assert isinstance(query, And)
    first, second = query.subqueries
    assert isinstance(first, Or)
    assert [sub.query_string for sub in first.subqueries] == ["femmes", "femme"]
    assert isinstance(second, Or)


def test_backend_query_with_stemming_is_one_plain_text_with_and():
    query = build_backend_query(parse_query("femmes Toulouse"), stems=True)
    assert isinstance(query, PlainText)
    assert query.query_string == "femmes Toulouse"
    assert query.operator == "and"


def test_backend_query_with_a_phrase():
    query = build_backend_query(parse_query('"marmite joyeuse"'), stems=True)
    assert isinstance(query, Phrase) and query.query_string == "marmite joyeuse"
    assert build_backend_query(parse_query("  "), stems=True) is None


@pytest.mark.parametrize(
    "raw,number", [(None, 1), ("2", 2), ("-1", 1), ("abc", 1), ("1e9", 1), ("0", 1), ("9" * 5000, 1), (" 3 ", 3)]
)
def test_parse_page_number(raw, number):
    assert parse_page_number(raw) == number


def test_highlight_escapes_then_marks_the_matching_words():
    html = highlight("<b>Une épicerie</b> & des Épiceries solidaires", ["epicerie"])
    assert html == ("&lt;b&gt;Une <mark>épicerie</mark>&lt;/b&gt; &amp; des <mark>Épiceries</mark> solidaires")


def test_highlight_never_lets_the_query_inject_markup():
    html = highlight("Un café", ["<script>", "café"])
    assert "<script>" not in html
    assert html == "Un <mark>café</mark>"


def test_highlight_cuts_a_long_text_around_the_first_match():
    text = "Début. " + "Texte sans rapport. " * 30 + "Ici le jardin partagé du quartier. " + "Suite. " * 30
    html = highlight(text, ["jardin"], length=120)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>jardin</mark>" in html
    assert len(html) < 200


def test_autocomplete_terms_keep_the_word_being_typed():
    assert autocomplete_terms("La Pas") == ["pas"]
    assert autocomplete_terms("négr") == ["negr"]
    assert autocomplete_terms('"') == []
