"""Reusable pieces of the browser harness: axe-core, the Nu HTML Checker, screenshots, page discovery.

A journey is a pytest test that takes the ``page_at`` and ``demo_site`` fixtures (tests/e2e/conftest.py)
and calls these functions; see tests/e2e/README.md. The tools are those installed by ``make install-dev``:
Debian's Chromium (/usr/bin/chromium), axe-core and vnu.jar from node_modules, the machine's Java.

- Playwright for Python: https://playwright.dev/python/docs/api/class-page
- axe-core API (``axe.run`` and its ``runOnly`` option): https://github.com/dequelabs/axe-core/blob/develop/doc/API.md
- Nu HTML Checker command line: https://validator.github.io/validator/#usage
"""

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "artefacts" / "screenshots"

# The two widths every journey is checked at: a small phone and a laptop.
VIEWPORTS = {375: 800, 1280: 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Page types that have no public page of their own, with the reason. Every other concrete page type must
# have a live, public instance in the demo content, so that the HTML and accessibility checks see it.
NOT_PUBLIC_PAGE_TYPES = {
    "wagtailcore.page": "la racine de l'arbre des pages, jamais servie / the tree root, never served",
}


def missing_browser_tools():
    """Why the browser journeys cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return (
            f"Chromium absent ({CHROMIUM}) : parcours navigateur ignorés ; `apt-get install chromium` pour les lancer. "
            f"/ Chromium not found at {CHROMIUM}: browser journeys skipped; `apt-get install chromium` to run them."
        )
    if not AXE_JS.exists():
        return (
            f"axe-core absent ({AXE_JS.relative_to(ROOT)}) : lancez `make install-dev` (npm ci). "
            f"/ axe-core missing: run `make install-dev` (npm ci)."
        )
    return None


def missing_validator_tools():
    """Why the Nu HTML Checker cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return (
            "Java absent : validation HTML (vnu.jar) ignorée ; installez default-jre-headless. "
            "/ Java not found: HTML validation (vnu.jar) skipped; install default-jre-headless."
        )
    if not VNU_JAR.exists():
        return (
            f"vnu.jar absent ({VNU_JAR.relative_to(ROOT)}) : lancez `make install-dev` (npm ci). "
            f"/ vnu.jar missing: run `make install-dev` (npm ci)."
        )
    return None


def _slug(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "page"


def viewport_width(page):
    return page.viewport_size["width"] if page.viewport_size else 0


# A table wider than the window scrolls inside a box of its own (`overflow-x: auto`) that fits
# the window; else it is cut off: Wagtail's admin clips its <main> (`main.content-wrapper`,
# `overflow-x: hidden`), so the document keeps its width while the last columns are out of a
# finger's reach, and focusing a link there scrolls <main> sideways, its header with it.
CUT_OFF_TABLES = """() => [...document.querySelectorAll('table')].filter(table => {
    const edge = window.innerWidth + 1;
    if (table.getBoundingClientRect().right <= edge) return false;
    for (let box = table.parentElement; box && box !== document.body; box = box.parentElement) {
        const overflow = getComputedStyle(box).overflowX;
        if (overflow === 'auto' || overflow === 'scroll') return box.getBoundingClientRect().right > edge;
        if (overflow === 'hidden' || overflow === 'clip') return true;
    }
    return true;
}).map(table => table.className || table.id || 'table')"""


def sideways_scroll(page):
    """How far the page scrolls sideways, in CSS pixels (0 when it fits the window), with the
    classes of its tables cut off at the window's edge (a wide table scrolls inside its own box,
    never the page, whose header and buttons would move out of view on a phone)."""
    with harness_scripts(page):
        document = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        return max(document, 0), page.evaluate(CUT_OFF_TABLES)


# --- axe-core ---------------------------------------------------------------------------------------


def format_axe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation.get('impact')}]: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            target = " ".join(json.dumps(part, ensure_ascii=False) for part in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def without_javascript(page):
    """Mark a page whose context runs no JavaScript (``page_at(…, javascript=False)``).

    In such a page Chromium runs no script at all, and Playwright's ``evaluate`` has no timeout:
    it would wait for ever. The harness's own scripts (axe-core, the screenshot's wait for
    images) go through ``harness_scripts``. The DevTools session stays attached for the page's
    life: detaching it would drop its emulation and let the page's scripts run.
    """
    page.harness_devtools = page.context.new_cdp_session(page)
    page.harness_devtools.send("Emulation.setScriptExecutionDisabled", {"value": True})
    return page


@contextlib.contextmanager
def harness_scripts(page):
    """Let the harness evaluate its scripts in a page without JavaScript, for their time only.

    The page's own scripts were never run and are not run now: what is tested is still the
    page as a browser without JavaScript draws it (``<noscript>`` included).
    """
    session = getattr(page, "harness_devtools", None)
    if session is None:
        yield
        return
    session.send("Emulation.setScriptExecutionDisabled", {"value": False})
    try:
        yield
    finally:
        session.send("Emulation.setScriptExecutionDisabled", {"value": True})


def check_axe(page, name, *, tags=WCAG_TAGS, ignore=None):
    """Run axe-core on the page as it is now; fail with a readable list of WCAG 2.1 A/AA violations.

    ``ignore`` maps a rule id to a CSS selector: that rule's failures on elements matching the
    selector are left out (markup of a library the project cannot change; say which and why
    where it is passed). Returns axe's full result (``passes``, ``incomplete``…).
    """
    with harness_scripts(page):
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does
            # not govern: add_script_tag would insert an inline <script> that the policy refuses.
            page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", tags
        )
        violations = result["violations"]
        if ignore:
            violations = page.evaluate(
                """([violations, ignore]) => violations.map(v => ({...v, nodes: v.nodes.filter(node => {
                    const selector = ignore[v.id];
                    const target = node.target[node.target.length - 1];
                    const element = typeof target === 'string' ? document.querySelector(target) : null;
                    return !(selector && element && element.matches(selector));
                })})).filter(v => v.nodes.length)""",
                [violations, ignore],
            )
    if violations:
        where = f"{name} at {viewport_width(page)} px ({page.url})"
        raise AssertionError(
            f"axe-core: {len(violations)} WCAG 2.1 A/AA violation(s) on {where}:\n{format_axe_violations(violations)}"
        )
    return result


