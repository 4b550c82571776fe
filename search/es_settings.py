"""Elasticsearch configuration: the French analysis and the backend entry built from the
environment (imported by config/settings/base.py, so it imports nothing from Django).

Analysis. ``search.elasticsearch`` creates each index with exactly the settings below
(modelsearch's class-level ``ngram_analyzer``, ``ngram`` filter and tokenizers, which no
field uses, are not merged in). The mapping gives no analyser to full-text fields
(``SearchField`` becomes a ``text`` field, plus ``_all_text`` and ``_all_text_boost_*``), so
they use the index's ``default`` analyser at index time and at query time alike: elision,
lower case, ASCII folding, *then* the stop words, then the light French stemmer. Folding
comes before the stop words, and the stop list is Lucene's ``_french_`` list folded, so
« été » and « ete », « même » and « meme » are dropped alike on both sides.

Autocomplete fields and ``_edgengrams`` are indexed with ``edgengram_analyzer`` (elision,
lower case, ASCII folding, edge n-grams) and searched with the built-in ``standard``
analyser, which folds case but not accents: the search app folds the autocomplete query
itself (``search.query.autocomplete_terms``) before sending it.

https://www.elastic.co/docs/reference/text-analysis/analysis-lang-analyzer#french-analyzer
"""

import unicodedata
from urllib.parse import urlsplit, urlunsplit

FRENCH_ELISION_ARTICLES = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]

# Lucene's French stop words (FrenchAnalyzer's default set, Elasticsearch's ``_french_``:
# the Snowball list), written here so that they can be folded like the tokens they meet.
LUCENE_FRENCH_STOPWORDS = """
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes
moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un
une vos votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes suis es est
sommes êtes sont serai seras sera serons serez seront serais serait serions seriez seraient étais
était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez soient fusse fusses
fût fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai
auras aura aurons aurez auront aurais aurait aurions auriez auraient avais avait avions aviez
avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez
eussent
""".split()


def _fold(word):
    """Lower case without diacritics (what Elasticsearch's lowercase + asciifolding give)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Folded, since the stop filter runs after asciifolding; « à » folds to « a », which the
# Snowball list also drops (« a » as the verb is not in it, but folding makes them one word).
FRENCH_STOPWORDS_FOLDED = sorted({_fold(word) for word in LUCENE_FRENCH_STOPWORDS})

FRENCH_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "filter": {
                "french_elision": {"type": "elision", "articles_case": True, "articles": FRENCH_ELISION_ARTICLES},
                "french_stop": {"type": "stop", "stopwords": FRENCH_STOPWORDS_FOLDED},
                "french_stemmer": {"type": "stemmer", "language": "light_french"},
                "edgengram": {"type": "edge_ngram", "min_gram": 1, "max_gram": 15},
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["french_elision", "lowercase", "asciifolding", "french_stop", "french_stemmer"],
                },
                "edgengram_analyzer": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["french_elision", "lowercase", "asciifolding", "edgengram"],
                },
            },
        }
    }
}


def normalise_url(url):
    """One Elasticsearch URL as the client expects it: scheme and host, no trailing slash.

    « https://es.example.org:9200/ » → « https://es.example.org:9200 »; a path prefix (a
    cluster behind a proxy at /es/) keeps its path without the final slash. A URL with no
    scheme is read as http. Credentials in the URL are kept (basic auth).
    """
    url = url.strip()
    if not url:
        return ""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"ELASTICSEARCH_URL must be an http(s) URL with a host, not {url!r}")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def backend_settings(
    urls,
    *,
    index_prefix,
    timeout,
    index_timeout,
    breaker_seconds,
    ca_certs="",
    verify_certs=True,
    api_key="",
    username="",
    password="",
):
    """The WAGTAILSEARCH_BACKENDS entry of Elasticsearch (``search.elasticsearch``).

    ``urls``: one or several URLs (a comma-separated string or a list), normalised. The
    client retries nothing (``max_retries`` 0): a failing cluster costs one ``timeout`` per
    request at most, and the circuit breaker then keeps the next requests off it for
    ``breaker_seconds``.
    """
    if isinstance(urls, str):
        urls = urls.split(",")
    urls = [normalise_url(url) for url in urls if url.strip()]
    options = {"max_retries": 0, "retry_on_timeout": False}
    if any(url.startswith("https:") for url in urls):
        options["verify_certs"] = verify_certs
        if ca_certs:
            options["ca_certs"] = ca_certs
        if not verify_certs:
            options["ssl_show_warn"] = False
    if api_key:
        options["api_key"] = api_key
    elif username:
        options["basic_auth"] = (username, password)
    return {
        "BACKEND": "search.elasticsearch",
        "URLS": urls,
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": timeout,
        "INDEX_TIMEOUT": index_timeout,
        "BREAKER_SECONDS": breaker_seconds,
        "OPTIONS": options,
    }
