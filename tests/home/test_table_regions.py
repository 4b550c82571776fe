"""Each sideways-scrolling table box (``.qc-table-scroll``, home/static/home/admin.css) is a
keyboard-reachable region named after its own table: ``aria-labelledby`` points at an id of the
same template (the table's caption, or its section's heading), so a screen reader's list of
regions reads « Par région », « Historique »… and not the same word for every table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOX = re.compile(r"<div\b[^>]*\bclass=\"qc-table-scroll\"[^>]*>")


def templates_with_boxes():
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        boxes = BOX.findall(text)
        if boxes:
            yield path, text, boxes


def test_there_are_table_boxes_to_check():
    assert len(list(templates_with_boxes())) >= 6


def test_each_table_box_is_a_region_named_by_an_element_of_its_template():
    problems = []
    for path, text, boxes in templates_with_boxes():
        names = []
        for box in boxes:
            where = f"{path.relative_to(ROOT)}: {box}"
            if 'role="region"' not in box or 'tabindex="0"' not in box:
                problems.append(f"{where} is not a region reachable with the keyboard")
            if "aria-label=" in box:
                problems.append(f"{where} has a fixed name: name it with aria-labelledby")
            labelledby = re.search(r'aria-labelledby="([^"]+)"', box)
            if labelledby is None:
                problems.append(f"{where} has no aria-labelledby")
                continue
            name = labelledby.group(1)
            names.append(name)
            if f'id="{name}"' not in text:
                problems.append(f"{where} points at « {name} », which its template does not hold")
        if len(names) != len(set(names)):
            problems.append(f"{path.relative_to(ROOT)}: two boxes named by the same element")
    assert not problems, "\n".join(problems)
