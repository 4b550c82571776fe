"""The search page (/recherche/?q=…) and the suggestions for its search box.

The views only read the query string and render; the search itself lives in
``search.service`` and ``search.autocomplete``, the query handling in ``search.query``.
"""

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from .autocomplete import story_suggestions
from .backends import SearchUnavailable
from .query import clean_query, parse_page_number
from .service import search_site


def _last(params, name):
    """The last value of a repeated parameter (?q=a&q=b reads « b », as Django's QueryDict.get)."""
    values = params.getlist(name)
    return values[-1] if values else ""


@require_GET
def search(request):
    """Full-text search over the public pages, stories first, with the story facets."""
    q = clean_query(_last(request.GET, "q"))
    page_number = parse_page_number(_last(request.GET, "page") or None)
    context = search_site(request, q, page_number)
    status = 503 if context["unavailable"] else 200
    response = TemplateResponse(request, "search/search.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def suggestions(request):
    """JSON: up to eight stories whose name or town starts like ``q``."""
    q = clean_query(_last(request.GET, "q"))
    try:
        items = story_suggestions(q, request=request)
        status = 200
    except SearchUnavailable:
        items, status = [], 503
    response = JsonResponse({"query": q, "suggestions": items}, status=status)
    response["X-Robots-Tag"] = "noindex"
    if status == 200:
        response["Cache-Control"] = "public, max-age=60"
    return response
