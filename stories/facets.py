"""The stories' facets (région, type de commerce, thème): one engine for the story index
(``stories/filters.py``) and the search page (``search/service.py``).

Filters combine (region AND kind AND theme) and live in the query string
(?region=occitanie&kind=cafe&theme=parentalite), so a filtered list can be shared and works
without JavaScript; the last value wins when repeated, a value one letter away from a single
known one is read as that one, anything else is ignored (``clean_filters``).

Counts are disjunctive: the count beside each region is the number of stories matching the
*other* active filters (kind and theme) in that region, so a visitor sees what choosing that
value would give; each facet's « all » option shows the stories under the other filters. Every
page hands the engine the same counts (the total, the region and kind counts by value, the
theme counts by slug, the theme facet's « all » count), however it got
them: ``tally`` sums them from cells (a GROUP BY's rows on the story index, one row per
story from the SQLite search index), the search backends' own facets give them elsewhere.
``build_facets`` turns them into the selects both pages show (``stories/includes/filters.html``),
options in the taxonomy's order (themes by name), a value without a story left out unless
it is selected.
"""

import re
from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from home.folding import fold

from .models import StoryPage
from .taxonomy import BusinessKind, Region
from .vocabulary import MIN_LENGTH, one_edit_apart

FILTER_PARAMS = ("region", "kind", "theme")
# What a misspelt filter value may look like to be corrected: a slug of a sensible length.
_SLUG = re.compile(rf"[a-z][a-z0-9-]{{{MIN_LENGTH - 1},80}}")


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str = ""  # the listing with this value chosen (page 1)


@dataclass
class Facet:
    name: str
    label: str
    all_label: str
    options: list
    selected: str | None
    total: int  # the « all » option's count: the stories under the other filters
    clear_url: str = ""  # the listing without this filter

    @property
    def selected_label(self):
        return next((str(option.label) for option in self.options if option.selected), "")


def clean_filters(params, themes, corrected=None):
    """Keep the known values of region, kind and theme; the last value wins when repeated.

    A value one letter away from a single known one (« ?theme=parentalte ») is read as that
    one (``stories.vocabulary.one_edit_apart``); ``corrected``, a list, then receives
    ``(name, typed value, known value)`` so the page can say so. Anything else is ignored.
    """
    valid = {
        "region": set(Region.values),
        "kind": set(BusinessKind.values),
        "theme": {theme.slug for theme in themes},
    }
    cleaned = {}
    for name in FILTER_PARAMS:
        value = params.get(name, "")
        if not isinstance(value, str) or not value:
            continue
        if value in valid[name]:
            cleaned[name] = value
            continue
        typed = fold(value.strip())
        if not _SLUG.fullmatch(typed):
            continue
        near = [known for known in valid[name] if known == typed or one_edit_apart(typed, known)]
        if len(near) == 1:
            cleaned[name] = near[0]
            if corrected is not None:
                corrected.append((name, value, near[0]))
    return cleaned


def apply_filters(queryset, filters, *, skip=None):
    """``queryset`` of stories narrowed by every active filter but ``skip``."""
    if filters.get("region") and skip != "region":
        queryset = queryset.filter(region=filters["region"])
    if filters.get("kind") and skip != "kind":
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("theme") and skip != "theme":
        queryset = queryset.filter(themes__slug=filters["theme"])
    return queryset


def query_string(filters, *, q="", **changes):
    """The query string for these filters (and the search's words ``q``) with some values
    changed (None removes one); "" when nothing is left."""
    params = QueryDict(mutable=True)
    if q:
        params["q"] = q
    merged = {**filters, **changes}
    for name in (*FILTER_PARAMS, "page"):
        value = merged.get(name)
        if value not in (None, "", 1):
            params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


