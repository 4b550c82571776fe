"""The documentation keeps up with the code: every setting the code reads is declared once, every
environment variable read anywhere (the packages, gunicorn, the image, the compose stack, the CI
and the benchmarks) is in docs/operations.md with its default and meaning, and the README stays
a short entry that leads into docs/."""

import ast
import re
from pathlib import Path

from django.conf import global_settings

from config.settings import base

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
README = ROOT / "README.md"
README_MAX_LINES = 150


def project_packages():
    """Every Python package at the root of the repository (a new app is scanned without a change
    here), the tests included."""
    return sorted(path.parent for path in ROOT.glob("*/__init__.py"))


def project_python_files():
    """The packages' modules (config/settings/*.py, config/gunicorn.py and the tests included), the
    image's helpers (docker/*.py), manage.py and the benchmarks; migrations read no variable."""
    for package in project_packages():
        yield from (path for path in package.rglob("*.py") if "migrations" not in path.parts)
    yield from (ROOT / "docker").glob("*.py")
    yield ROOT / "manage.py"
    yield from (ROOT / "bench").rglob("*.py")


# --- Settings the code reads ----------------------------------------------------------------------

READ_WITH_FALLBACK = re.compile(r"getattr\(\s*settings\s*,\s*[\"']([A-Z][A-Z0-9_]*)[\"']")
READ = re.compile(r"\bsettings\.([A-Z][A-Z0-9_]*)\b")


def settings_read_by_the_code():
    """The setting names the project's code reads: with a fallback (getattr), and plainly."""
    with_fallback, plain = set(), set()
    for package in project_packages():
        if package.name == "tests":
            continue
        for path in package.rglob("*.py"):
            if "migrations" in path.parts or path.is_relative_to(ROOT / "config" / "settings"):
                continue
            text = path.read_text()
            with_fallback.update(READ_WITH_FALLBACK.findall(text))
            plain.update(READ.findall(text))
    assert "TRUSTED_PROXY_COUNT" in plain, "the scan no longer sees the code's reads"
    assert "APPLICANTS_LINK_WINDOW" in plain and "TERRITORY_API_RATE_LIMIT" in plain, "a package is not scanned"
    return with_fallback, plain


def test_every_setting_the_code_reads_is_declared_in_base():
    """A fallback in the reading code is a second default nobody sees: base.py holds them all.

    A plain read of a setting Django itself declares (DEBUG, MEDIA_URL…) is fine anywhere.
    """
    with_fallback, plain = settings_read_by_the_code()
    declared = set(vars(base))
    missing = (with_fallback - declared) | (plain - declared - set(vars(global_settings)))
    assert not missing, f"read by the code but not declared in config/settings/base.py: {sorted(missing)}"


def test_every_project_setting_the_code_reads_is_in_the_operations_guide():
    """docs/operations.md lists the site's own settings (Django's and Wagtail's are documented
    upstream), so that whoever deploys it knows every knob."""
    with_fallback, plain = settings_read_by_the_code()
    own = {
        name for name in with_fallback | plain if not hasattr(global_settings, name) and not name.startswith("WAGTAIL")
    }
    guide = OPERATIONS.read_text()
    assert not [name for name in sorted(own) if f"`{name}`" not in guide]


# --- Environment variables read anywhere ----------------------------------------------------------


# django-environ's readers (``env.pop`` or ``env.get`` on a dict named env is no read).
ENV_READERS = {"str", "bool", "int", "float", "list", "tuple", "dict", "json", "url", "path", "get_value"}
ENV_READERS |= {"db_url", "cache_url", "email_url", "search_url"}


def _is_environ(node):
    return isinstance(node, ast.Attribute) and node.attr == "environ" and getattr(node.value, "id", "") == "os"


def _reads_environment(call):
    """A call whose first argument names an environment variable: os.environ.get/setdefault/pop,
    os.getenv, and django-environ's env(...), env.int(...), env.list(...)…"""
    func = call.func
    if isinstance(func, ast.Attribute) and _is_environ(func.value):
        return func.attr in {"get", "setdefault", "pop"}
    if isinstance(func, ast.Attribute) and func.attr == "getenv":
        return getattr(func.value, "id", "") == "os"
    if isinstance(func, ast.Name):
        return func.id == "env"
    return isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "env" and func.attr in ENV_READERS


