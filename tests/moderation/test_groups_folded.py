"""Wagtail's English groups are folded into « Éditeurs » (never into « Modérateurs »)."""

import pytest
from django.contrib.auth.models import Group

from moderation.groups import fold_wagtail_groups
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_no_english_group_after_the_migrations():
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert {"Éditeurs", "Évaluateurs", "Modérateurs"} <= set(Group.objects.values_list("name", flat=True))


def test_members_of_wagtails_groups_become_editors_not_moderators():
    publisher = UserFactory(username="publie")
    publisher.groups.add(Group.objects.create(name="Moderators"))
    writer = UserFactory(username="ecrit")
    writer.groups.add(Group.objects.create(name="Editors"))
    fold_wagtail_groups()
    fold_wagtail_groups()  # idempotent
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    for user in (publisher, writer):
        assert list(user.groups.values_list("name", flat=True)) == ["Éditeurs"]
