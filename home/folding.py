"""Folding text for accent- and case-insensitive comparisons (« Café » and « cafe »).

Two functions, two uses that differ on purpose:

- ``fold`` (the public search, ``search.query``): each character folds to
  exactly one character, so a position in the folded text is the same position in the
  original (highlighting wraps the original words in ``<mark>`` from matches found in the
  folded text). Hence ``str.lower`` rather than ``casefold`` (« ß » stays « ß »), canonical
  decomposition only (the ligature « ﬁ » stays one character), a character whose folding
  would not be one character kept as it is (« İ »; « œ » does not become « oe »), and spaces
  left alone.
- ``fold_words`` (the moderation queue's search entries, ``moderation.search``): the
  loosest form, since only words are compared there: compatibility decomposition (« ﬁ » →
  « fi », a non-breaking space → a space), ``casefold`` (« ß » → « ss »), and runs of spaces
  collapsed. The stored entries were written this way, so a search term must be folded
  this way too.
"""

import unicodedata


def fold(text):
    """``text`` in lower case without diacritics, one character for one; ``None`` folds to ``""``."""
    return "".join(_fold_char(char) for char in str(text or ""))


def fold_words(text):
    """``text``'s words in lower case without diacritics, in their loosest form, one space
    between them; ``None`` folds to ``""``."""
    return " ".join(_without_marks(str(text or ""), "NFKD").casefold().split())


def _fold_char(char):
    lower = char.lower()
    if len(lower) != 1:  # « İ » lowers to two code points
        lower = char
    base = _without_marks(lower, "NFD")
    return base if len(base) == 1 else lower


def _without_marks(text, form):
    """``text`` decomposed (Unicode normal form ``form``) with its combining marks dropped."""
    return "".join(char for char in unicodedata.normalize(form, text) if not unicodedata.combining(char))
