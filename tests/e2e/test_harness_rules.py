"""Rules the browser journeys keep, checked on their source."""

import re

from tests.e2e.harness import ROOT

CONTENT_CALL = re.compile(r"\.content\(\)")


def test_journeys_read_html_through_loaded_html():
    """A journey that reads a page's HTML with Playwright's ``content()`` right after a click may
    get the next, still empty document, and the Nu checker then fails on a missing doctype:
    ``harness.loaded_html`` waits for the loaded document."""
    harness = ROOT / "tests" / "e2e" / "harness.py"
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path != harness
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if CONTENT_CALL.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == [], "use tests.e2e.harness.loaded_html(page): " + ", ".join(offenders)
