"""Who is a member: an active laureate signed in to the space with their contact address, or
the team; read on every request."""

import pytest
from django.utils import timezone

from network.membership import is_member, is_team, member_laureates
from tests.factories import UserFactory
from tests.laureates.factories import make_laureate

pytestmark = pytest.mark.django_db


def test_nobody_signed_in_is_not_a_member(space_request):
    make_laureate(contact_email="awa@example.org")
    request = space_request()
    assert member_laureates(request) == []
    assert not is_member(request)


def test_a_laureate_signed_in_with_their_contact_address_is_a_member(space_request):
    laureate = make_laureate(contact_email="Awa@Example.org")
    request = space_request("awa@example.org")
    assert member_laureates(request) == [laureate]
    assert is_member(request)


def test_an_applicant_who_is_not_a_laureate_is_not_a_member(space_request):
    make_laureate(contact_email="awa@example.org")
    assert not is_member(space_request("bilal@example.org"))


def test_a_laureate_who_left_loses_access_on_the_next_request(space_request):
    laureate = make_laureate(contact_email="awa@example.org")
    assert is_member(space_request("awa@example.org"))
    laureate.left_at = timezone.now()
    laureate.save()
    assert not is_member(space_request("awa@example.org"))


def test_the_team_is_a_member_without_being_a_laureate(space_request, team_user):
    request = space_request(user=team_user)
    assert is_team(request)
    assert is_member(request)


def test_a_staff_user_without_the_laureates_permission_is_not(space_request):
    request = space_request(user=UserFactory(username="redac", is_staff=True))
    assert not is_team(request)
    assert not is_member(request)
