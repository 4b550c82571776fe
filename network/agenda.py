"""The agenda's listing: the sessions to come (soonest first) or past (latest first), filtered
by région and kind in the query string (``?region=occitanie&kind=rencontre``), so a filtered
list can be shared and works without JavaScript.

The filters are the stories' engine (``stories/facets.py``): the same cleaning rule (the last
value wins, anything unknown is ignored), the same disjunctive counts (``tally``: the count
beside each région is what choosing it would give under the other filter), the same facets and
selects (``stories/includes/filters.html``, ``stories/filters.js``). A session online has no
région: it is the « En ligne » option of the région filter.

The number of queries is fixed whatever the number of sessions (tests pin it): the kinds, one
GROUP BY for the counts, and the page of sessions with their kind and seats taken.
"""

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.pagination import page_links, parse_page_number
from stories.facets import Facet, FacetOption, query_string, tally
from stories.taxonomy import Region

from .choices import Mode, RegistrationStatus
from .models import SessionKind

PAGE_SIZE = 12
ONLINE = "en-ligne"
HOLDING = (RegistrationStatus.CONFIRMEE, RegistrationStatus.EN_ATTENTE_CONFIRMATION)


def clean_filters(params, kinds):
    """The known values of ``region`` (a région or « en-ligne ») and ``kind`` (a kind's slug)."""
    valid = {"region": {*Region.values, ONLINE}, "kind": {kind.slug for kind in kinds}}
    cleaned = {}
    for name, values in valid.items():
        value = params.get(name, "")
        if isinstance(value, str) and value in values:
            cleaned[name] = value
    return cleaned


def place_key():
    """The région a session is filtered under: its région, or « en-ligne »."""
    return Case(When(mode=Mode.EN_LIGNE, then=Value(ONLINE)), default="region", output_field=CharField())


def apply_filters(queryset, filters):
    if filters.get("region") == ONLINE:
        queryset = queryset.filter(mode=Mode.EN_LIGNE)
    elif filters.get("region"):
        queryset = queryset.filter(region=filters["region"], mode=Mode.SUR_PLACE)
    if filters.get("kind"):
        queryset = queryset.filter(kind__slug=filters["kind"])
    return queryset


def build_facets(counts, filters, kinds, link):
    def facet(name, label, all_label, choices, by_value):
        selected = filters.get(name)
        options = [
            FacetOption(
                value, choice_label, by_value.get(value, 0), value == selected, link(**{name: value, "page": None})
            )
            for value, choice_label in choices
            if by_value.get(value, 0) or value == selected
        ]
        return Facet(
            name, label, all_label, options, selected, sum(by_value.values()), link(**{name: None, "page": None})
        )

    regions = [*Region.choices, (ONLINE, _("En ligne"))]
    return [
        facet("region", _("Région"), _("Toutes les régions"), regions, counts["region"]),
        facet("kind", _("Type de séance"), _("Tous les types"), [(k.slug, k.name) for k in kinds], counts["kind"]),
    ]


def listing(agenda, request, *, past):
    now = timezone.now()
    kinds = list(SessionKind.objects.all())
    filters = clean_filters(request.GET, kinds)
    sessions = agenda.sessions(request)
    sessions = sessions.filter(ends_at__lt=now) if past else sessions.filter(ends_at__gte=now)
    cells = sessions.order_by().annotate(place=place_key()).values("place", "kind__slug").annotate(n=Count("pk"))
    counts = tally(((cell["place"], cell["kind__slug"], True, (), cell["n"]) for cell in cells), filters)
    total = counts["total"]
    num_pages = max(1, -(-total // PAGE_SIZE))
    number = parse_page_number(request.GET.get("page", 1), num_pages)
    offset = (number - 1) * PAGE_SIZE
    ordered = apply_filters(sessions, filters).select_related("kind")
    ordered = ordered.order_by("-starts_at", "-pk") if past else ordered.order_by("starts_at", "pk")
    page_sessions = list(
        ordered.annotate(taken=Count("registrations", filter=Q(registrations__status__in=HOLDING)))[
            offset : offset + PAGE_SIZE
        ]
    )
    for session in page_sessions:
        session.seats_left_now = session.seats_left(session.taken)

    def link(**changes):
        return query_string(filters, **changes)

    facets = build_facets(counts, filters, kinds, link)
    active = [{"label": facet.selected_label, "remove_url": facet.clear_url} for facet in facets if facet.selected]
    agenda_url = agenda.get_url(request)
    base = agenda_url + ("passees/" if past else "")
    return {
        "past": past,
        "sessions": page_sessions,
        "total": total,
        "filters": filters,
        "facets": facets,
        "active_filters": active,
        "listing_url": base,
        "upcoming_url": agenda_url,
        "past_url": agenda_url + "passees/",
        "pagination": page_links(number, num_pages, lambda n: link(page=n if n > 1 else None)),
    }
