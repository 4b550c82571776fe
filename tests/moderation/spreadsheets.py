"""The CSV and the XLSX of the same export, read back and compared (moderation/export.py
writes both from one row builder: same columns, same rows, typed cells against text)."""

import csv
import datetime
import io

from openpyxl import load_workbook

from calls.fields import to_decimal

INDEX = "/admin/moderation/"


def read_both(client, **query):
    """``(csv rows, xlsx rows)`` of the queue's export for ``query``, headings first."""
    text = client.get(INDEX, {**query, "export": "csv"}).content.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    workbook = load_workbook(io.BytesIO(client.get(INDEX, {**query, "export": "xlsx"}).content))
    xlsx_rows = list(workbook["Candidatures"].iter_rows(values_only=True))
    return csv_rows, xlsx_rows


def same_cell(value, text):
    """Whether the XLSX's typed ``value`` and the CSV's ``text`` say the same thing."""
    if value is None:
        return text == ""
    if isinstance(value, datetime.datetime):
        return text in (value.strftime("%Y-%m-%d %H:%M"), value.strftime("%d/%m/%Y"))
    if isinstance(value, (int, float)):
        number = to_decimal(text)
        return number is not None and abs(float(number) - value) < 0.006
    return str(value) == text


def assert_same_table(csv_rows, xlsx_rows):
    """Same headings in the same order, and for each application the same cells."""
    assert list(xlsx_rows[0]) == csv_rows[0]
    assert len(xlsx_rows) == len(csv_rows) > 1
    by_reference = {row[0]: row for row in csv_rows[1:]}
    assert set(by_reference) == {row[0] for row in xlsx_rows[1:]}
    typed = set()
    for row in xlsx_rows[1:]:
        texts = by_reference[row[0]]
        assert len(row) == len(texts)
        for heading, value, text in zip(csv_rows[0], row, texts, strict=True):
            assert same_cell(value, text), (heading, value, text)
            if value is not None and not isinstance(value, str):
                typed.add(heading)
    return typed
