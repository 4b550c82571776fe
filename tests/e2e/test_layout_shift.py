"""No public page moves after it is drawn: the cumulative layout shift on a phone (375 px) and a
laptop (1280 px), with and without JavaScript, stays under 0.1 (the « good » threshold of
Core Web Vitals, https://web.dev/articles/cls).

Chromium records every layout shift in the page's performance timeline; a PerformanceObserver
registered after the page has loaded reads them back with ``buffered: true`` (evaluated through
the DevTools protocol, which also works in a context without JavaScript and is outside the
page's Content-Security-Policy). Shifts right after a visitor's input do not count, as in CLS.
"""

import pytest

from .harness import screenshot

pytestmark = pytest.mark.e2e

PAGES = {
    "accueil": "/",
    "laureats": "/laureats/",
    "recherche": "/recherche/?q=caf%C3%A9",
    "appel": "/appels/appel-a-candidatures-2026/",
}

LAYOUT_SHIFTS = """() => {
    // With ``buffered``, the entries recorded so far are put in the observer's buffer at once
    // (Performance Timeline, « observe »): takeRecords() returns them without waiting for a task,
    // which a page without JavaScript would never run.
    const observer = new PerformanceObserver(() => {});
    observer.observe({type: 'layout-shift', buffered: true});
    const entries = observer.takeRecords();
    observer.disconnect();
    return entries.filter(entry => !entry.hadRecentInput).map(entry => ({
        value: entry.value,
        sources: (entry.sources || []).map(source => {
            const node = source.node;
            const classes = node && typeof node.className === 'string' ? node.className.trim() : '';
            const name = node && node.nodeType === 1
                ? node.tagName.toLowerCase() + (node.id ? '#' + node.id : '') + (classes ? '.' + classes : '')
                : String(node && node.nodeName);
            const rects = JSON.stringify(source.previousRect) + ' → ' + JSON.stringify(source.currentRect);
            return name + ' ' + rects;
        }),
    }));
}"""


def layout_shifts(page, path):
    page.goto(path, wait_until="load", timeout=60_000)  # a busy machine: the harness gives 15 s
    # Every image the page asked for has arrived, and the deferred scripts have run (the site
    # uses the system's fonts: no web font can swap).
    page.wait_for_load_state("networkidle")
    return page.evaluate(LAYOUT_SHIFTS)


def story_path(demo_site):
    from stories.models import StoryPage

    story = StoryPage.objects.live().public().exclude(hero_image=None).order_by("title").first()
    return story.url


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-js"])
@pytest.mark.parametrize("width", [375, 1280])
def test_pages_do_not_move_after_they_are_drawn(demo_site, page_at, width, javascript):
    paths = {**PAGES, "recit": story_path(demo_site)}
    failures = []
    for name, path in paths.items():
        page = page_at(width, javascript=javascript)
        shifts = layout_shifts(page, demo_site.at(path))
        total = sum(shift["value"] for shift in shifts)
        if total >= 0.1:
            sources = "\n    ".join(source for shift in shifts for source in shift["sources"])
            failures.append(f"{name} ({path}): {total:.3f}\n    {sources}")
        if width == 375 and javascript:
            screenshot(page, f"sans-decalage-{name}", full_page=False)
        page.context.close()
    mode = "with JavaScript" if javascript else "without JavaScript"
    assert not failures, f"Layout shift ≥ 0.1 at {width} px {mode}:\n" + "\n".join(failures)
