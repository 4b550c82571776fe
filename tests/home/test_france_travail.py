"""Pôle emploi is France Travail since 1 January 2024: no current text of the site (demo
content, the demo call's criteria, templates, documentation) names it, except as history
(« ex-Pôle emploi », « anciennement Pôle emploi »)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OLD_NAME = re.compile(r"(?<!ex-)(?<!anciennement )p[ôo]le[\s\u00a0-]+emploi", re.IGNORECASE)
SKIPPED = {".venv", "node_modules", ".git", "tests", "locale", "bench"}


def current_texts():
    """The demo modules (content, stories, the demo call and its criteria), every template and
    the documentation."""
    for path in ROOT.rglob("*"):
        if not path.is_file() or SKIPPED & set(path.relative_to(ROOT).parts):
            continue
        name = path.name
        if path.suffix in (".html", ".txt", ".md") or (
            path.suffix == ".py" and (name.startswith("demo") or name == "generate.py")
        ):
            yield path


def test_the_scan_reads_the_demo_content_and_the_templates():
    names = {str(path.relative_to(ROOT)) for path in current_texts()}
    for expected in ("home/demo_content.py", "moderation/demo.py", "stories/demo.py", "calls/demo.py"):
        assert expected in names
    assert any(name.endswith("home_page.html") for name in names)


def test_no_current_text_says_pole_emploi():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in current_texts()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if OLD_NAME.search(line)
    ]
    assert not found, "\n".join(found)


def test_history_is_allowed_and_the_old_name_is_found():
    assert not OLD_NAME.search("France Travail (ex-Pôle emploi)")
    assert OLD_NAME.search("avec Pôle emploi,") and OLD_NAME.search("pole-emploi")
