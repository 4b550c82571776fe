"""The queue's search text: every displayed answer, in form order, folded loosely
(``home.folding.fold``)."""

import pytest

from moderation.search import search_text
from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_the_search_text_holds_who_and_every_answer_folded(call):
    application = ApplicationFactory(page=call, quartier="Straße\u00a0ﬁne", description="Un  Café\nsolidaire")
    text = search_text(application)
    assert text.startswith(f"{application.reference.lower()} awa diallo awa@example.org le petit zinc aubervilliers ")
    assert "strasse fine" in text  # the loose form: « ß » → « ss », « ﬁ » → « fi »
    assert text.endswith("un cafe solidaire 12000")  # form order: the description, then the budget
    assert application.search_entry.text == text
