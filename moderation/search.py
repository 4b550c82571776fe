"""The queue's full-text search over an application's answers.

Each application has a ``SearchEntry``: its reference, name, email, business, town and
displayed answers, folded to lower case without accents (``home.folding.fold_words``),
kept in step by a ``post_save`` signal. A search term is folded the same way, so « cafe »
finds « Café » on SQLite and PostgreSQL alike.
"""

from django.db.models import Q

from home.folding import fold_words

from .models import SearchEntry


def search_text(application):
    """The folded text the queue's search reads for ``application``."""
    parts = [application.reference, application.applicant_name, application.applicant_email]
    parts += [application.business_name, application.town]
    # Not the entries of a repeatable section (« Partenaires »): they name other people and
    # organisations, and the search holds no more of an application than it did before.
    parts += [answer.get("display") or "" for answer in application.answers() if answer.get("type") != "group"]
    return fold_words(" ".join(part for part in parts if part))


def update_search_entry(application):
    SearchEntry.objects.update_or_create(application_id=application.pk, defaults={"text": search_text(application)})


def search_filter(term):
    """A ``Q`` matching applications whose reference, name, email or answers hold every word."""
    query = Q()
    for word in term.split():
        folded = fold_words(word)
        query &= (
            Q(reference__icontains=word)
            | Q(applicant_name__icontains=word)
            | Q(applicant_email__icontains=word)
            | Q(search_entry__text__contains=folded)
        )
    return query