# --- Content-Security-Policy ------------------------------------------------------------------------

# Run in every page of a context before the page's own scripts (add_init_script, outside the policy):
# each securitypolicyviolation event, enforced or report-only, goes to the Python side.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', event => {
    window.__reportCspViolation({
        directive: event.violatedDirective, blocked: event.blockedURI, source: event.sourceFile,
        line: event.lineNumber, sample: event.sample, disposition: event.disposition,
        page: document.location.href,
    });
}, true);
"""


def watch_csp_violations(context, violations):
    """Record every CSP violation in the pages of ``context`` into the list ``violations``.

    Two sources: the ``securitypolicyviolation`` DOM event, and Chromium's console message
    (« Refused to … because it violates the following Content Security Policy directive »),
    which also covers what happens before a listener could run.
    """
    context.expose_binding("__reportCspViolation", lambda source, report: violations.append(report))
    context.add_init_script(CSP_LISTENER)

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append({"console": message.text, "page": message.page.url if message.page else "?"})

    context.on("console", on_console)


def format_csp_violations(violations):
    lines = []
    for report in violations:
        if "console" in report:
            lines.append(f"- console on {report['page']}: {report['console'][:400]}")
        else:
            lines.append(
                f"- {report['disposition']} {report['directive']} on {report['page']}: blocked "
                f"{report['blocked'] or '?'} ({report['source'] or 'inline'}:{report['line']}) {report['sample'] or ''}"
            )
    return "\n".join(lines)


# --- screenshots ------------------------------------------------------------------------------------


def screenshot(page, name, *, full_page=True):
    """Save the page under artefacts/screenshots/<name>-<width>px.png and return the path.

    Lazy images below the fold are loaded first: a full-page capture does not scroll, so they
    would show as empty boxes.
    """
    with harness_scripts(page):
        page.evaluate("document.querySelectorAll('img[loading=\"lazy\"]').forEach(img => { img.loading = 'eager'; })")
        # Polled from here: wait_for_function evaluates its predicate with eval() in the page,
        # which the site's Content-Security-Policy refuses (and the harness reports as a violation).
        for _attempt in range(200):
            if page.evaluate("Array.from(document.images).every(img => img.complete)"):
                break
            page.wait_for_timeout(50)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{_slug(name)}-{viewport_width(page)}px.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --- Nu HTML Checker --------------------------------------------------------------------------------


def fetch(url):
    """The body of ``url`` as text, whatever the status (a 404 page is a page too)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8")


