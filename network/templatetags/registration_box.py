"""``{% registration_box %}``: the registration part of a session page (the template
``network/includes/registration_box.html``, included by ``network/session_page.html``).

A member laureate signed in to the space sees their registration (status, place on the
waiting list, « Mes séances ») or the one-click button; anyone else sees the form's link
when the session is open to everyone, or how to sign in when it is for laureates. An
anonymous visitor costs no query (the page stays in the anonymous page cache: ``SessionPage
.serve`` marks a signed-in person's page private).
"""

from django import template

from network import registration
from network.membership import member_laureates
from network.models import Role

register = template.Library()


@register.inclusion_tag("network/registration/includes/box.html", takes_context=True)
def registration_box(context):
    page, request = context["page"], context.get("request")
    laureates = member_laureates(request) if request is not None else []
    mine = None
    if laureates:
        mine = page.registrations.filter(laureate__in=laureates, status__in=registration.ACTIVE).order_by("-pk").first()
    allowed = registration.roles_allowed(page)
    return {
        "page": page,
        "request": request,
        "state": context.get("session_state"),
        "seats_left": context.get("seats_left"),
        "is_laureate": bool(laureates),
        "mine": mine,
        "position": registration.waiting_position(mine) if mine else None,
        "public_form": Role.HABITANT in allowed,
    }
