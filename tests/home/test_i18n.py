"""The French catalogue: msgids are written in French, so every msgstr repeats its msgid.

A merge by makemessages once turned new strings into fuzzy guesses (« Tous les thèmes » shown as
« thèmes »); `make messages` now rebuilds the catalogue from scratch and this test guards it.
"""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale/fr/LC_MESSAGES/django.po"
STRING = r'"(?:[^"\\]|\\.)*"(?:\n"(?:[^"\\]|\\.)*")*'


def test_catalogue_is_french_with_french_plurals():
    text = PO.read_text()
    assert '"Language: fr\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text
    assert "#, fuzzy" not in text


def test_every_translation_repeats_its_french_msgid():
    text = PO.read_text()
    pairs = re.findall(rf"\nmsgid ({STRING})\nmsgstr ({STRING})", text)
    assert len(pairs) > 100
    wrong = [(msgid, msgstr) for msgid, msgstr in pairs if msgid != '""' and msgid != msgstr]
    assert not wrong, wrong[:5]
