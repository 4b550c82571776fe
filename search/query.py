"""Turning what a visitor typed into something every search backend accepts.

A query string is never handed to a backend as typed: SQLite FTS5 has its own query
language (a lone ``"`` or a NUL byte raise ``OperationalError`` in modelsearch 1.3, see
wagtail#13227), PostgreSQL refuses NUL bytes, and operators such as ``NEAR(``, ``*``,
``^x`` or ``a:b`` mean something to one engine and nothing to another. So the query is
cleaned (length capped, control characters removed), cut into plain words, and the
backend receives modelsearch query objects (``PlainText`` with ``operator="and"``,
``Phrase``) built from those words only. Nothing here touches the database.

https://docs.wagtail.org/en/stable/topics/search/searching.html#query-string-parsing
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from modelsearch.query import And, Or, Phrase, PlainText

# One character folded to one (the default): highlighting maps folded positions back.
from home.folding import fold

# Longer queries are cut: no visitor types 200 characters, and a 100 000-character query
# must cost no more than a short one.
MAX_QUERY_LENGTH = 200
# Each word becomes a clause of the backend query; past ten, it only slows the search down.
MAX_TERMS = 10

# Words that carry no meaning in a French query. PostgreSQL's french configuration and
# Elasticsearch's _french_ stop filter drop them; SQLite FTS5 would require every one of
# them (operator "and"), so they are dropped here for every backend alike.
FRENCH_STOPWORDS = frozenset(
    """
    a au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais me
    meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te
    tes toi ton tu un une vos votre vous y c d j l m n s t
    """.split()
)

# Query-language words of the engines (FTS5, Lucene); typed by a visitor they are either
# an attempt at syntax or noise, never something to find in a story.
OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "NEAR"})

# French elision: « l'épicerie », « d'Aubervilliers », « qu'on ». The article is dropped
# so that « l'épicerie » finds « Épicerie » on every backend.
_ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r"[\"«“](.+?)[\"»”]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff]")
_SPACES = re.compile(r"\s+")


def clean_query(raw):
    """The query as it will be shown back and recorded: normalised, capped, one line.

    ``raw`` may be None (no ``q`` parameter). Unicode is normalised to NFC first so that a
    decomposed « é » (e + combining accent) reads as one letter.
    """
    if not raw:
        return ""
    text = unicodedata.normalize("NFC", str(raw[: MAX_QUERY_LENGTH * 4]))
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return text[:MAX_QUERY_LENGTH].strip()


def _words(text):
    text = _ELISION.sub(" ", text)
    return [word for word in _WORD.findall(text) if word not in OPERATOR_WORDS]


@dataclass
class ParsedQuery:
    """The plain words of a query, and the quoted phrases among them."""

    terms: list = field(default_factory=list)
    phrases: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.terms or self.phrases)

    @property
    def all_terms(self):
        """Every word, phrases included, for highlighting and suggestions."""
        words = list(self.terms)
        for phrase in self.phrases:
            words.extend(phrase)
        return words

    @property
    def text(self):
        return " ".join(self.all_terms)


def parse_query(cleaned):
    """Cut a cleaned query into words and quoted phrases (« "la blague" épicerie »).

    Stop words are dropped unless nothing else is left (a search for « la » still searches).
    Words keep their case and accents: each backend folds them its own way on both sides.
    """
    phrases = []
    for match in _PHRASE.finditer(cleaned):
        words = _words(match.group(1))
        if len(words) > 1:
            phrases.append(words[:MAX_TERMS])
        elif words:
            cleaned = cleaned.replace(match.group(0), f" {words[0]} ", 1)
            continue
        cleaned = cleaned.replace(match.group(0), " ", 1)
    words = _words(cleaned)
    meaningful = [word for word in words if fold(word) not in FRENCH_STOPWORDS]
    if meaningful or phrases:
        words = meaningful
    terms = []
    seen = set()
    for word in words:
        key = fold(word)
        if key not in seen:
            seen.add(key)
            terms.append(word)
    return ParsedQuery(terms=terms[:MAX_TERMS], phrases=phrases[:2])


def plural_variants(term):
    """Singular and plural spellings of a French word, for backends that do not stem.

    « femme » → femme, femmes; « femmes » → femmes, femme; « local » → local, locaux;
    « travaux » → travaux, travail, traval (harmless). Short words are left alone.
    """
    variants = [term]
    lower = fold(term)
    if len(lower) < 4 or not lower.isalpha():
        return variants
    if lower.endswith("aux"):
        variants += [term[:-3] + "al", term[:-3] + "ail"]
    elif lower.endswith(("s", "x")):
        variants.append(term[:-1])
    else:
        variants.append(term + "s")
        if lower.endswith("al"):
            variants.append(term[:-2] + "aux")
        elif lower.endswith(("au", "eu")):
            variants.append(term + "x")
    return variants


def build_backend_query(parsed, *, stems):
    """The modelsearch query for a parsed query, every word required.

    ``stems``: whether the backend reduces words to their stem on both sides (PostgreSQL
    with the french configuration, Elasticsearch with the French analyser). When it does
    not (SQLite FTS5), each word matches its singular or plural spelling instead.
    """
    clauses = []
    if parsed.terms:
        if stems:
            clauses.append(PlainText(" ".join(parsed.terms), operator="and"))
        else:
            for term in parsed.terms:
                variants = plural_variants(term)
                if len(variants) == 1:
                    clauses.append(PlainText(term, operator="and"))
                else:
                    clauses.append(Or([PlainText(variant, operator="and") for variant in variants]))
    clauses.extend(Phrase(" ".join(words)) for words in parsed.phrases)
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else And(clauses)


def parse_page_number(raw):
    """A page number from the query string; anything that is not a small positive integer is page 1."""
    if raw is None:
        return 1
    raw = str(raw).strip()
    if not raw.isdigit() or len(raw) > 6:
        return 1
    return max(1, int(raw))


# --- Excerpts -----------------------------------------------------------------------------


def _match_spans(text, terms):
    """Spans of the words of ``text`` that start like one of ``terms`` (accents and case ignored)."""
    folded = fold(text)
    stems = set()
    for term in terms:
        key = fold(term)
        if len(key) > 3 and key.endswith(("s", "x")):
            key = key[:-1]
        if key:
            stems.add(key)
    if not stems:
        return []
    spans = []
    for match in _WORD.finditer(folded):
        word = match.group(0)
        if any(word.startswith(stem) for stem in stems):
            spans.append(match.span())
    return spans


def excerpt(text, terms, *, length=220):
    """A window of ``text`` around the first match, ellipsised at word boundaries."""
    text = _SPACES.sub(" ", text or "").strip()
    if len(text) <= length:
        return text, 0
    spans = _match_spans(text, terms)
    start = 0
    if spans:
        first = spans[0][0]
        start = max(0, first - length // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    window = text[start:end]
    return ("…" if start else "") + window + ("…" if end < len(text) else ""), start


def highlight(text, terms, *, length=220):
    """``text`` cut to an excerpt, escaped, with the matching words wrapped in ``<mark>``.

    Every piece of the text goes through ``format_html`` (escaping), so a summary or a
    query containing markup comes out inert.
    """
    window, _ = excerpt(text, terms, length=length)
    spans = _match_spans(window, terms)
    parts = []
    position = 0
    for start, end in spans:
        parts.append(format_html("{}", window[position:start]))
        parts.append(format_html("<mark>{}</mark>", window[start:end]))
        position = end
    parts.append(format_html("{}", window[position:]))
    return format_html_join("", "{}", ((part,) for part in parts))


def autocomplete_terms(cleaned):
    """Folded words for a prefix search: stop words dropped except the last, partial word.

    « La Pas » → ["pas"] (« pas » is being typed: « Passerelle »); « negr » → ["negr"].
    Folding here makes the query side accent-insensitive on every backend (the index side
    folds too: FTS5 unicode61, f_unaccent on PostgreSQL, asciifolding in Elasticsearch).
    """
    words = [fold(word) for word in _words(cleaned.replace('"', " "))]
    if not words:
        return []
    kept = [word for word in words[:-1] if word not in FRENCH_STOPWORDS] + [words[-1]]
    return kept[-6:]
