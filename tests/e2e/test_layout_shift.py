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

LAYOUT_SHIFTS = """() => new Promise(resolve => {
    const shifts = [];
    const observer = new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
            if (!entry.hadRecentInput) {
                shifts.push({value: entry.value, sources: (entry.sources || []).map(source => {
                    const node = source.node;
                    const classes = node && typeof node.className === 'string' ? node.className.trim() : '';
                    const name = node && node.nodeType === 1
                        ? node.tagName.toLowerCase() + (node.id ? '#' + node.id : '') + (classes ? '.' + classes : '')
                        : String(node && node.nodeName);
                    const rects = JSON.stringify(source.previousRect) + ' → ' + JSON.stringify(source.currentRect);
                    return name + ' ' + rects;
                })});
            }
        }
    });
    observer.observe({type: 'layout-shift', buffered: true});
    // The buffered entries are delivered in the observer's first callback, queued as a task:
    // a task queued after it runs once they have been seen.
    setTimeout(() => { observer.takeRecords(); observer.disconnect(); resolve(shifts); }, 0);
})"""


def layout_shifts(page, path):
    page.goto(path, wait_until="load")
    # Every image and font the page asked for has arrived, and the deferred scripts have run.
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
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