def loaded_html(page):
    """The page's HTML for the Nu checker, once the document is loaded.

    ``page.content()`` right after a click or a ``goto`` that starts a navigation may read the
    new document before the browser has parsed anything: an empty ``<html>`` with no doctype and
    no title, which the checker rightly reports. Wait (within Playwright's own timeout) for the
    ``load`` event and a parsed doctype; a navigation that starts during the wait destroys the
    context the wait runs in, so wait again on the new document."""
    from playwright.sync_api import Error

    for _attempt in range(3):
        page.wait_for_load_state("load")
        try:
            page.wait_for_function("document.readyState === 'complete' && document.doctype !== null")
        except Error as error:
            if "context was destroyed" not in str(error):
                raise
            continue
        return page.content()
    return page.content()


def format_vnu_messages(messages):
    lines = []
    for message in messages:
        where = f"line {message.get('lastLine', '?')}"
        lines.append(f"- {message['name']} ({where}): {message.get('message', '')}")
        extract = (message.get("extract") or "").replace("\n", " ").strip()
        if extract:
            lines.append(f"    {extract[:200]}")
    return "\n".join(lines)


def run_vnu(documents):
    """Check ``{name: html}`` with one JVM; return ``{name: [messages]}`` (errors, warnings and info)."""
    names = {}
    with tempfile.TemporaryDirectory(prefix="vnu-") as tmp:
        paths = []
        for index, (name, html) in enumerate(documents.items()):
            path = Path(tmp) / f"{index:03d}-{_slug(name)}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
            paths.append(str(path))
        completed = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", "--stdout", *paths],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if completed.returncode != 0 or not completed.stdout.strip():
        raise RuntimeError(f"vnu.jar failed (exit {completed.returncode}): {completed.stderr[-2000:]}")
    report = {name: [] for name in documents}
    for message in json.loads(completed.stdout)["messages"]:
        filename = message.get("url", "").rsplit("/", 1)[-1]
        name = names.get(filename, filename or "?")
        report.setdefault(name, []).append({**message, "name": name})
    return report


def validate_html(urls_or_html):
    """Check documents with the Nu HTML Checker in one JVM; fail with a readable list of errors.

    ``urls_or_html`` is either a list of URLs (fetched here, whatever their status) or a dict mapping a
    name to the HTML itself. Returns ``{name: [messages]}``, warnings included, when there is no error.
    """
    if isinstance(urls_or_html, dict):
        documents = dict(urls_or_html)
    else:
        documents = {url: fetch(url) for url in urls_or_html}
    report = run_vnu(documents)
    errors = [m for messages in report.values() for m in messages if m.get("type") == "error"]
    if errors:
        failing = sorted({m["name"] for m in errors})
        raise AssertionError(
            f"Nu HTML Checker: {len(errors)} error(s) in {len(failing)} document(s) ({', '.join(failing)}):\n"
            f"{format_vnu_messages(errors)}"
        )
    return report


# --- pages to check ---------------------------------------------------------------------------------


def public_pages_by_type():
    """``({"app_label.model": page}, [labels])``: the first live, public page of every concrete page type,
    and the page types that have none.

    Uses Wagtail's registry of page models, so a page type added by any app is picked up without
    editing the harness. A type listed in NOT_PUBLIC_PAGE_TYPES is in neither.
    """
    from wagtail.models import get_page_models

    found, missing = {}, []
    for model in get_page_models():
        label = model._meta.label_lower
        if model._meta.abstract or label in NOT_PUBLIC_PAGE_TYPES:
            continue
        page = model.objects.live().public().exact_type(model).order_by("path").first()
        if page is None:
            missing.append(label)
        else:
            found[label] = page.specific
    return found, sorted(missing)


def fill_demo_address(page):
    """The demo call's « Adresse du commerce » (calls/demo.py): street and postal code; the
    postal code has one commune (Aubervilliers), chosen by the server without JavaScript."""
    page.fill("#id_adresse_0", "12 rue de la Commune de Paris")
    page.fill("#id_adresse_1", "93300")
