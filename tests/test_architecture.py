"""The code's boundaries that import-linter cannot see (the layers themselves are its
contracts in pyproject.toml, run by `make lint` and .ci/run).

A project import inside a function usually hides an import cycle. Each one that remains
must say why on its line or the line above it (a cycle Wagtail or Django imposes:
``AppConfig.ready``, a page model's ``serve``/``get_context``).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PACKAGES = ("config", "home", "territory", "stories", "calls", "moderation", "search", "applicants", "network")


def project_modules():
    for package in PROJECT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def is_project_import(node):
    if isinstance(node, ast.ImportFrom):
        if node.level:  # relative: from . import x
            return True
        return (node.module or "").split(".")[0] in PROJECT_PACKAGES
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] in PROJECT_PACKAGES for alias in node.names)
    return False


def imports_inside_functions(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom) and is_project_import(node):
                    yield node


def has_reason(lines, node):
    """A comment on the import's line, or a comment line just above it or above the block of
    imports it belongs to."""
    line = lines[node.lineno - 1]
    if "#" in line:
        comment = line.split("#", 1)[1]
        # A bare "noqa: F401" silences a linter; it gives no reason.
        if comment.replace("noqa", "").strip(" :F0123456789,") != "":
            return True
    number = node.lineno - 2
    while number >= 0:
        above = lines[number].strip()
        if above.startswith("#"):
            return True
        if above and not above.startswith(("from ", "import ")):
            return False
        number -= 1
    return False


def test_every_project_import_inside_a_function_says_why():
    unexplained = []
    for path in project_modules():
        lines = path.read_text().splitlines()
        for node in imports_inside_functions(path):
            if not has_reason(lines, node):
                unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not unexplained, "Imports inside functions without a reason:\n" + "\n".join(unexplained)


def test_the_check_sees_an_unexplained_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from calls.models import Application\n    return Application\n")
    lines = module.read_text().splitlines()
    found = list(imports_inside_functions(module))
    assert len(found) == 1 and not has_reason(lines, found[0])
    module.write_text("def f():\n    # Django's rule: models only once apps are ready.\n    from . import signals\n")
    lines = module.read_text().splitlines()
    found = list(imports_inside_functions(module))
    assert len(found) == 1 and has_reason(lines, found[0])


def test_only_the_queue_module_knows_modeladmin():
    """Moving the queue to Wagtail's ModelViewSet must touch moderation/queue.py and its
    two templates only."""
    allowed = {ROOT / "moderation" / "queue.py"}
    leaks = []
    for path in project_modules():
        if path not in allowed and ("modeladmin" in path.read_text()) and path.parent.name != "settings":
            leaks.append(str(path.relative_to(ROOT)))
    for path in ROOT.glob("*/templates/**/*.html"):
        text = path.read_text()
        if "modeladmin" in text and path.name not in {"index.html", "inspect.html"}:
            leaks.append(str(path.relative_to(ROOT)))
    assert not leaks, leaks


def test_no_module_reverses_a_url_of_a_layer_above():
    """``reverse("moderation:…")`` in calls is a run-time dependency on the layer above that
    import-linter cannot see: the links the emails need are registered from above
    (``calls.links``)."""
    above = {
        "home": ("moderation:", "applicants:", "search:"),
        "territory": ("moderation:", "applicants:", "search:"),
        "stories": ("moderation:", "applicants:"),
        "calls": ("moderation:", "applicants:"),
        "moderation": ("applicants:",),
    }
    leaks = []
    for package, namespaces in above.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text()
            leaks += [
                f"{path.relative_to(ROOT)}: {namespace}"
                for namespace in namespaces
                if f'reverse("{namespace}' in text or f"reverse('{namespace}" in text
            ]
    assert not leaks, leaks