def environment_variables_in_python(source):
    """The names ``source`` reads from the environment, directly or through a helper of the same
    module that passes one of its parameters on (config/gunicorn.py's ``_int("PORT", 8000)``)."""
    tree = ast.parse(source)
    names, helpers = set(), set()
    for function in (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)):
        parameters = {argument.arg for argument in function.args.args}
        for call in (node for node in ast.walk(function) if isinstance(node, ast.Call)):
            if _reads_environment(call) and call.args and getattr(call.args[0], "id", None) in parameters:
                helpers.add(function.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            if _reads_environment(node) or getattr(node.func, "id", None) in helpers:
                names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and _is_environ(node.value) and isinstance(node.slice, ast.Constant):
            if isinstance(node.ctx, ast.Load):  # os.environ["X"] = … sets, it does not read
                names.add(node.slice.value)
    return {name for name in names if isinstance(name, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*", name)}


SHELL_VARIABLE = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)")
# In the CI's scripts, only a variable with a default is a knob; the others are the script's own.
SHELL_VARIABLE_WITH_DEFAULT = re.compile(r"\$\{([A-Z][A-Z0-9_]*):[-=?]")
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)")
DOCKER_ARG = re.compile(r"^ARG ([A-Z][A-Z0-9_]*)", re.MULTILINE)
MAKE_REFERENCE = re.compile(r"\$\(([A-Z][A-Z0-9_]*)\)")
MAKE_FIXED = re.compile(r"^([A-Z][A-Z0-9_]*) :?=", re.MULTILINE)
# Set by a shell or a tool, never by whoever deploys; DJANGO_ALLOW_ASYNC_UNSAFE is set, then
# restored, by the browser journeys themselves (tests/e2e/conftest.py).
NOT_SETTINGS = {"PATH", "HOME", "SECONDS", "PWD", "MAKEFILE_LIST", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def make_variables(text):
    """What ``make`` takes from the command line or the environment: a variable with a default
    (``HOST ?= …``) or used without being defined (``$(COUNT)``)."""
    return set(MAKE_REFERENCE.findall(text)) - set(MAKE_FIXED.findall(text))


def environment_variables_read_anywhere():
    """``{name: files that read it}``."""
    found = {}

    def add(names, path):
        for name in set(names) - NOT_SETTINGS:
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))

    for path in project_python_files():
        add(environment_variables_in_python(path.read_text()), path)
    for path in (ROOT / "docker").glob("*.sh"):
        add(SHELL_VARIABLE.findall(path.read_text()), path)
    for path in (ROOT / ".ci").glob("*.sh"):
        add(SHELL_VARIABLE_WITH_DEFAULT.findall(path.read_text()), path)
    compose = ROOT / "docker-compose.yml"
    add(COMPOSE_VARIABLE.findall(compose.read_text()), compose)
    for path in [ROOT / "Dockerfile", *(ROOT / "docker").glob("*.Dockerfile")]:
        add(DOCKER_ARG.findall(path.read_text()), path)
    makefile = ROOT / "Makefile"
    add(make_variables(makefile.read_text()), makefile)
    return found


def documented_variables(text):
    """``{name: (default, meaning)}`` for each name in backquotes in the first cell of a table row."""
    documented = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) >= 3:
            for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", cells[0]):
                documented[name] = (cells[1], cells[2])
    return documented


def test_the_scan_sees_every_kind_of_read():
    """The scanner's own check: each form of read the project uses is found."""
    found = environment_variables_read_anywhere()
    expected = {
        "SECRET_KEY": "config/settings/base.py",  # env(...)
        "SECURE_HSTS_PRELOAD": "config/settings/production.py",  # env.bool(...) in another module
        "EMAIL_BACKEND": "config/settings/dev.py",
        "WEB_CONCURRENCY": "config/gunicorn.py",  # through the module's _int helper
        "FORWARDED_ALLOW_IPS": "config/gunicorn.py",  # os.environ.get
        "ELASTIC_PASSWORD": "docker/elasticsearch_user.py",  # os.environ[...]
        "RUN_UPDATE_INDEX": "docker/entrypoint.sh",
        "S3_ROOT_USER": "docker/s3-app-user.sh",
        "SITE_DOMAIN": "docker-compose.yml",
        "PYTHON_IMAGE": "Dockerfile",
        "BASE_IMAGE": ".ci/image.sh",
        "LOAD_POSTGRES_URL": "bench/load.py",
        "CHROMIUM_PATH": "tests/e2e/harness.py",
        "HOST": "Makefile",  # HOST ?= …
        "COUNT": "Makefile",  # $(COUNT), defined nowhere
    }
    assert {name: path for name, path in expected.items() if path not in found.get(name, ())} == {}
    assert "bench/load.py" not in found.get("EMAIL_HOST", ())  # env.pop on a dict
    source = 'import os\nos.environ["A_B"]; os.getenv("C")\nX = "D"; env = {}; env.pop("E"); os.environ["F"] = X'
    assert environment_variables_in_python(source) == {"A_B", "C"}
    assert make_variables("A ?= 1\nB := $(A)\nrun:\n\techo $(B) $(C)") == {"A", "C"}


