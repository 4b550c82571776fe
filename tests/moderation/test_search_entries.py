"""The queue's search text: every displayed answer, in form order, folded loosely
(``home.text.fold``), for the current model and for the data migration's historical one."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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


def test_the_data_migration_reads_a_historical_application(call):
    """Migration 0003 passes its historical model, which has none of the model's methods."""
    application = ApplicationFactory(page=call)
    state = MigrationExecutor(connection).loader.project_state(("moderation", "0003_backfill_search_entries"))
    historical = state.apps.get_model("calls", "Application").objects.get(pk=application.pk)
    assert not hasattr(historical, "answers")
    assert search_text(historical) == search_text(application)