def tally(cells, filters):
    """The counts from cells ``(region, kind, in_theme, theme_slugs, n)``: ``n`` stories of
    that region and kind, having the selected theme or not (``in_theme``, True without a theme
    filter), with those themes (``theme_slugs``, empty when the theme counts are read apart)."""
    region, kind = filters.get("region"), filters.get("kind")
    counts = {"total": 0, "region": {}, "kind": {}, "theme": {}, "theme_total": 0}
    for cell_region, cell_kind, in_theme, theme_slugs, n in cells:
        in_region = region is None or cell_region == region
        in_kind = kind is None or cell_kind == kind
        if in_kind and in_theme:
            counts["region"][cell_region] = counts["region"].get(cell_region, 0) + n
        if in_region and in_theme:
            counts["kind"][cell_kind] = counts["kind"].get(cell_kind, 0) + n
        if in_region and in_kind:
            counts["theme_total"] += n
            for slug in theme_slugs:
                counts["theme"][slug] = counts["theme"].get(slug, 0) + n
            if in_theme:
                counts["total"] += n
    return counts


def facet_counts(base, filters, themes):
    """The counts of the stories in ``base`` (a queryset) in two aggregate queries.

    One GROUP BY over the stories under no filter but (region, kind, and whether the story
    has the selected theme) gives the few dozen (region, kind, flag) cells that ``tally``
    sums. One GROUP BY over the theme links of the stories in the selected region and kind
    gives the theme counts.
    """
    region, kind, theme = filters.get("region"), filters.get("kind"), filters.get("theme")
    theme_id = next((item.pk for item in themes if item.slug == theme), None) if theme else None
    Links = StoryPage.themes.through
    cells = base.order_by()
    # ``pk IN (the stories with that theme)``: one list built once, not a lookup per story.
    has_theme = Q(pk__in=Links.objects.filter(theme_id=theme_id).values("storypage_id")) if theme_id else None
    # Only the stories that match every active filter but one count anywhere: with two
    # filters or more, each of them has one of two values, so the pass reads those stories
    # through the region and kind indexes instead of scanning every story.
    if region and kind:
        cells = cells.filter(Q(region=region) | Q(kind=kind))
    elif (region or kind) and has_theme:
        cells = cells.filter((Q(region=region) if region else Q(kind=kind)) | has_theme)
    cells = cells.values("region", "kind")
    if has_theme:
        cells = cells.annotate(has_theme=ExpressionWrapper(has_theme, output_field=BooleanField())).values(
            "region", "kind", "has_theme"
        )
    cells = cells.annotate(n=Count("pk"))
    counts = tally(
        ((cell["region"], cell["kind"], theme_id is None or cell["has_theme"], (), cell["n"]) for cell in cells),
        filters,
    )
    # A (story, theme) pair is one row of the many-to-many table: no DISTINCT needed.
    stories = apply_filters(base, filters, skip="theme").order_by().values("pk")
    links = Links.objects.filter(storypage_id__in=stories).order_by().values("theme_id").annotate(n=Count("pk"))
    slugs = {item.pk: item.slug for item in themes}
    counts["theme"] = {slugs[row["theme_id"]]: row["n"] for row in links if row["theme_id"] in slugs}
    return counts


def build_facets(counts, filters, themes, *, link=None):
    """The three facets from the counts; ``link(**changes)``, when given, is the listing's
    query string with those changes (each option's ``url``, each facet's ``clear_url``)."""

    def facet(name, label, all_label, choices, by_value, total):
        selected = filters.get(name)
        options = [
            FacetOption(
                value,
                choice_label,
                by_value.get(value, 0),
                value == selected,
                link(**{name: value, "page": None}) if link else "",
            )
            for value, choice_label in choices
            if by_value.get(value, 0) or value == selected
        ]
        clear_url = link(**{name: None, "page": None}) if link else ""
        return Facet(name, label, all_label, options, selected, total, clear_url)

    # A story has one region and one kind, so their counts add up; it may have several themes.
    regions, kinds = counts["region"], counts["kind"]
    return [
        facet("region", _("Région"), _("Toutes les régions"), Region.choices, regions, sum(regions.values())),
        facet("kind", _("Type de commerce"), _("Tous les types"), BusinessKind.choices, kinds, sum(kinds.values())),
        facet(
            "theme",
            _("Thème"),
            _("Tous les thèmes"),
            [(theme.slug, theme.name) for theme in themes],
            counts["theme"],
            counts["theme_total"],
        ),
    ]