def test_every_environment_variable_is_documented_with_its_default_and_meaning():
    """A variable read anywhere has a row in docs/operations.md: its name in the first column,
    then its default, then what it changes."""
    documented = documented_variables(OPERATIONS.read_text())
    undocumented = {name: sorted(paths) for name, paths in environment_variables_read_anywhere().items()}
    undocumented = {name: paths for name, paths in undocumented.items() if name not in documented}
    assert not undocumented, f"read but not in a table of docs/operations.md: {undocumented}"
    empty = [name for name, (default, meaning) in documented.items() if not default or not meaning]
    assert not empty, f"rows of docs/operations.md without a default or a meaning: {empty}"


def test_documented_rows_are_read_from_the_first_column():
    rows = documented_variables("| `A`, `B` | `1`, vide | effet |\n| x | `C` | `D` |\nTexte `E`.")
    assert rows == {"A": ("`1`, vide", "effet"), "B": ("`1`, vide", "effet")}


# --- The README leads into docs/ ------------------------------------------------------------------

MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
ANCHORED_LINK = re.compile(r"\]\(([^)#\s]*)#([^)\s]+)\)")
DOCUMENTS = [README, *(ROOT / "docs").glob("*.md"), ROOT / "bench" / "README.md"]


def anchors(document):
    """The anchors a Markdown viewer gives the headings (GitHub's rule: lower case, punctuation
    dropped, spaces as hyphens)."""
    headings = re.findall(r"^#+ (.+)$", document.read_text(), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_the_readme_is_short_and_each_of_its_links_opens_a_file():
    text = README.read_text()
    assert len(text.splitlines()) <= README_MAX_LINES, "move the detail into docs/ and link to it"
    targets = [target for target in MARKDOWN_LINK.findall(text) if "://" not in target]
    assert {"docs/guide-editeur.md", "docs/operations.md", "docs/architecture.md", "bench/README.md"} <= set(targets)
    assert [target for target in targets if not (ROOT / target).is_file()] == []


def test_each_document_links_to_files_that_exist():
    """The guides' relative links (docs/ to docs/, to the code) open a file or a folder."""
    for document in DOCUMENTS:
        for target in MARKDOWN_LINK.findall(document.read_text()):
            if "://" not in target and not target.startswith("mailto:"):
                assert (document.parent / target).exists(), f"{document.relative_to(ROOT)}: {target}"


def test_each_link_to_a_section_finds_its_heading():
    assert "décisions-classement-et-évaluation-menu-candidatures" in anchors(ROOT / "docs" / "guide-editeur.md")
    for document in DOCUMENTS:
        for target, anchor in ANCHORED_LINK.findall(document.read_text()):
            if "://" not in target:
                assert anchor in anchors(document.parent / target if target else document), (document.name, anchor)


# --- Nothing points at an issue tracker outside the repository ------------------------------------

# An issue number, « #24 » or a ticket; a library's own tracker quoted by its address
# (https://github.com/…/issues/1288) says why a workaround exists, and stays. Colours ("#333")
# and number formats ('#,##0') are quoted.
TRACKER_REFERENCE = re.compile(r"\bissue ?#?\d+|(?<![\w/&#\"'])#\d+\b|\btickets?\b", re.IGNORECASE)


def project_texts():
    """The code, tests, templates and documents of the repository (not the installed packages),
    this module excepted: it holds the examples."""
    folders = [*project_packages(), ROOT / "docs", ROOT / "bench", ROOT / "site", ROOT / "docker", ROOT / ".ci"]
    for folder in folders:
        for suffix in ("*.py", "*.md", "*.html", "*.txt", "*.sh"):
            yield from (path for path in folder.rglob(suffix) if path != Path(__file__))
    yield from ROOT.glob("*.md")


def test_no_test_code_or_document_refers_to_an_outside_tracker():
    assert TRACKER_REFERENCE.search("Visitor polish (issue 10, item 7)")
    assert TRACKER_REFERENCE.search("see #24") and not TRACKER_REFERENCE.search("/S /J#53 (app")
    assert not TRACKER_REFERENCE.search('fill="#333"') and not TRACKER_REFERENCE.search("'#,##0.00'")
    found = []
    for path in project_texts():
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            if TRACKER_REFERENCE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "say what the test or the comment protects instead:\n" + "\n".join(found)
