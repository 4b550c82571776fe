"""The latest news on the home page (a ``home.sections`` section), kept under the page
cache's generation: no query once computed, until a page changes."""

from home.chrome import CHROME

from .models import NewsIndexPage

LATEST_COUNT = 3


def latest_news(home_page, request):
    def compute():
        index = NewsIndexPage.objects.child_of(home_page).live().first()
        if index is None:
            return None
        items = [
            {
                "title": page.title,
                "url": page.get_url(request),
                "date": page.date,
                "category": page.get_category_display(),
                "summary": page.summary,
            }
            for page in index.news().only("title", "url_path", "date", "category", "summary")[:LATEST_COUNT]
        ]
        return {"index_url": index.get_url(request), "index_title": index.title, "items": items} if items else None

    return CHROME.cached("latest-news", [home_page.pk], compute)
