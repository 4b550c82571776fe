"""The queue's full-text search over an application's answers.

Each application has a ``SearchEntry``: the displayed answers, folded to lower case
without accents, kept in step by a ``post_save`` signal. A search term is folded the same
way, so « cafe » finds « Café » on SQLite and PostgreSQL alike.
"""

import unicodedata

from django.db.models import Q

from .models import SearchEntry


def fold(text):
    """Lower case, accents removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def answers_text(application):
    parts = [application.reference, application.applicant_name, application.applicant_email]
    parts += [application.business_name, application.town]
    for answer in (application.form_data or {}).values():
        if isinstance(answer, dict):
            parts.append(answer.get("display") or "")
    return fold(" ".join(part for part in parts if part))


def update_search_entry(application):
    SearchEntry.objects.update_or_create(application_id=application.pk, defaults={"text": answers_text(application)})


def search_filter(term):
    """A ``Q`` matching applications whose reference, name, email or answers hold every word."""
    query = Q()
    for word in term.split():
        folded = fold(word)
        query &= (
            Q(reference__icontains=word)
            | Q(applicant_name__icontains=word)
            | Q(applicant_email__icontains=word)
            | Q(search_entry__text__contains=folded)
        )
    return query
