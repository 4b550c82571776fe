from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

MAX_QUERY_LENGTH = 200


def search(request):
    """Full-text search over the public pages (/recherche/?q=…)."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].replace("\x00", "").replace('"', " ").strip()
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    paginator = Paginator(results, 10)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage, ValueError):
        page = paginator.page(1)
    return TemplateResponse(request, "search/search.html", {"search_query": query, "results": page})
