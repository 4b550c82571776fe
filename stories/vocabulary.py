"""The words visitors look laureates up by, and the correction of one wrong letter in them.

The towns of the published, public stories, the kinds of business, the themes and the
régions make a small vocabulary (a few hundred words). A searched word that is not in it but
is one edit away from a word that is (a letter replaced, added, missing, or two neighbours
swapped: « Toulose », « epicrie », « parentalitee », « Bertagne ») is corrected to that word.
The public search (``search.service``) uses it when a query finds nothing: it runs the
corrected query instead, on whichever backend answers, and says « Vouliez-vous dire … ? ».

Words are compared folded (``home.folding.fold``: no case, no accents), so an accent is never a
mistake. The vocabulary is kept per listings generation (``stories.listing_cache``): one
query for the towns when it is built, none afterwards.
"""

import re
from dataclasses import dataclass

from home.chrome import public_q
from home.folding import fold

from .listing_cache import cached
from .models import StoryPage, Theme
from .taxonomy import BusinessKind, Region

# A word shorter than this is never corrected: « bar » is one letter from too many words.
MIN_LENGTH = 4
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Correction:
    original: str  # the word as typed
    word: str  # the vocabulary's spelling (accents and case kept: « Épicerie », « Toulouse »)


def _entries():
    towns = StoryPage.objects.live().filter(public_q()).exclude(town="").order_by().values_list("town", flat=True)
    names = [*set(towns), *(str(label) for label in BusinessKind.labels), *(str(label) for label in Region.labels)]
    names.extend(Theme.objects.order_by().values_list("name", flat=True))
    return names


def vocabulary():
    """``{folded word: spelling}`` of every word of the towns, kinds, themes and régions."""

    def compute():
        words = {}
        for name in _entries():
            for word in _WORD.findall(name):
                if len(word) >= MIN_LENGTH:
                    words.setdefault(fold(word), word)
        return words

    return cached("vocabulary", [], compute)


def one_edit_apart(a, b):
    """Whether ``b`` is ``a`` with one letter replaced, added, removed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differences = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(differences) == 1:
            return True
        i = differences[0]
        return len(differences) == 2 and differences[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return shorter[i:] == longer[i + 1 :]


def correct_word(word, words=None):
    """The vocabulary's spelling of ``word`` when it is one edit away from one word of it.

    None when the word is known, too short, or close to none or to several words alike
    (an ambiguous correction is no correction).
    """
    words = vocabulary() if words is None else words
    key = fold(word)
    if len(key) < MIN_LENGTH or key in words or not key.isalpha():
        return None
    candidates = {words[known] for known in words if one_edit_apart(key, known)}
    return candidates.pop() if len(candidates) == 1 else None


def corrections(terms):
    """The corrections of a query's words (``[Correction]``, in the query's order), or []."""
    words = vocabulary()
    found = []
    for term in terms:
        word = correct_word(term, words)
        if word:
            found.append(Correction(term, word))
    return found
