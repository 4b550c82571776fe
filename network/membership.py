"""Who is a member of the laureates' network.

A member is an active laureate (``left_at`` is NULL) whose contact address is the address the
applicant's space is signed in with, or a team user allowed to see the laureates. It is read
on every request, never kept in the session: a laureate who leaves the network loses access
at once. The answer is kept on the request object only (one request, one answer).
"""

from applicants.auth import signed_in_email
from laureates.models import Laureate

TEAM_PERMISSION = "laureates.view_laureate"

_MEMBERS_ATTR = "_network_member_laureates"


def is_team(request):
    """A signed-in staff user holding the laureates' view permission."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff and user.has_perm(TEAM_PERMISSION))


def member_laureates(request):
    """The active laureates whose contact address is the signed-in applicant's address (a list,
    read once per request; empty when nobody is signed in to the space)."""
    members = getattr(request, _MEMBERS_ATTR, None)
    if members is None:
        email = space_email(request)
        members = list(Laureate.objects.for_email(email).order_by("pk")) if email else []
        setattr(request, _MEMBERS_ATTR, members)
    return members


def is_member(request):
    """A member laureate signed in to the space, or the team."""
    return is_team(request) or bool(member_laureates(request))


def space_email(request):
    """The address the applicant's space is signed in with, or None (no session: no lookup)."""
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return None
    return signed_in_email(request)
