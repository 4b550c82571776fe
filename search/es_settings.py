"""French analysis for the Elasticsearch index (imported by config/settings/base.py).

modelsearch's Elasticsearch backends create each index with ``backend.settings``: their
class-level analysis (``ngram_analyzer``, ``edgengram_analyzer`` and their filters),
deep-merged with ``INDEX_SETTINGS`` (``deep_update`` in ``ElasticsearchBaseSearchBackend
.__init__``). The mapping gives no analyser to full-text fields (``SearchField`` becomes a
``text`` field, plus ``_all_text``), so they use the index's ``default`` analyser, at index
time and at query time alike: defining ``default`` below makes every full-text field French
(elision, lower case, stop words, ASCII folding, light French stemmer) on both sides.

Autocomplete fields and ``_edgengrams`` are indexed with ``edgengram_analyzer`` (redefined
below with elision and ASCII folding) and searched with the built-in ``standard``
analyser, which folds case but not accents: the search app folds the autocomplete query
itself (``search.query.fold``) before sending it, so « négr » and « negr » match alike.

This module imports nothing from Django so that the settings can import it.
https://www.elastic.co/guide/en/elasticsearch/reference/current/analysis-lang-analyzer.html#french-analyzer
"""

FRENCH_ELISION_ARTICLES = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]

FRENCH_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "filter": {
                "french_elision": {"type": "elision", "articles_case": True, "articles": FRENCH_ELISION_ARTICLES},
                "french_stop": {"type": "stop", "stopwords": "_french_"},
                "french_stemmer": {"type": "stemmer", "language": "light_french"},
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["french_elision", "lowercase", "french_stop", "asciifolding", "french_stemmer"],
                },
                "edgengram_analyzer": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["french_elision", "lowercase", "asciifolding", "edgengram"],
                },
                "ngram_analyzer": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["french_elision", "lowercase", "asciifolding", "ngram"],
                },
            },
        }
    }
}
