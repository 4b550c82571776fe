"""Grouping of the calls on the index: open calls first, then upcoming, then closed."""

from django.utils import timezone


def group_calls(calls, now=None):
    """Split ``calls`` (CallPage objects) by state, each group in the order a visitor needs.

    Open calls: the one closing soonest first. Upcoming: the one opening soonest first.
    Closed: the most recently closed first.
    """
    from .models import CallState

    now = now or timezone.now()
    groups = {CallState.OPEN: [], CallState.UPCOMING: [], CallState.CLOSED: []}
    for call in calls:
        groups[call.state(now)].append(call)
    groups[CallState.OPEN].sort(key=lambda c: c.closes_at)
    groups[CallState.UPCOMING].sort(key=lambda c: c.opens_at)
    groups[CallState.CLOSED].sort(key=lambda c: c.closes_at, reverse=True)
    return {
        "open_calls": groups[CallState.OPEN],
        "upcoming_calls": groups[CallState.UPCOMING],
        "closed_calls": groups[CallState.CLOSED],
        "has_calls": any(groups.values()),
    }
