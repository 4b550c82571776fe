"""Links the apps above applicants add to the space's home page, without applicants
importing them (the pattern of ``home/sections.py`` and ``calls/links.py``).

The laureates' network (« Agenda du réseau », « Annuaire », « Ressources ») lives in an app
above this one; it registers each link from its ``AppConfig.ready``. The space's home page
asks for them only when the signed-in address is a member laureate's (the records
``laureates.space.laureates_for_space`` read on every request: a laureate who left the
network sees none at once), and shows those whose builder returned a URL, in order, under
one heading.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SpaceLink:
    key: str
    label: str
    build: object  # build(request, laureates) -> the URL, or None to leave the link out
    order: int = 50
    description: str = ""


_links = {}


def register(key, label, build, order=50, description=""):
    """Add (or replace: the key is the link's identity) a link of the space's home page.
    ``build(request, laureates)`` gets the signed-in member's laureate records and returns
    the link's URL, or None when this person may not see it."""
    _links[key] = SpaceLink(key=key, label=label, build=build, order=order, description=description)


def unregister(key):
    _links.pop(key, None)


def member_links(request, laureates):
    """The links for a signed-in member laureate (``laureates``: their records, never
    empty); an address that is no member's gets none."""
    if not laureates:
        return []
    shown = []
    for link in sorted(_links.values(), key=lambda link: (link.order, link.key)):
        url = link.build(request, laureates)
        if url:
            shown.append({"key": link.key, "label": link.label, "url": url, "description": link.description})
    return shown
