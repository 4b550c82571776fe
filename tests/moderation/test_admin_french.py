"""What the team sees in the admin is French where the project names it: the tree's root page,
the default workflow and its task (Wagtail's migrations name them in English)."""

import re

import pytest
from wagtail.models import Page, Task, Workflow

pytestmark = pytest.mark.django_db


def test_the_root_page_is_named_in_french_after_the_migrations():
    root = Page.objects.get(depth=1)
    assert (root.title, root.draft_title) == ("Racine", "Racine")


def test_the_default_workflow_and_task_are_named_in_french():
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()


def test_an_editor_exploring_the_tree_reads_no_english_root(client, editor):
    client.force_login(editor)
    response = client.get("/admin/pages/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Root" not in text
    assert "Racine" in text


def test_a_page_published_without_a_person_reads_automatique_in_the_aging_pages_report(client, home_page):
    """The demo loader, a scheduled publication or the laureate's plan publish with no user:
    Wagtail's report printed « None » in the « Dernière publication par » column."""
    from django.contrib.auth import get_user_model

    home_page.save_revision().publish()  # no user, as a scheduled publication
    admin = get_user_model().objects.create_superuser("chef", "chef@example.org", "motdepasse-solide-42")
    client.force_login(admin)
    response = client.get("/admin/reports/aging-pages/")
    assert response.status_code == 200
    shown = re.sub(r"<[^>]+>", " ", response.content.decode())  # what a person reads
    assert home_page.title in shown
    assert not re.search(r"\bNone\b", shown)
    assert "Automatique" in shown
